"""The background job that sends a batch of notifications by e-mail, and the resending of mails
whose job was lost.

It runs in CKAN's worker (``ckan jobs worker``): no request, only the configuration and the
database, so everything it needs is in its arguments or in the inbox rows. Each row keeps its
mail's state (``mail_state``) until it is sent: the job first takes the rows still ``pending``
(one conditional UPDATE: two jobs with the same rows send each mail once), then marks each
``sent`` or ``no_email``; a failed delivery goes back to ``pending``. A job lost with the queue
(Redis down when it was enqueued, a worker killed) leaves its rows ``pending`` or ``sending``:
:func:`resend` enqueues them again.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib import mailer

from ckanext.yiyang.notify import config
from ckanext.yiyang.notify.model import (
    MAIL_NO_EMAIL,
    MAIL_PENDING,
    MAIL_SENDING,
    MAIL_SENT,
    Notification,
)

log = logging.getLogger(__name__)

_TABLE = Notification.__table__


def _claim(ids: list[str]) -> set[str]:
    """The rows of ``ids`` whose mail is still to send, now ``sending``."""
    claimed = model.Session.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.id.in_(ids), _TABLE.c.mail_state == MAIL_PENDING)
        .values(mail_state=MAIL_SENDING)
        .returning(_TABLE.c.id)
    ).all()
    model.Session.commit()
    return {row[0] for row in claimed}


def _mark(ids: list[str], state: str) -> None:
    if not ids:
        return
    sent = datetime.datetime.utcnow() if state == MAIL_SENT else None
    model.Session.execute(
        sa.update(_TABLE).where(_TABLE.c.id.in_(ids)).values(mail_state=state, mailed_at=sent)
    )
    model.Session.commit()


def send_notification_mails(ids: list[str], subject: str, body: str) -> dict[str, list[str]]:
    """Mail ``subject`` and ``body`` to the recipient of each notification in ``ids`` whose
    mail is still pending.

    Recipients without an e-mail address are skipped; a failed delivery is logged, kept
    pending, and the others still go out. The inbox rows stay: a mail that did not arrive is
    still in the inbox. Returns the notification ids by outcome (kept by RQ as the job's
    result); ``done`` lists those another job had sent or taken.
    """
    result: dict[str, list[str]] = {"sent": [], "no_email": [], "failed": [], "done": []}
    claimed = _claim(ids)
    rows = (
        model.Session.query(Notification, model.User)
        .join(model.User, model.User.id == Notification.user_id)
        .filter(Notification.id.in_(claimed))
        .all()
        if claimed
        else []
    )
    for notification, user in rows:
        if not user.email:
            result["no_email"].append(notification.id)
            continue
        try:
            mailer.mail_user(user, subject, body)
        except Exception:
            log.exception("notification %s: mail to user %s failed", notification.id, user.name)
            result["failed"].append(notification.id)
        else:
            result["sent"].append(notification.id)
            _mark([notification.id], MAIL_SENT)  # at once: a killed worker resends no more
    _mark(result["no_email"], MAIL_NO_EMAIL)
    _mark(result["failed"], MAIL_PENDING)
    found = {n.id for n, _user in rows}
    result["done"] = sorted(set(ids) - claimed)
    missing = claimed - found
    if missing:
        log.info("notifications %s are gone (rolled back or deleted): not mailed", sorted(missing))
    log.info(
        "notification mails: %d sent, %d without e-mail address, %d failed, %d already done",
        len(result["sent"]),
        len(result["no_email"]),
        len(result["failed"]),
        len(result["done"]),
    )
    return result


def resend(older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Enqueue again the mails of notifications still ``pending`` or ``sending`` after
    ``older_than`` (their job was lost); returns how many. Rows ``sending`` go back to
    ``pending`` first. Run by ``ckan yiyang resend-notification-mails`` (``portal.sh start``
    runs it before the worker starts)."""
    from ckanext.yiyang.notify.api import _mail_body, _subject

    cutoff = datetime.datetime.utcnow() - older_than
    unsent = _TABLE.c.mail_state.in_((MAIL_PENDING, MAIL_SENDING))
    model.Session.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.mail_state == MAIL_SENDING, _TABLE.c.created <= cutoff)
        .values(mail_state=MAIL_PENDING)
    )
    rows = model.Session.execute(
        sa.select(_TABLE.c.id, _TABLE.c.title, _TABLE.c.body, _TABLE.c.link)
        .where(unsent, _TABLE.c.mail_state == MAIL_PENDING, _TABLE.c.created <= cutoff)
        .order_by(_TABLE.c.created)
    ).all()
    model.Session.commit()
    batches: dict[tuple[str, str, str | None], list[str]] = defaultdict(list)
    for row in rows:
        batches[(row.title, row.body, row.link)].append(row.id)
    for (title, body, link), ids in batches.items():
        tk.enqueue_job(
            send_notification_mails,
            [ids, _subject(title), _mail_body(body, link)],
            title=f"yiyang notification mails, again ({len(ids)})",
            queue=config.queue(),
        )
    return len(rows)
