"""Side effects of objections and feedback (catalog-model §9, §11): whoever must act next is
told, in the inbox and by mail; the raiser is told of every step."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import SignalMapping

from ckanext.yiyang.objection import feedback_ask
from ckanext.yiyang.roles import members, reviewers

_ = tk._

ACTIONS = ("create", "accept", "resolve", "extend", "contest", "decide", "close")


def get_subscriptions() -> SignalMapping:
    return {
        tk.signals.action_succeeded: [
            *(
                {"sender": f"yiyang_objection_{action}", "receiver": objection_changed}
                for action in ACTIONS
            ),
            {"sender": "yiyang_feedback_create", "receiver": feedback_changed},
            {"sender": "yiyang_feedback_reply", "receiver": feedback_changed},
        ],
        # every read of data (datagate.signals): the first use of a grant asks for feedback
        tk.signals.ckanext.signal("yiyang_data_read"): [feedback_ask.data_read],
    }


def link(objection: dict[str, Any]) -> str:
    return f"/objection/{objection['id']}"


def _message(action: str, objection: dict[str, Any]) -> tuple[str, str]:
    entry = (objection.get("dataset") or {}).get("title", "")
    due = _("Due by {due}.").format(due=objection.get("due_date") or "")
    if action == "create":
        return (
            _("New objection to {entry}").format(entry=entry),
            f"{objection['kind_label']}: {objection['description']}\n\n{due}",
        )
    if action == "accept":
        return (
            _("Objection to {entry} forwarded to you for verification").format(entry=entry),
            due,
        )
    if action == "extend":
        return (_("Verification of the objection to {entry} extended").format(entry=entry), due)
    if action == "contest":
        return (_("The outcome of the objection to {entry} is contested").format(entry=entry), due)
    if action == "resolve":
        return (
            _("Your objection to {entry} was verified: {outcome}").format(
                entry=entry, outcome=objection["status_label"]
            ),
            objection.get("reason") or "",
        )
    if action == "decide":
        return (
            _("The office decided on the objection to {entry}: {status}").format(
                entry=entry, status=objection["status_label"]
            ),
            due if objection["status"] == "accepted" else "",
        )
    return (_("Objection to {entry} closed, mark removed").format(entry=entry), "")


def objection_changed(sender: str, **kwargs: Any) -> None:
    from ckanext.yiyang.notify import notify

    objection = kwargs.get("result") or {}
    if not objection.get("id"):
        return
    action = sender.removeprefix("yiyang_objection_")
    context = kwargs.get("context") or {}
    actor = model.User.get(context.get("user") or "")
    raiser = model.User.get(objection.get("raised_by") or "")
    providers = members(objection.get("owner_org"), ("editor", "admin"))
    if action in ("create", "contest"):
        recipients = reviewers()
    elif action in ("accept", "extend"):
        recipients = [*providers, *([raiser.id] if raiser else [])]
    elif action == "resolve":
        recipients = [*([raiser.id] if raiser else []), *reviewers()]
    else:
        recipients = [*([raiser.id] if raiser else []), *providers]
    recipients = [r for r in recipients if actor is None or r != actor.id]
    title, body = _message(action, objection)
    notify(
        recipients,
        kind=f"objection_{action}",
        title=title,
        body=body,
        link=link(objection),
        object_type="objection",
        object_id=objection["id"],
        commit=not context.get("defer_commit"),
    )


def feedback_changed(sender: str, **kwargs: Any) -> None:
    from ckanext.yiyang.notify import notify

    result = kwargs.get("result") or {}
    if not result.get("id"):
        return
    context = kwargs.get("context") or {}
    package = model.Package.get(result["dataset_id"])
    entry = package.title if package else ""
    if sender == "yiyang_feedback_create":
        recipients = members(result["provider_org"], ("editor", "admin"))
        title = _("New usage feedback on {entry}").format(entry=entry)
        body = result["outcome"]
    else:
        recipients = members(result["applicant_org"])
        title = _("The provider replied to your feedback on {entry}").format(entry=entry)
        body = result["reply"] or ""
    notify(
        recipients,
        kind=sender.removeprefix("yiyang_"),
        title=title,
        body=body,
        link=f"/subscription/{result['subscription_id']}",
        object_type="subscription",
        object_id=result["subscription_id"],
        commit=not context.get("defer_commit"),
    )
