"""What other features call: :func:`notify`.

::

    from ckanext.yiyang.notify import notify

    notify(
        reviewer_ids,
        kind="review_submitted",
        title=tk._("{title} waits for your review").format(title=entry["title"]),
        body=tk._("…"),
        link=f"/dataset/{entry['name']}",
        object_type="dataset",
        object_id=entry["id"],
    )

One inbox row per distinct recipient, then, once the rows are committed, one background job
for the whole batch sends the e-mails (:mod:`ckanext.yiyang.notify.mail`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.yiyang.notify import config
from ckanext.yiyang.notify.model import DIGEST, MAIL_PENDING, Notification, NotifyPreference

log = logging.getLogger(__name__)

#: The inbox page (``views.py`` serves it); mails point to it.
INBOX_PATH = "/dashboard/notifications"


def notify(
    user_ids: Iterable[str],
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    mail: bool = True,
    commit: bool = True,
) -> list[Notification]:
    """Put a notification in the inbox of each user and (unless ``mail=False`` or
    ``ckanext.yiyang.notify.mail = false``) send it to them by e-mail.

    :param user_ids: ids or names of the recipients; repeated and unknown ones and deleted
        users are dropped, so a caller may pass overlapping lists (a unit's admins and the
        reviewers, …).
    :param kind: what happened, a short machine name chosen by the feature
        (``review_submitted``, ``subscription_pending``, ``demand_overdue``, …).
    :param title: one line, already translated (``tk._``): the inbox line and the mail's
        subject, after the site title.
    :param body: plain text, already translated: the inbox detail and the mail's text.
    :param link: a path on the portal (``/dataset/101-000001``) where the recipient acts;
        outside addresses are refused.
    :param object_type: what it is about (``dataset``, ``subscription``, ``demand`` …).
    :param object_id: the id of that object.
    :param mail: also send e-mails (one background job for the batch) to those who want
        each notification at once; those who chose the daily digest get it there.
    :param commit: commit the session (as an action does). With ``commit=False`` the rows
        join the caller's transaction, and the e-mails go out only once the caller commits;
        if it rolls back, nothing is sent.
    :returns: the new rows, one per recipient (empty when nobody is left).

    The texts go out as given. The two lines added to the e-mail (the link and where to find
    all notifications) are translated in the current request's language; called outside a
    request (a CLI command, a job) they stay in English unless the caller pushes a request
    context, like the caller's own ``tk._`` strings.
    """
    if not kind or not title:
        raise ValueError("a notification needs a kind and a title")
    if link is not None and not is_local_path(link):
        raise ValueError(f"a notification links to a path on the portal, not {link!r}")
    title = " ".join(title.split())

    users = _recipients(user_ids)
    rows = [
        Notification(
            user_id=user.id,
            kind=kind,
            title=title,
            body=body or "",
            link=link,
            object_type=object_type,
            object_id=object_id,
        )
        for user in users
    ]
    if not rows:
        return rows
    session = model.Session
    session.add_all(rows)
    session.flush()  # ids, and the rows' errors here rather than at the caller's commit
    if mail and config.mail_enabled():
        # those who chose the daily digest get these in it (:mod:`.digest`), not now
        digest = digest_users([row.user_id for row in rows])
        now = [row.id for row in rows if row.user_id not in digest]
        for row in rows:
            if row.user_id not in digest:
                row.mail_state = MAIL_PENDING  # until the job has sent it
        if now:
            _send_after_commit(now, _subject(title), _mail_body(body, link))
    if commit:
        session.commit()
    return rows


def digest_users(user_ids: Iterable[str]) -> set[str]:
    """Those of ``user_ids`` who get their notifications by mail in a daily digest."""
    wanted = list(user_ids)
    if not wanted:
        return set()
    rows = model.Session.execute(
        sa.select(NotifyPreference.user_id).where(
            NotifyPreference.user_id.in_(wanted), NotifyPreference.mail_mode == DIGEST
        )
    ).scalars()
    return set(rows)


def is_local_path(link: str) -> bool:
    """A path on this portal: ``/…`` but not ``//host/…`` nor ``/\\host``."""
    return link.startswith("/") and not link.startswith(("//", "/\\"))


def _recipients(user_ids: Iterable[str]) -> list[model.User]:
    wanted = [u for u in dict.fromkeys(user_ids) if u]
    if not wanted:
        return []
    found = (
        model.Session.query(model.User)
        .filter(sa.or_(model.User.id.in_(wanted), model.User.name.in_(wanted)))
        .filter(model.User.state != model.State.DELETED)
        .all()
    )
    by_key = {u.id: u for u in found} | {u.name: u for u in found}
    users: dict[str, model.User] = {}
    for key in wanted:
        user = by_key.get(key)
        if user is None:
            log.warning("notification for an unknown or deleted user %r dropped", key)
        else:
            users.setdefault(user.id, user)
    return list(users.values())


def _subject(title: str) -> str:
    site_title = config.site_title()
    return f"[{site_title}] {title}" if site_title else title


def _mail_body(body: str, link: str | None) -> str:
    site_url = config.site_url()
    parts = [body.strip()] if body and body.strip() else []
    if link:
        parts.append(tk._("Open it on the portal: {url}").format(url=site_url + link))
    parts.append(
        "-- \n"
        + tk._("This message was sent by {site_title}. All your notifications: {url}").format(
            site_title=config.site_title(), url=site_url + INBOX_PATH
        )
    )
    return "\n\n".join(parts) + "\n"


_PENDING = "yiyang_notify_pending_mails"


def _send_after_commit(ids: list[str], subject: str, body: str) -> None:
    """Enqueue the mail job when the session commits: a worker must find the rows, and a
    rolled-back notification must not be mailed (the job also skips ids it cannot find)."""
    session = model.Session()
    if _PENDING not in session.info:
        session.info[_PENDING] = []
        sa.event.listen(session, "after_commit", _enqueue_pending)
        sa.event.listen(session, "after_rollback", _drop_pending)
    session.info[_PENDING].append((ids, subject, body))


def _enqueue_pending(session: sa.orm.Session) -> None:
    from ckanext.yiyang.notify import mail

    batches, session.info[_PENDING] = session.info.get(_PENDING) or [], []
    for ids, subject, body in batches:
        try:
            tk.enqueue_job(
                mail.send_notification_mails,
                [ids, subject, body],
                title=f"yiyang notification mails ({len(ids)})",
                queue=config.queue(),
            )
        except Exception:
            # The rows are committed with their mails pending: `ckan yiyang
            # resend-notification-mails` sends them once the queue answers again.
            log.exception("could not enqueue the mails of notifications %s: kept pending", ids)


def _drop_pending(session: sa.orm.Session) -> None:
    session.info[_PENDING] = []
