"""Background work of subscriptions: expiry, and the daily reminder of due dates. Both are
idempotent: run them as often as you like (``ckan yiyang send-due-reminders`` once a day)."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang import workdays
from ckanext.yiyang.roles import members, reviewers
from ckanext.yiyang.subscription import config, workflow
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
            Subscription.status == workflow.PENDING,
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
            members(sub["provider_org"], ("admin",)) + (office if late else []),
            kind="subscription_overdue" if late else "subscription_due",
            title=title,
            body=_("Purpose: {purpose}").format(purpose=sub["purpose_detail"]),
            link="/subscriptions?scope=received",
            object_type="subscription",
            object_id=row.id,
            commit=False,
        )
        row.reminded_on = day
    model.Session.commit()
    return len(rows)
