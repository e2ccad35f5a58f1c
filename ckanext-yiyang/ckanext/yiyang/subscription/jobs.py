"""Background work of subscriptions: grants expiring soon (a reminder) and expired, and the
daily reminder of due dates (each waiting step: the office's review and coordination, the
provider's answer, the negotiation). All are idempotent: run them as often as you like (``ckan yiyang send-due-reminders`` once a day)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang import workdays
from ckanext.yiyang.roles import members, reviewers
from ckanext.yiyang.subscription import config, states, workflow
from ckanext.yiyang.subscription.model import Subscription

_ = tk._


def expire_subscriptions(today: str | None = None) -> int:
    """Approved subscriptions past their ``valid_until`` become expired (the access had
    already ended that day: the grant check looks at the date); the applicants are told."""
    from ckanext.yiyang.notify import notify

    day = datetime.date.fromisoformat(today) if today else workdays.today()
    rows = workflow.expire(day)
    for row in rows:
        sub = workflow.as_dict(row, day)
        user = model.User.get(row.applicant_user)
        notify(
            ([user.id] if user else []) + members(row.applicant_org, ("admin",)),
            kind="subscription_expired",
            title=_("Your subscription to {what} has expired").format(what=sub["dataset_title"]),
            body=_("It was valid until {day}.").format(day=sub["valid_until"]),
            link="/subscriptions",
            object_type="subscription",
            object_id=row.id,
        )
    return len(rows)


def warn_expiring(today: str | None = None) -> int:
    """Grants ending within ``expiring_days`` working days become expiring; the applicant
    unit is reminded once (the transition happens once)."""
    from ckanext.yiyang.notify import notify

    day = datetime.date.fromisoformat(today) if today else workdays.today()
    rows = workflow.warn(day)
    for row in rows:
        sub = workflow.as_dict(row, day)
        user = model.User.get(row.applicant_user)
        notify(
            ([user.id] if user else []) + members(row.applicant_org, ("admin",)),
            kind="subscription_expiring",
            title=_("Your grant to use {what} ends on {day}").format(
                what=sub["dataset_title"], day=sub["valid_until"]
            ),
            body=_("Renew it on the application's page before it expires."),
            link=f"/subscription/{row.id}",
            object_type="subscription",
            object_id=row.id,
        )
    return len(rows)


def _waiting_for(sub: dict[str, Any], late: bool, office: list[str]) -> list[str]:
    """Who must act on a waiting application (and the office once it is late)."""
    status = sub["status"]
    if status in (states.CHECKING, states.COORDINATING):
        return office
    provider = members(sub["provider_org"], ("admin",))
    if status == states.NEGOTIATING:
        return provider + members(sub["applicant_org"], ("admin",)) + (office if late else [])
    return provider + (office if late else [])


def send_due_reminders(today: str | None = None) -> int:
    """Remind the providing unit's admins of pending applications due within
    ``remind_days`` working days or overdue (overdue ones: the office too). At most once a
    day per application. Returns how many were reminded."""
    from ckanext.yiyang.notify import notify

    day = datetime.date.fromisoformat(today) if today else workdays.today()
    horizon = workdays.add_workdays(day, config.remind_days()).due
    rows = (
        model.Session.query(Subscription)
        .filter(
            Subscription.status.in_(states.WAITING),
            Subscription.due_date <= horizon,
            (Subscription.reminded_on.is_(None)) | (Subscription.reminded_on != day),
        )
        .with_for_update(skip_locked=True)
        .all()
    )
    office = reviewers()
    for row in rows:
        sub = workflow.as_dict(row, day)
        late = sub["overdue"]
        title = (
            _("Overdue: the application of {unit} to use {what} (due {due})")
            if late
            else _("Due {due}: the application of {unit} to use {what}")
        ).format(unit=sub["applicant_org_title"], what=sub["dataset_title"], due=sub["due_date"])
        notify(
            _waiting_for(sub, late, office),
            kind="subscription_overdue" if late else "subscription_due",
            title=title,
            body=_("Purpose: {purpose}").format(purpose=sub["purpose_detail"]),
            link=f"/subscription/{row.id}",
            object_type="subscription",
            object_id=row.id,
            commit=False,
        )
        row.reminded_on = day
    model.Session.commit()
    return len(rows)
