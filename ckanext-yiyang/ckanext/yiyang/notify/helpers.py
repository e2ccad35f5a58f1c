"""Template helpers of the notifications (every name in ``__all__``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["yiyang_notification_mail_mode", "yiyang_notification_unread_count"]


def yiyang_notification_unread_count() -> int:
    """How many notifications the logged-in user has not read (0 for anonymous visitors)."""
    if not tk.current_user or tk.current_user.is_anonymous:
        return 0
    try:
        result = tk.get_action("yiyang_notification_list")(
            {"user": tk.current_user.name}, {"limit": 0}
        )
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return 0
    return int(result["unread"])


def yiyang_notification_mail_mode(user_id: str | None) -> str:
    """How the user ``user_id`` (the logged-in user's own, or any for a sysadmin) gets
    notifications by mail: ``immediate`` or ``digest``."""
    if not user_id or not tk.current_user or tk.current_user.is_anonymous:
        return "immediate"
    try:
        result = tk.get_action("yiyang_notification_preference_show")(
            {"user": tk.current_user.name}, {"user": user_id}
        )
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return "immediate"
    return str(result["mail_mode"])
