"""Side effects of review transitions (catalog-model §9): whoever must act next is told, in
the inbox and by mail (the notify feature sends the mail from a background job)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import SignalMapping

from ckanext.yiyang.roles import members, reviewers

_ = tk._


def get_subscriptions() -> SignalMapping:
    return {
        tk.signals.action_succeeded: [
            {"sender": f"yiyang_review_{action}", "receiver": transition_done}
            for action in ("submit", "approve", "return", "withdraw")
        ]
    }


def _message(
    action: str, revision: bool, entry: dict[str, Any], event: dict[str, Any]
) -> tuple[str, str]:
    title = entry["title"]
    what = (_("The change of {title}") if revision else "{title}").format(title=title)
    unit = (entry.get("organization") or {}).get("title", "")
    code = entry.get("resource_code") or ""
    opinion = event.get("opinion") or ""
    if action == "submit":
        return (
            _("{what} is waiting for your review").format(what=what),
            _("{unit} submitted {what} ({code}) for review.").format(
                unit=unit, what=what, code=code
            ),
        )
    if action == "return":
        return (
            _("{what} was returned for correction").format(what=what),
            _("Opinion of the e-government office: {opinion}").format(opinion=opinion),
        )
    if action == "approve":
        body = (
            _("Opinion of the e-government office: {opinion}").format(opinion=opinion)
            if opinion
            else ""
        )
        return _("{what} was approved and published").format(what=what), body
    return (
        _("{what} was withdrawn from the catalog").format(what=what),
        _("Reason: {reason}").format(reason=opinion),
    )


def transition_done(sender: str, **kwargs: Any) -> None:
    from ckanext.yiyang.desk.logic.action import BULK
    from ckanext.yiyang.notify import notify
    from ckanext.yiyang.review.workflow import last_event

    if (kwargs.get("context") or {}).get(BULK):  # a batch sends one notice for all
        return
    entry = kwargs.get("result") or {}
    event = last_event(entry["id"]) if entry.get("id") else None
    if not event:
        return
    action = sender.removeprefix("yiyang_review_")
    if action == "submit":
        recipients = reviewers()
    else:
        recipients = members(entry.get("owner_org"), ("editor", "admin"))
    actor = model.User.get(event.get("actor") or "")
    recipients = [r for r in recipients if actor is None or r != actor.id]
    title, body = _message(action, bool(event.get("revision")), entry, event)
    notify(
        recipients,
        kind=f"review_{action}",
        title=title,
        body=body,
        link=f"/dataset/{entry['name']}#review",
        object_type="dataset",
        object_id=entry["id"],
        # the inbox rows join the transition's transaction when its caller commits
        commit=not (kwargs.get("context") or {}).get("defer_commit"),
    )
