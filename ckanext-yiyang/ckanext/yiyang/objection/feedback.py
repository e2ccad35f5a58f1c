"""Usage feedback (共享成效评价, GB/T 38664.4): the applicant unit rates a granted application
once — 数据质量, 及时性, 满意度 (1–5) and the outcome of the use — and the providing unit may
reply once. Ratings aggregate per entry and per unit."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from sqlalchemy.dialects.postgresql import insert

from ckanext.yiyang import workdays
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.objection import config
from ckanext.yiyang.objection.model import Feedback, FeedbackRequest
from ckanext.yiyang.subscription import states as subscription_states
from ckanext.yiyang.subscription.model import Subscription

RATINGS = ("quality", "timeliness", "satisfaction")


def get_subscription(subscription_id: str) -> Subscription:
    found = model.Session.get(Subscription, subscription_id) if subscription_id else None
    if found is None:
        raise tk.ObjectNotFound(tk._("Application not found"))
    return found


def get_feedback(feedback_id: str) -> Feedback:
    found = model.Session.get(Feedback, feedback_id) if feedback_id else None
    if found is None:
        raise tk.ObjectNotFound(tk._("Feedback not found"))
    return found


def of_subscription(subscription_id: str) -> Feedback | None:
    return model.Session.query(Feedback).filter_by(subscription_id=subscription_id).first()


def provider_of(subscription: Subscription) -> str | None:
    package = model.Package.get(subscription.dataset_id)
    return package.owner_org if package else None


def _user_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.name if user else user_id


def dictize(feedback: Feedback) -> dict[str, Any]:
    return {
        "id": feedback.id,
        "subscription_id": feedback.subscription_id,
        "dataset_id": feedback.dataset_id,
        "applicant_org": feedback.applicant_org,
        "provider_org": feedback.provider_org,
        "user": _user_name(feedback.user_id),
        "quality": feedback.quality,
        "timeliness": feedback.timeliness,
        "satisfaction": feedback.satisfaction,
        "outcome": feedback.outcome,
        "reply": feedback.reply,
        "reply_by": _user_name(feedback.reply_by),
        "replied_at": feedback.replied_at.isoformat() if feedback.replied_at else None,
        "created": feedback.created.isoformat(),
    }


def create(
    context: Context, subscription: Subscription, user: model.User, data: dict[str, Any]
) -> dict[str, Any]:
    """One feedback per grant: a second (even a concurrent one) is refused."""
    if subscription.status not in subscription_states.GRANTS:
        raise tk.ValidationError(
            {"subscription_id": [tk._("Only a granted application can be rated")]}
        )
    table = Feedback.__table__
    values = {
        "id": str(uuid.uuid4()),
        "subscription_id": subscription.id,
        "dataset_id": subscription.dataset_id,
        "applicant_org": subscription.applicant_org,
        "provider_org": provider_of(subscription) or "",
        "user_id": user.id,
        "created": datetime.datetime.utcnow(),
        **{k: data[k] for k in (*RATINGS, "outcome")},
    }
    inserted = model.Session.execute(
        insert(table).values(**values).on_conflict_do_nothing(index_elements=["subscription_id"])
    ).rowcount
    if not inserted:
        raise tk.ValidationError(
            {"subscription_id": [tk._("This application has already been rated")]}
        )
    transaction.commit(context)
    found = model.Session.get(Feedback, values["id"])
    assert found is not None
    return dictize(found)


def reply(context: Context, feedback: Feedback, user: model.User, text: str) -> dict[str, Any]:
    """The provider's one reply: a conditional UPDATE, so of two replies one wins."""
    table = Feedback.__table__
    changed = model.Session.execute(
        sa.update(table)
        .where(table.c.id == feedback.id, table.c.reply.is_(None))
        .values(reply=text, reply_by=user.id, replied_at=datetime.datetime.utcnow())
    ).rowcount
    model.Session.refresh(feedback)
    if not changed:
        raise tk.ValidationError({"reply": [tk._("The provider has already replied")]})
    transaction.commit(context)
    return dictize(feedback)


def _averages(query: Any) -> dict[str, Any]:
    row = query.with_entities(
        sa.func.count(Feedback.id),
        *[sa.func.avg(getattr(Feedback, r)) for r in RATINGS],
    ).one()
    return {
        "count": row[0],
        **{
            r: (round(float(v), 2) if v is not None else None)
            for r, v in zip(RATINGS, row[1:], strict=True)
        },
    }


def _grouped(query: Any, column: Any) -> list[dict[str, Any]]:
    rows = (
        query.with_entities(
            column,
            sa.func.count(Feedback.id),
            *[sa.func.avg(getattr(Feedback, r)) for r in RATINGS],
        )
        .group_by(column)
        .order_by(column)
        .all()
    )
    return [
        {
            "id": row[0],
            "count": row[1],
            **{r: round(float(v), 2) for r, v in zip(RATINGS, row[2:], strict=True)},
        }
        for row in rows
    ]


def summary(dataset_id: str | None = None, org: str | None = None) -> dict[str, Any]:
    query = model.Session.query(Feedback)
    if dataset_id:
        package = model.Package.get(dataset_id)
        query = query.filter(Feedback.dataset_id == (package.id if package else ""))
    if org:
        query = query.filter(Feedback.provider_org == org)
    return {
        **_averages(query),
        "by_entry": _grouped(query, Feedback.dataset_id),
        "by_unit": _grouped(query, Feedback.provider_org),
    }


def awaiting(units: list[str]) -> list[Subscription]:
    """Granted applications of ``units`` without feedback that were used (their first read
    asked for it: ``feedback_ask``) or are at least ``ask_after_days`` working days old: the
    desk asks for it (待评价)."""
    if not units:
        return []
    latest = workdays.latest_overdue_start(workdays.today(), config.feedback_after_days() - 1)
    rated = model.Session.query(Feedback.subscription_id)
    asked = model.Session.query(FeedbackRequest.subscription_id)
    old_enough = sa.func.coalesce(Subscription.decided_at, Subscription.created) < (
        datetime.datetime.combine(latest, datetime.time()) + datetime.timedelta(days=1)
    )
    return (
        model.Session.query(Subscription)
        .filter(
            Subscription.applicant_org.in_(units),
            Subscription.status.in_(subscription_states.GRANTS),
            sa.or_(Subscription.id.in_(asked), old_enough),
            Subscription.id.not_in(rated),
        )
        .order_by(Subscription.created)
        .all()
    )
