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
    """The decisions that may follow ``state`` (expiry is the daily job's, not a person's);
    the page asks the auth functions who may take them."""
    return [a for a in states.MACHINE.next_actions(state) if a != "expire"]


def yiyang_subscription_may_coordinate(sub: dict[str, Any]) -> bool:
    """The applicant may still ask the office to coordinate this application."""
    return not sub.get("coordination_requested") and workflow.may_coordinate(
        sub["status"], bool(sub.get("overdue"))
    )


def yiyang_subscription_purpose_label(purpose: str) -> str:
    return workflow.purpose_label(purpose)


def yiyang_subscription_purposes() -> list[dict[str, str]]:
    return [{"value": p, "text": workflow.purpose_label(p)} for p in workflow.PURPOSES]
