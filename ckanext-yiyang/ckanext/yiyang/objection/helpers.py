"""Template helpers of the objection and feedback pages."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.objection import config, states


def yiyang_objection_status_label(status: str) -> str:
    """The name of an objection's state in the request's language."""
    return states.MACHINE.label(status)


def yiyang_objection_kinds() -> list[dict[str, str]]:
    """The kinds of objection as choices: ``[{"value", "label"}]``."""
    return [{"value": k, "label": tk._(label)} for k, label in states.KINDS.items()]


def yiyang_objection_action_label(action: str) -> str:
    _ = tk._
    return {
        "create": _("Raised"),
        "accept": _("Accepted and forwarded"),
        "extend": _("Verification extended"),
        "correct": _("Corrected"),
        "maintain": _("Data maintained"),
        "contest": _("Contested"),
        "reopen": _("Reopened by the office"),
        "uphold": _("Outcome upheld by the office"),
        "close": _("Closed, mark removed"),
    }.get(action, action)


def yiyang_feedback_of(subscription_id: str) -> dict[str, Any] | None:
    """The feedback on an application as the user may see it, or None."""
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    try:
        return tk.get_action("yiyang_feedback_show")(
            {"user": user}, {"subscription_id": subscription_id}
        )
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def yiyang_feedback_may(action: str, data: dict[str, Any]) -> bool:
    """The user may take ``yiyang_feedback_<action>`` on ``data``."""
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    try:
        tk.check_access(f"yiyang_feedback_{action}", {"user": user}, data)
    except tk.NotAuthorized:
        return False
    return True


def yiyang_objection_attachment_types() -> list[str]:
    """The extensions an objection's attachment may have."""
    return config.attachment_types()


def yiyang_objection_attachment_max_mb() -> int:
    """The largest attachment of an objection, in MB."""
    return config.attachment_max_mb()
