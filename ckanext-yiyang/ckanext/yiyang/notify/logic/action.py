"""Actions of the inbox: ``yiyang_notification_list``, ``yiyang_notification_mark_read``, and
of how notifications are mailed: ``yiyang_notification_preference_show``, ``…_update``.

Notifications are created by the features through :func:`ckanext.yiyang.notify.notify`, not
through an action: nobody may put a message into someone else's inbox over the API.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.notify import dashboard, digest
from ckanext.yiyang.notify.logic import schema
from ckanext.yiyang.notify.model import DIGEST, IMMEDIATE, Notification, NotifyPreference


def _caller(context: Context) -> model.User:
    user = context.get("auth_user_obj") or model.User.get(context.get("user") or "")
    if not isinstance(user, model.User):
        raise tk.NotAuthorized(tk._("You must be logged in"))
    return user


def _whose(context: Context, data: dict[str, Any]) -> model.User:
    """The caller, or the user ``user`` (the auth function has let only sysadmins ask)."""
    user = _caller(context)
    if data.get("user"):
        other = model.User.get(data["user"])
        if other is None:
            raise tk.ObjectNotFound(tk._("User not found"))
        user = other
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
    user = _whose(context, data)

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


def _preference_dict(user: model.User, row: NotifyPreference | None) -> dict[str, Any]:
    return {
        "user_id": user.id,
        "mail_mode": row.mail_mode if row is not None else IMMEDIATE,
        "digest_since": row.digest_since.isoformat() if row and row.digest_since else None,
    }


@tk.side_effect_free
def yiyang_notification_preference_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """How the caller's notifications reach them by e-mail.

    :param user: id or name of another user (optional, sysadmins only; default: the caller)
    :type user: string

    :returns: ``user_id``, ``mail_mode`` (``immediate``: each notification mailed at once;
        ``digest``: one mail a day with all of them) and ``digest_since`` (what the next
        digest starts after, UTC; null for ``immediate``)
    :rtype: dict
    """
    tk.check_access("yiyang_notification_preference_show", context, data_dict)
    data, errors = tk.navl_validate(data_dict, schema.preference_show_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    user = _whose(context, data)
    return _preference_dict(user, model.Session.get(NotifyPreference, user.id))


def yiyang_notification_preference_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Choose how the caller's notifications reach them by e-mail. The inbox gets every
    notification either way.

    Switching to the digest starts it now: notifications already mailed are not mailed again.
    Switching back to one mail each mails what was waiting for the next digest at once, in one
    mail (after the commit, by the worker); the next digest run finds nothing of it.

    :param mail_mode: ``immediate`` (each notification mailed at once) or ``digest`` (one mail
        a day, sent by ``ckan yiyang send-notification-digests``, with all since the last)
    :type mail_mode: string
    :param user: id or name of another user (optional, sysadmins only; default: the caller)
    :type user: string

    :returns: the preference, as ``yiyang_notification_preference_show``, and ``flushed``:
        how many notifications that were waiting for the digest are mailed now
    :rtype: dict
    """
    tk.check_access("yiyang_notification_preference_update", context, data_dict)
    data, errors = tk.navl_validate(data_dict, schema.preference_update_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    user = _whose(context, data)
    now = datetime.datetime.utcnow()
    row = model.Session.get(NotifyPreference, user.id, with_for_update=True)
    if row is None:
        row = NotifyPreference(user_id=user.id, mail_mode=IMMEDIATE)
        model.Session.add(row)
    flushed = 0
    if row.mail_mode != data["mail_mode"]:
        if row.mail_mode == DIGEST:
            # The row is locked: a digest run claims the span first (and this reads its new
            # ``digest_since``) or finds the mode changed and claims nothing.
            flushed = digest.flush_after_commit(user, row.digest_since, now)
        row.mail_mode = data["mail_mode"]
        row.digest_since = now if data["mail_mode"] != IMMEDIATE else None
        row.modified = now
    model.Session.flush()
    result = {**_preference_dict(user, row), "flushed": flushed}
    if not context.get("defer_commit"):
        model.repo.commit()
    return result


#: The field of CKAN's user edit form (``user/edit_user_form.html`` here) with the choice.
MAIL_MODE_FIELD = "yiyang_mail_mode"


@tk.chained_action
def user_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``user_update``, which also takes the choice of how notifications are mailed
    (``yiyang_mail_mode``: ``immediate`` or ``digest``, the user page's form) and stores it as
    ``yiyang_notification_preference_update`` does."""
    mode = data_dict.pop(MAIL_MODE_FIELD, None) if isinstance(data_dict, dict) else None
    if mode:
        _, errors = tk.navl_validate(
            {"mail_mode": mode}, schema.preference_update_schema(), context
        )
        if errors:
            raise tk.ValidationError({MAIL_MODE_FIELD: errors["mail_mode"]})
    result = up_func(context, data_dict)
    if mode:
        tk.get_action("yiyang_notification_preference_update")(
            {"user": context.get("user")},
            {"mail_mode": mode, "user": result["id"] if isinstance(result, dict) else None},
        )
    return result


@tk.chained_action
def dashboard_mark_activities_old(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's; the header's kept count of new activities is forgotten too
    (``notify.dashboard``)."""
    result = up_func(context, data_dict)
    user = model.User.get(context.get("user") or "")
    if user is not None:
        dashboard.forget(user.id)
    return result
