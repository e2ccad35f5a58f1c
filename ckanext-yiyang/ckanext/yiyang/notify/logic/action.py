"""Actions of the inbox: ``yiyang_notification_list``, ``yiyang_notification_mark_read``.

Notifications are created by the features through :func:`ckanext.yiyang.notify.notify`, not
through an action: nobody may put a message into someone else's inbox over the API.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.yiyang.notify.logic import schema
from ckanext.yiyang.notify.model import Notification


def _caller(context: Context) -> model.User:
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if not isinstance(user, model.User):
        raise tk.NotAuthorized(tk._("You must be logged in"))
    return user


@tk.side_effect_free
def yiyang_notification_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The caller's notifications, newest first.

    :param unread_only: only those not read yet (optional, default ``false``)
    :type unread_only: bool
    :param limit: how many to return (optional, default 20, at most 100)
    :type limit: int
    :param offset: how many of the newest to skip (optional, default 0)
    :type offset: int
    :param user: id or name of the user whose notifications to list (optional, sysadmins
        only; default: the caller)
    :type user: string

    :returns: ``count`` (how many match, for paging), ``unread`` (how many of the user's are
        unread, whatever the filter) and ``results``, each with ``id``, ``kind``, ``title``,
        ``body``, ``link`` (a path on the portal), ``object_type``, ``object_id``,
        ``created``, ``read_at`` (``null`` while unread) and ``unread``
    :rtype: dict
    """
    tk.check_access("yiyang_notification_list", context, data_dict)
    data, errors = tk.navl_validate(data_dict, schema.notification_list_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    user = _caller(context)
    if data.get("user"):
        other = model.User.get(data["user"])
        if other is None:
            raise tk.ObjectNotFound(tk._("User not found"))
        user = other

    mine = model.Session.query(Notification).filter(Notification.user_id == user.id)
    unread = mine.filter(Notification.read_at.is_(None))
    listed = unread if data["unread_only"] else mine
    rows = (
        listed.order_by(Notification.created.desc(), Notification.id)
        .offset(data["offset"])
        .limit(data["limit"])
        .all()
        if data["limit"]
        else []
    )
    return {
        "count": listed.count(),
        "unread": unread.count(),
        "results": [row.as_dict() for row in rows],
    }


def yiyang_notification_mark_read(context: Context, data_dict: DataDict) -> dict[str, int]:
    """Mark notifications of the caller as read.

    Only the caller's own notifications are marked, sysadmins included: ids of other users'
    notifications (and unknown ids) are ignored, not refused, so the answer never tells
    whether someone else's id exists. Notifications already read keep their first
    ``read_at``.

    :param id: the id of a notification, or a list of ids
    :type id: string or list of strings
    :param all: mark every unread notification of the caller (instead of ``id``)
    :type all: bool

    :returns: ``marked`` (how many were unread and are now read) and ``unread`` (how many are
        left unread)
    :rtype: dict
    """
    tk.check_access("yiyang_notification_mark_read", context, data_dict)
    data, errors = tk.navl_validate(data_dict, schema.notification_mark_read_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    user = _caller(context)

    unread = model.Session.query(Notification).filter(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    chosen = unread if data["all"] else unread.filter(Notification.id.in_(data["id"]))
    marked = chosen.update(
        {Notification.read_at: datetime.datetime.utcnow()}, synchronize_session=False
    )
    if not context.get("defer_commit"):
        model.repo.commit()
    return {"marked": marked, "unread": unread.count()}
