"""Side effects of subscriptions (catalog-model §7, §9), by signals: whoever must act next is
told, and the approved subscribers and followers of an entry hear of its changes — one notice
per change (a new version approved, a withdrawal, a data resource added, changed or removed)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import SignalMapping

from ckanext.yiyang import visibility, workdays
from ckanext.yiyang.roles import members, reviewers
from ckanext.yiyang.subscription import access, states
from ckanext.yiyang.subscription.model import Subscription

_ = tk._
DECISIONS = ("create", "approve", "reject", "cancel", "coordinate")
#: the 2025 lifecycle's steps (``lifecycle_step``)
STEPS = ("check", "negotiate", "decide", "revoke", "renew")
# resource_patch goes through resource_update: listening to both would notify twice.
RESOURCE_ACTIONS = ("resource_create", "resource_update", "resource_delete")


def get_subscriptions() -> SignalMapping:
    signal = tk.signals.action_succeeded
    return {
        signal: [
            {"sender": f"yiyang_subscription_{a}", "receiver": decision_made} for a in DECISIONS
        ]
        + [{"sender": f"yiyang_subscription_{a}", "receiver": lifecycle_step} for a in STEPS]
        + [
            {"sender": "yiyang_review_approve", "receiver": entry_changed},
            {"sender": "yiyang_review_withdraw", "receiver": entry_changed},
        ]
        + [{"sender": a, "receiver": resources_changed} for a in RESOURCE_ACTIONS],
        # the data an approved application opens to the applicant unit (catalog-model §6)
        visibility.grants.data_granted: [access.granted],
        # the 信息项 an approved application is limited to (issue 13 point 4)
        visibility.columns.data_columns_granted: [access.granted_columns],
    }


def _actor(kwargs: dict[str, Any]) -> str | None:
    user = model.User.get((kwargs.get("context") or {}).get("user") or "")
    return user.id if user is not None else None


def _send(
    recipients: list[str],
    actor: str | None,
    kind: str,
    title: str,
    body: str,
    link: str,
    object_type: str,
    object_id: str,
    kwargs: dict[str, Any],
) -> None:
    from ckanext.yiyang.notify import notify

    notify(
        [r for r in recipients if r != actor],
        kind=kind,
        title=title,
        body=body,
        link=link,
        object_type=object_type,
        object_id=object_id,
        # the inbox rows join the action's transaction when its caller commits
        commit=not (kwargs.get("context") or {}).get("defer_commit"),
    )


def applicant_side(sub: dict[str, Any]) -> list[str]:
    user = model.User.get(sub.get("applicant_user") or "")
    return ([user.id] if user else []) + members(sub["applicant_org"], ("admin",))


def decision_made(sender: str, **kwargs: Any) -> None:
    sub = kwargs.get("result") or {}
    if not sub.get("id"):
        return
    action = sender.removeprefix("yiyang_subscription_")
    what = sub.get("dataset_title") or ""
    reason = sub.get("reason") or ""
    provider = members(sub.get("provider_org"), ("admin",))
    if action == "create":
        if sub["status"] == states.CHECKING:
            _to_office(sub, kwargs)
            return
        if sub["status"] != states.PENDING:
            return
        recipients = provider
        title = _("{unit} applies to use {what}").format(
            unit=sub["applicant_org_title"], what=what
        )
        body = _("Answer by {due}. Purpose: {purpose}").format(
            due=sub["due_date"], purpose=sub["purpose_detail"]
        )
        link = "/subscriptions?scope=received"
    elif action in ("approve", "reject"):
        recipients = applicant_side(sub)
        title = (
            _("Your application to use {what} was approved")
            if action == "approve"
            else _("Your application to use {what} was rejected")
        ).format(what=what)
        body = _("Reason: {reason}").format(reason=reason) if reason else ""
        link = "/subscriptions"
    elif action == "cancel":
        recipients = applicant_side(sub) + provider
        title = _("The application of {unit} to use {what} was cancelled").format(
            unit=sub["applicant_org_title"], what=what
        )
        body = _("Reason: {reason}").format(reason=reason) if reason else ""
        link = "/subscriptions"
    else:
        recipients = reviewers()
        title = _("{unit} asks the office to coordinate its application to use {what}").format(
            unit=sub["applicant_org_title"], what=what
        )
        body = _("Provider: {provider}. State: {state}. Reason given: {reason}").format(
            provider=sub.get("provider_org_title") or "",
            state=states.MACHINE.label(sub["status"]),
            reason=reason,
        )
        link = "/subscriptions?scope=escalated"
    _send(
        recipients,
        _actor(kwargs),
        f"subscription_{action}",
        title,
        body,
        link,
        "subscription",
        sub["id"],
        kwargs,
    )


def _to_office(sub: dict[str, Any], kwargs: dict[str, Any]) -> None:
    _send(
        reviewers(),
        _actor(kwargs),
        "subscription_check",
        _("{unit} applies to use {what}: compliance review").format(
            unit=sub["applicant_org_title"], what=sub.get("dataset_title") or ""
        ),
        _("Review it by {due}.").format(due=sub["due_date"]),
        f"/subscription/{sub['id']}",
        "subscription",
        sub["id"],
        kwargs,
    )


def lifecycle_step(sender: str, **kwargs: Any) -> None:
    """The 2025 steps: whoever must act next, or is concerned, is told (inbox and mail)."""
    sub = kwargs.get("result") or {}
    if not sub.get("id"):
        return
    action = sender.removeprefix("yiyang_subscription_")
    what = sub.get("dataset_title") or ""
    provider = members(sub.get("provider_org"), ("admin",))
    status = sub["status"]
    state = states.MACHINE.label(status)
    history = sub.get("history") or [{}]
    note = history[-1].get("note") or ""
    body = _("Opinion: {note}").format(note=note) if note else ""
    if action == "renew":
        recipients = provider if status == states.PENDING else applicant_side(sub)
        title = _("{unit} asks to renew its grant to use {what}").format(
            unit=sub["applicant_org_title"], what=what
        )
    elif action == "negotiate":
        recipients = applicant_side(sub) + provider
        title = _("New message on the application of {unit} to use {what}").format(
            unit=sub["applicant_org_title"], what=what
        )
        body = note
    else:
        recipients = applicant_side(sub) + provider
        if action == "decide":
            recipients += reviewers()
        title = _("The application of {unit} to use {what}: {state}").format(
            unit=sub["applicant_org_title"], what=what, state=state
        )
    _send(
        recipients,
        _actor(kwargs),
        f"subscription_{action}",
        title,
        body,
        f"/subscription/{sub['id']}",
        "subscription",
        sub["id"],
        kwargs,
    )


def subscribers(package_id: str) -> list[str]:
    """Users told of an entry's changes: the applicants of its approved, unexpired
    subscriptions, and its followers."""
    today = workdays.today()
    rows = (
        model.Session.query(Subscription.applicant_user)
        .filter(
            Subscription.dataset_id == package_id,
            Subscription.status.in_(states.GRANTS),
            sa.or_(Subscription.valid_until.is_(None), Subscription.valid_until >= today),
        )
        .all()
    )
    followers = (
        model.Session.query(model.UserFollowingDataset.follower_id)
        .filter(model.UserFollowingDataset.object_id == package_id)
        .all()
    )
    return [r[0] for r in rows] + [r[0] for r in followers]


def _notice(package: model.Package, kwargs: dict[str, Any], kind: str, title: str, body: str):
    recipients = subscribers(package.id)
    if recipients:
        _send(
            recipients,
            _actor(kwargs),
            kind,
            title,
            body,
            f"/dataset/{package.name}",
            "dataset",
            package.id,
            kwargs,
        )


def entry_changed(sender: str, **kwargs: Any) -> None:
    from ckanext.yiyang.review.workflow import last_event

    entry = kwargs.get("result") or {}
    package = model.Package.get(entry.get("id") or "")
    if package is None:
        return
    event = last_event(package.id) or {}
    if sender == "yiyang_review_withdraw":
        title = _("{title}, which you use, was withdrawn from the catalog")
        body = _("Reason: {reason}").format(reason=event.get("opinion") or "")
        kind = "subscription_entry_withdrawn"
    elif event.get("revision"):
        title = _("A new version of {title}, which you use, was published")
        fields = ", ".join(str(c.get("field")) for c in event.get("changes") or [] if c)
        body = _("Changed: {fields}").format(fields=fields) if fields else ""
        kind = "subscription_entry_changed"
    elif _withdrawn_before(package.id):
        title = _("{title}, which you use, was published again")
        fields = ", ".join(str(c.get("field")) for c in event.get("changes") or [] if c)
        body = _("Changed since the withdrawal: {fields}").format(fields=fields) if fields else ""
        kind = "subscription_entry_republished"
    else:
        return
    _notice(package, kwargs, kind, title.format(title=package.title), body)


def _withdrawn_before(package_id: str) -> bool:
    """An approval of an entry that was once withdrawn: it is back in the catalog."""
    from ckanext.yiyang.review.model import ReviewEvent

    return (
        model.Session.query(ReviewEvent.id)
        .filter(ReviewEvent.package_id == package_id, ReviewEvent.action == "withdraw")
        .first()
        is not None
    )


def resources_changed(sender: str, **kwargs: Any) -> None:
    data_dict = kwargs.get("data_dict") or {}
    result = kwargs.get("result")
    package_id = result.get("package_id") if isinstance(result, dict) else None
    if not package_id:
        resource = model.Resource.get(str(data_dict.get("id") or ""))
        package_id = resource.package_id if resource is not None else data_dict.get("package_id")
    package = model.Package.get(package_id or "")
    if (
        package is None
        or package.type != visibility.labels.DATASET_TYPE
        or (package.extras or {}).get("review_status") != visibility.labels.PUBLISHED
    ):
        return
    title = {
        "resource_create": _("Data was added to {title}, which you use"),
        "resource_update": _("The data of {title}, which you use, was changed"),
        "resource_delete": _("Data was removed from {title}, which you use"),
    }[sender]
    name = result.get("name") if isinstance(result, dict) else None
    body = _("Resource: {name}").format(name=name) if name else ""
    _notice(
        package, kwargs, "subscription_resources_changed", title.format(title=package.title), body
    )
