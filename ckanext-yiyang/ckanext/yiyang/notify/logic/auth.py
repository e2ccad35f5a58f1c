"""Who may read and mark notifications: each logged-in user their own.

Anonymous visitors are refused by CKAN itself (these functions do not allow anonymous
access); sysadmins pass every auth function, which is what lets them read another user's
inbox with ``user=…``.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


def _is_self(context: Context, wanted: str | None) -> bool:
    if not wanted:
        return True
    user = context.get("auth_user_obj")
    return bool(user) and wanted in (getattr(user, "id", None), getattr(user, "name", None))


def yiyang_notification_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users, for their own notifications; another user's (``user``) only
    sysadmins."""
    if _is_self(context, data_dict.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("You can only read your own notifications")}


def yiyang_notification_mark_read(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the action only ever marks the caller's own notifications."""
    return {"success": True}


def yiyang_notification_preference_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users, their own; another user's (``user``) only sysadmins."""
    if _is_self(context, data_dict.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("You can only see your own notification settings")}


def yiyang_notification_preference_update(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users, their own; another user's (``user``) only sysadmins."""
    if _is_self(context, data_dict.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("You can only change your own notification settings")}
