"""The daily digest: one mail per user who chose it, with every notification since their last
digest.

CKAN has no scheduler: a daily cron entry (or systemd timer) runs ``ckan yiyang
send-notification-digests``, which sends them at once, or with ``--enqueue`` hands
:func:`send_digests` to the background worker. Running it twice is harmless: each user's
digest is claimed by one conditional UPDATE, so of two runs at the same moment only one mails
a user, and a second run the same day finds nothing new. A user who switches back to one mail
each gets what was waiting for their digest at once (:func:`flush_after_commit`).
"""

from __future__ import annotations

import datetime
import logging

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import mailer

from ckanext.yiyang.notify import config
from ckanext.yiyang.notify.api import INBOX_PATH
from ckanext.yiyang.notify.model import DIGEST, MAIL_PENDING, Notification, NotifyPreference

log = logging.getLogger(__name__)


def send_digests(now: datetime.datetime | None = None) -> dict[str, int]:
    """Mail each user in digest mode the notifications created since their last digest (up
    to ``now``, UTC). Returns how many users were ``sent`` a digest, had ``nothing`` new, had
    no e-mail address (``no_email``) or ``failed`` (logged; tried again on the next run)."""
    from ckanext.yiyang.imports.common import request_context

    now = now or datetime.datetime.utcnow()
    counts = {"sent": 0, "nothing": 0, "no_email": 0, "failed": 0}
    user_ids = (
        model.Session.execute(
            sa.select(NotifyPreference.user_id).where(NotifyPreference.mail_mode == DIGEST)
        )
        .scalars()
        .all()
    )
    model.Session.commit()
    with request_context(None):
        for user_id in user_ids:
            counts[_send_one(user_id, now)] += 1
    log.info("notification digests: %s", counts)
    return counts


def _send_one(user_id: str, now: datetime.datetime) -> str:
    session = model.Session
    preference = session.get(NotifyPreference, user_id)
    if preference is None or preference.mail_mode != DIGEST:
        session.rollback()
        return "nothing"
    since = preference.digest_since or datetime.datetime.min
    session.rollback()
    # Claim the span (since, now]: a concurrent run waits on the row's lock, then finds
    # ``digest_since`` changed and claims nothing.
    claimed = session.execute(
        sa.update(NotifyPreference)
        .where(
            NotifyPreference.user_id == user_id,
            NotifyPreference.mail_mode == DIGEST,
            sa.func.coalesce(NotifyPreference.digest_since, datetime.datetime.min) == since,
        )
        .values(digest_since=now)
    ).rowcount
    if not claimed:
        session.rollback()
        return "nothing"
    rows = (
        session.query(Notification)
        .filter(
            Notification.user_id == user_id,
            Notification.created > since,
            Notification.created <= now,
        )
        .order_by(Notification.created, Notification.id)
        .all()
    )
    user = model.User.get(user_id)
    if not rows:
        session.commit()
        return "nothing"
    if user is None or not user.email:
        session.commit()
        return "no_email"
    try:
        mailer.mail_user(user, subject(len(rows)), body(rows))
    except Exception:
        session.rollback()  # not claimed: the next run sends them
        log.exception("notification digest for user %s failed", user_id)
        return "failed"
    session.commit()
    return "sent"


def subject(count: int) -> str:
    title = tk._("Your notifications: {count} new").format(count=count)
    site_title = config.site_title()
    return f"[{site_title}] {title}" if site_title else title


def flush_after_commit(
    user: model.User, since: datetime.datetime | None, now: datetime.datetime
) -> int:
    """Mail ``user`` the notifications waiting for their digest (created in ``(since, now]``)
    in one mail, once the caller commits (the switch from the digest to one mail each).
    Returns how many go (none without an e-mail address or with mails switched off)."""
    from ckanext.yiyang.notify import api

    if not user.email or not config.mail_enabled():
        return 0
    rows = (
        model.Session.query(Notification)
        .filter(
            Notification.user_id == user.id,
            Notification.created > (since or datetime.datetime.min),
            Notification.created <= now,
        )
        .order_by(Notification.created, Notification.id)
        .all()
    )
    if rows:
        # the mail job mails the recipient of each id given whose mail is pending: the
        # newest one's, once (kept pending until sent, like any other notification's mail)
        rows[-1].mail_state = MAIL_PENDING
        api._send_after_commit([rows[-1].id], subject(len(rows)), body(rows, switched=True))
    return len(rows)


def body(rows: list[Notification], switched: bool = False) -> str:
    site_url = config.site_url()
    parts = []
    for row in rows:
        lines = [f"* {row.title}"]
        if row.body and row.body.strip():
            lines.append("  " + " ".join(row.body.split()))
        if row.link:
            lines.append(f"  {site_url}{row.link}")
        parts.append("\n".join(lines))
    footer = (
        tk._(
            "You chose one mail per notification: these were waiting for your daily digest. "
            "Sent by {site_title}. All your notifications, and how they reach you: {url}"
        )
        if switched
        else tk._(
            "This daily digest was sent by {site_title}. All your notifications, and how they "
            "reach you: {url}"
        )
    )
    parts.append(
        "-- \n" + footer.format(site_title=config.site_title(), url=site_url + INBOX_PATH)
    )
    return "\n\n".join(parts) + "\n"
