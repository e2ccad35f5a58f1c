"""What the subscription transitions do (catalog-model §7); the states and transitions are
declared in ``states.py``.

``unconditional`` → approved at once; ``conditional`` → pending until the providing unit's
admins approve or reject it (due in ``answer_days`` working days); ``none`` → rejected at once
with the entry's recorded basis. Pending and approved ones can be cancelled (by the applicant,
or revoked by the provider); approved ones expire after ``valid_until``.

Decisions are one conditional ``UPDATE … WHERE status IN (the states it starts from)``: of two
concurrent decisions exactly one changes the row, the other is told it was decided already.
Each commits unless the caller's context has ``defer_commit``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from sqlalchemy.dialects import postgresql

from ckanext.yiyang import workdays
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.subscription import config, states
from ckanext.yiyang.subscription.model import Subscription
from ckanext.yiyang.subscription.states import APPROVED, PENDING, REJECTED

__all__ = ["APPROVED", "PENDING", "REJECTED"]

PURPOSES = (
    "administrative_basis",
    "work_reference",
    "data_verification",
    "business_collaboration",
    "other",
)


def get(subscription_id: str) -> Subscription:
    row = model.Session.get(Subscription, subscription_id or "")
    if row is None:
        raise tk.ObjectNotFound(tk._("Subscription not found"))
    return row


def user_id(context: Context) -> str:
    user = model.User.get(context.get("user") or "")
    return user.id if user is not None else (context.get("user") or "")


def overdue(row: Subscription, today: datetime.date) -> bool:
    """Pending and a working day has begun after its due date."""
    if row.status != PENDING or row.due_date is None:
        return False
    return workdays.workdays_between(row.due_date, today).days > 0


def may_coordinate(status: str, overdue: bool) -> bool:
    """The office can be asked to coordinate a rejected or an overdue application."""
    return status == REJECTED or (status == PENDING and overdue)


def label(state: str) -> str:
    return states.MACHINE.label(state)


def purpose_label(purpose: str) -> str:
    _ = tk._
    return {
        "administrative_basis": _("As an administrative basis"),
        "work_reference": _("Work reference"),
        "data_verification": _("Data verification"),
        "business_collaboration": _("Business collaboration"),
        "other": _("Other"),
    }.get(purpose, purpose)


def create(
    context: Context,
    package: model.Package,
    applicant_org: str,
    purpose: str,
    purpose_detail: str,
    data_item_names: list[str],
    valid_until: datetime.date | None,
) -> Subscription:
    share = (package.extras or {}).get("share_type")
    today = workdays.today()
    now = datetime.datetime.utcnow()
    row = Subscription(
        dataset_id=package.id,
        applicant_org=applicant_org,
        applicant_user=user_id(context),
        purpose=purpose,
        purpose_detail=purpose_detail,
        data_item_names=data_item_names,
        valid_until=valid_until,
        created=now,
        modified=now,
    )
    if share == "conditional":
        deadline = workdays.add_workdays(today, config.answer_days())
        row.status = PENDING
        row.due_date = deadline.due
        row.provisional_due = deadline.provisional
    elif share == "none":
        row.status = REJECTED
        row.decided_at = now
        row.reason = (package.extras or {}).get("share_condition") or tk._(
            "The entry is not shared"
        )
    else:
        row.status = APPROVED
        row.decided_at = now
    row.id = row.id or str(uuid.uuid4())
    table = Subscription.__table__
    # what is not set takes the column's default
    values = {c.name: getattr(row, c.name) for c in table.columns}
    values = {k: v for k, v in values.items() if v is not None}
    # One live application per unit and entry (a unique partial index): of two concurrent
    # ones, the second inserts nothing and is told, as one that came later would be.
    inserted = model.Session.execute(
        postgresql.insert(table)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=[table.c.dataset_id, table.c.applicant_org],
            # the predicate of the index (migration 0009), as written there
            index_where=sa.text("status IN ('pending', 'approved')"),
        )
        .returning(table.c.id)
    ).first()
    if inserted is None:
        raise tk.ValidationError(
            {"dataset_id": [tk._("Your unit has applied for this entry already")]}
        )
    transaction.commit(context)
    stored = model.Session.get(Subscription, row.id)
    assert stored is not None
    return stored


def decide(
    context: Context,
    row: Subscription,
    action: str,
    reason: str = "",
    valid_until: datetime.date | None = None,
) -> Subscription:
    """approve, reject or cancel ``row``, atomically against concurrent decisions."""
    starts, target = states.MACHINE.starts(action), states.MACHINE.target(action)
    now = datetime.datetime.utcnow()
    values: dict[str, Any] = {"status": target, "modified": now}
    if valid_until is not None:
        values["valid_until"] = valid_until
    if action in ("approve", "reject"):
        values.update(decided_by=user_id(context), decided_at=now, reason=reason)
    elif reason:
        values["reason"] = reason
    table = Subscription.__table__
    changed = model.Session.execute(
        sa.update(table).where(table.c.id == row.id, table.c.status.in_(starts)).values(**values)
    ).rowcount
    transaction.commit(context)
    model.Session.refresh(row)
    if not changed:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("The application is {state} already and cannot be changed").format(
                        state=label(row.status)
                    )
                ]
            }
        )
    return row


def request_coordination(context: Context, row: Subscription) -> Subscription:
    """Ask the office to coordinate ``row`` (once: of two concurrent requests one is told the
    office was asked already)."""
    table = Subscription.__table__
    changed = model.Session.execute(
        sa.update(table)
        .where(table.c.id == row.id, table.c.coordination_requested.is_(False))
        .values(coordination_requested=True, modified=datetime.datetime.utcnow())
    ).rowcount
    transaction.commit(context)
    model.Session.refresh(row)
    if not changed:
        raise tk.ValidationError({"status": [tk._("The office was asked already")]})
    return row


def expire(today: datetime.date) -> list[Subscription]:
    """Approved subscriptions whose ``valid_until`` has passed become expired."""
    rows = (
        model.Session.query(Subscription)
        .filter(
            Subscription.status.in_(states.MACHINE.starts("expire")),
            Subscription.valid_until < today,
        )
        .with_for_update(skip_locked=True)
        .all()
    )
    now = datetime.datetime.utcnow()
    for row in rows:
        row.status = states.MACHINE.target("expire")
        row.modified = now
    model.Session.commit()
    return rows


def as_dict(row: Subscription, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or workdays.today()
    package = model.Package.get(row.dataset_id)
    applicant = model.Group.get(row.applicant_org)
    provider = model.Group.get(package.owner_org) if package and package.owner_org else None
    user = model.User.get(row.applicant_user)
    decider = model.User.get(row.decided_by) if row.decided_by else None
    return {
        "id": row.id,
        "dataset_id": row.dataset_id,
        "dataset_name": package.name if package else None,
        "dataset_title": package.title if package else None,
        "share_type": (package.extras or {}).get("share_type") if package else None,
        "provider_org": provider.id if provider else None,
        "provider_org_title": provider.title if provider else None,
        "applicant_org": row.applicant_org,
        "applicant_org_title": applicant.title if applicant else None,
        "applicant_user": user.name if user else row.applicant_user,
        "purpose": row.purpose,
        "purpose_detail": row.purpose_detail,
        "data_item_names": row.data_item_names,
        "status": row.status,
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "provisional_due": row.provisional_due,
        "overdue": overdue(row, today),
        "decided_by": decider.name if decider else row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "reason": row.reason,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "coordination_requested": row.coordination_requested,
        "basis_name": row.basis_name,
        "created": row.created.isoformat(),
        "modified": row.modified.isoformat(),
    }
