"""The inbox page: ``/dashboard/notifications``."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Context, Response
from flask import Blueprint

from ckanext.yiyang.notify.api import INBOX_PATH, is_local_path
from ckanext.yiyang.pager import pager

PER_PAGE = 20

notify = Blueprint("yiyang_notify", __name__, url_prefix=INBOX_PATH)


@notify.before_request
def _logged_in() -> Response | None:
    if tk.current_user.is_anonymous:
        tk.h.flash_error(tk._("Log in to see your notifications"))
        return tk.h.redirect_to("user.login", came_from=tk.request.full_path)
    return None


def _context() -> Context:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


@notify.route("", strict_slashes=False)
def inbox() -> str:
    unread_only = tk.asbool(tk.request.args.get("unread", False))
    page_number = tk.h.get_page_number(tk.request.args)
    result = tk.get_action("yiyang_notification_list")(
        _context(),
        {
            "unread_only": unread_only,
            "limit": PER_PAGE,
            "offset": (page_number - 1) * PER_PAGE,
        },
    )

    kept = {"unread": "true"} if unread_only else {}
    page = pager(result, page_number, PER_PAGE, "yiyang_notify.inbox", **kept)
    preference = tk.get_action("yiyang_notification_preference_show")(_context(), {})
    return tk.render(
        "yiyang/notify/inbox.html",
        {
            "preference": preference,
            "notifications": result["results"],
            "count": result["count"],
            "unread": result["unread"],
            "unread_only": unread_only,
            "page": page,
        },
    )


@notify.route("/<id>/open", methods=["POST"])
def open_(id: str) -> Response:
    """Mark one notification read and go where it points (``next``, a path on the portal)."""
    tk.get_action("yiyang_notification_mark_read")(_context(), {"id": id})
    target = tk.request.form.get("next") or ""
    if target and is_local_path(target):
        return tk.redirect_to(tk.h.url_for(target))
    return tk.redirect_to("yiyang_notify.inbox")


@notify.route("/read", methods=["POST"])
def mark_all_read() -> Response:
    result = tk.get_action("yiyang_notification_mark_read")(_context(), {"all": True})
    if result["marked"]:
        tk.h.flash_success(tk._("All notifications marked as read"))
    return tk.redirect_to("yiyang_notify.inbox")


@notify.route("/settings", methods=["POST"])
def settings() -> Response:
    """The user's choice of how notifications are mailed (the form on the inbox)."""
    try:
        result = tk.get_action("yiyang_notification_preference_update")(
            _context(), {"mail_mode": tk.request.form.get("mail_mode", "")}
        )
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            for message in messages if isinstance(messages, list) else [messages]:
                tk.h.flash_error(str(message))
    else:
        tk.h.flash_success(tk._("Your notification settings were saved"))
        if result.get("flushed"):
            tk.h.flash_success(
                tk._(
                    "{n} notifications were waiting for your daily digest: they are mailed "
                    "to you now."
                ).format(n=result["flushed"])
            )
    return tk.redirect_to("yiyang_notify.inbox")
