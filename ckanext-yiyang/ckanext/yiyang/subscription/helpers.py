"""Template helpers of subscriptions: the entry page's panel and the labels of the lists."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang import roles
from ckanext.yiyang.review import states as review_states
from ckanext.yiyang.subscription import states, workflow


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def yiyang_subscriptions_of_entry(package_id: str) -> list[dict[str, Any]]:
    """The current user's units' applications for this entry."""
    if not tk.current_user.is_authenticated:
        return []
    try:
        return tk.get_action("yiyang_subscription_list")(
            _context(), {"scope": "applied", "dataset_id": package_id}
        )["results"]
    except (tk.NotAuthorized, tk.ValidationError):
        return []


def yiyang_subscription_can_apply(
    pkg: dict[str, Any], applications: list[dict[str, Any]] | None = None
) -> bool:
    """Whether to offer the "apply" button: a member of another unit, a published entry, and
    one of the user's units has no application pending or approved for it yet.
    ``applications``: the user's units' applications for it, when the caller has them."""
    if not tk.current_user.is_authenticated or pkg.get("review_status") != review_states.PUBLISHED:
        return False
    units = set(roles.units_of(tk.current_user.name))
    if not units or pkg.get("owner_org") in units:
        return False
    live = {
        sub["applicant_org"]
        for sub in (
            applications if applications is not None else yiyang_subscriptions_of_entry(pkg["id"])
        )
        if sub["status"] in states.LIVE
    }
    return bool(units - live)


def yiyang_subscription_state_label(state: str) -> str:
    return states.MACHINE.label(state)


def yiyang_subscription_next(state: str) -> list[str]:
    """The decisions that may follow ``state`` (expiry is the daily job's, the office's
    review and decision have forms of their own); the page asks the auth functions who may
    take them."""
    return [a for a in states.MACHINE.next_actions(state) if a not in states.AUTOMATIC]


def yiyang_subscription_may_coordinate(sub: dict[str, Any]) -> bool:
    """The applicant may still ask the office to coordinate this application."""
    return not sub.get("coordination_requested") and workflow.may_coordinate(
        sub["status"], bool(sub.get("overdue"))
    )


def yiyang_subscription_purpose_label(purpose: str) -> str:
    return workflow.purpose_label(purpose)


def yiyang_subscription_purposes() -> list[dict[str, str]]:
    return [{"value": p, "text": workflow.purpose_label(p)} for p in workflow.PURPOSES]


def yiyang_subscription_basis_required() -> bool:
    """The application form marks 依据, 应用场景, 使用范围 as required."""
    from ckanext.yiyang.subscription import config

    return config.require_basis()


def yiyang_subscription_steps(sub: dict[str, Any]) -> list[dict[str, Any]]:
    """The lifecycle's steps for the application page: each ``{key, label, state}`` with
    ``state`` ``done``, ``current`` or ``todo`` (a refusal's dispute only when it happened)."""
    _ = tk._
    status = sub["status"]
    done = {h["action"] for h in sub.get("history") or []}
    steps = [("create", _("Applied"))]
    if "pass" in done or "grant" in done or "fail" in done or status == states.CHECKING:
        steps.append(("check", _("Compliance review by the office")))
    if sub.get("share_type") == "conditional":
        steps.append(("answer", _("The provider answers")))
    disputed = {"contest", "coordinate", "decide_grant", "decide_refuse"} & done
    if disputed or status in (states.REJECTED, states.NEGOTIATING, states.COORDINATING):
        steps += [
            ("negotiate", _("Negotiation between the units")),
            ("coordinate", _("Coordination and decision by the office")),
        ]
    steps.append(("grant", _("Granted")))
    current = {
        states.CHECKING: "check",
        states.PENDING: "answer",
        states.REJECTED: "negotiate",
        states.NEGOTIATING: "negotiate",
        states.COORDINATING: "coordinate",
    }.get(status, "grant")
    keys = [k for k, _label in steps]
    at = keys.index(current) if current in keys else len(keys) - 1
    result = []
    for i, (key, label) in enumerate(steps):
        state = "done" if i < at else ("current" if i == at else "todo")
        if key == "grant" and status in states.GRANTS | {states.EXPIRED, states.REVOKED}:
            state = "done"
        result.append({"key": key, "label": label, "state": state})
    return result


def yiyang_subscription_thread(sub: dict[str, Any]) -> list[dict[str, Any]]:
    """The negotiation thread: the contest and every message."""
    return [h for h in sub.get("history") or [] if h["action"] in ("contest", "negotiate")]


def yiyang_subscription_may(action: str, sub: dict[str, Any]) -> bool:
    """The current user may take ``action`` on ``sub`` now (its state and the auth)."""
    status = sub["status"]
    allowed = {
        "check": status == states.CHECKING,
        "negotiate": status in (states.REJECTED, states.NEGOTIATING),
        "decide": status == states.COORDINATING,
        "revoke": status in states.GRANTS,
        "renew": status in states.RENEWABLE,
        "approve": states.MACHINE.allows("approve", status),
        "reject": states.MACHINE.allows("reject", status),
        "cancel": states.MACHINE.allows("cancel", status),
        "coordinate": yiyang_subscription_may_coordinate(sub),
    }.get(action, False)
    if not allowed:
        return False
    if action == "negotiate" and status == states.REJECTED:
        # only the applicant unit contests a refusal
        return sub["applicant_org"] in roles.units_of(_context()["user"])
    return _current_user_may(f"yiyang_subscription_{action}", sub)


def yiyang_subscription_list_actions(sub: dict[str, Any], scope: str) -> list[str]:
    """The buttons of ``sub``'s row in the lists (``scope``): approve and reject, cancel, ask
    the office to coordinate — those the current user may take now."""
    following = yiyang_subscription_next(sub["status"])
    actions = []
    if "approve" in following and _current_user_may("yiyang_subscription_approve", sub):
        actions += ["approve", "reject"]
    if "cancel" in following and _current_user_may("yiyang_subscription_cancel", sub):
        actions.append("cancel")
    if scope == "applied" and yiyang_subscription_may_coordinate(sub):
        actions.append("coordinate")
    return actions


def _current_user_may(action: str, sub: dict[str, Any]) -> bool:
    # the user's account handed to the check: ``h.check_access`` reads it from the database
    # on each call (two a row of a list)
    user = tk.current_user
    if not user.is_authenticated:
        return False
    account = user._get_current_object()
    context = {"user": account.name, "auth_user_obj": account}
    try:
        tk.check_access(action, context, {"id": sub["id"]})
    except tk.NotAuthorized:
        return False
    return True
