"""Template helpers of the notifications (every name in ``__all__``)."""

from __future__ import annotations

from collections.abc import Callable

import ckan.plugins.toolkit as tk

from ckanext.yiyang.notify import dashboard

__all__ = ["new_activities", "yiyang_notification_mail_mode", "yiyang_notification_unread_count"]


@tk.chained_helper
def new_activities(up_func: Callable[[], int | None]) -> int | None:
    """The activity plugin's count of the user's new dashboard activities, kept a minute
    (``notify.dashboard``)."""
    user = tk.g.get("userobj")
    if user is None:
        return up_func()
    return dashboard.counted(user.id, up_func)


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
