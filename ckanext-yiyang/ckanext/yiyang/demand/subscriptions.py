"""Side effects of demands (catalog-model §9): whoever must act next is told, in the inbox and
by mail."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import SignalMapping

from ckanext.yiyang.roles import members, reviewers

_ = tk._

ACTIONS = ("create", "route", "accept", "fulfil", "reject", "comment")


def get_subscriptions() -> SignalMapping:
    return {
        tk.signals.action_succeeded: [
            {"sender": f"yiyang_demand_{action}", "receiver": demand_changed} for action in ACTIONS
        ]
    }


def answerers(demand: dict[str, Any]) -> list[str]:
    """Who must answer: the providing unit's editors and admins, or the office to route it."""
    if demand.get("provider_org"):
        return members(demand["provider_org"], ("editor", "admin"))
    return reviewers()


def link(demand: dict[str, Any]) -> str:
    return f"/demand/{demand['id']}"


def _message(action: str, demand: dict[str, Any], result: dict[str, Any]) -> tuple[str, str]:
    """The notice's title and text; ``result``: the action's (for a comment, the comment)."""
    title = demand["title"]
    requester = (demand.get("requester") or {}).get("title", "")
    provider = (demand.get("provider") or {}).get("title", "")
    if action in ("create", "route"):
        return (
            _("New demand from {unit}: {title}").format(unit=requester, title=title),
            _("Answer by {due}.").format(due=demand.get("due_date") or "")
            + "\n\n"
            + demand["content"],
        )
    if action == "accept":
        return (
            _("{unit} accepted your demand {title}").format(unit=provider, title=title),
            _("Answer by {due}.").format(due=demand.get("due_date") or ""),
        )
    if action == "fulfil":
        dataset = demand.get("dataset") or {}
        return (
            _("Your demand {title} was fulfilled").format(title=title),
            _("It is met by the catalog entry {entry}: {path}").format(
                entry=dataset.get("title", ""), path=f"/dataset/{dataset.get('name', '')}"
            ),
        )
    if action == "reject":
        return (
            _("Your demand {title} cannot be met").format(title=title),
            _("Reason: {reason}").format(reason=demand["reason"]),
        )
    comment = result
    return (
        _("New comment on the demand {title}").format(title=title),
        "{user}: {body}".format(user=comment.get("user", ""), body=comment.get("body", "")),
    )


def demand_changed(sender: str, **kwargs: Any) -> None:
    from ckanext.yiyang.demand import workflow
    from ckanext.yiyang.notify import notify

    result = kwargs.get("result") or {}
    action = sender.removeprefix("yiyang_demand_")
    if action == "comment":
        found = workflow.get_demand(result.get("demand_id") or "", must_exist=False)
        demand = workflow.dictize(found) if found is not None else None
    else:
        demand = result
    if not demand or not demand.get("id"):
        return
    context = kwargs.get("context") or {}
    user = model.User.get(context.get("user") or "")
    actor = user.id if user is not None else None
    requester = model.User.get(demand.get("requester_user") or "")
    requesters = [requester.id] if requester is not None else []
    if action in ("create", "route"):
        recipients = answerers(demand)
    elif action == "comment":
        recipients = [*requesters, *answerers(demand)]
    else:
        recipients = requesters
    recipients = [r for r in recipients if r != actor]
    title, body = _message(action, demand, result)
    notify(
        recipients,
        kind=f"demand_{action}",
        title=title,
        body=body,
        link=link(demand),
        object_type="demand",
        object_id=demand["id"],
        # the inbox rows join the action's transaction when its caller commits
        commit=not context.get("defer_commit"),
    )
