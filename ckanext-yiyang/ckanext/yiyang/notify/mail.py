"""The background job that sends a batch of notifications by e-mail.

It runs in CKAN's worker (``ckan jobs worker``): no request, only the configuration and the
database, so everything it needs is in its arguments or in the inbox rows.
"""

from __future__ import annotations

import logging

import ckan.model as model
from ckan.lib import mailer

from ckanext.yiyang.notify.model import Notification

log = logging.getLogger(__name__)


def send_notification_mails(ids: list[str], subject: str, body: str) -> dict[str, list[str]]:
    """Mail ``subject`` and ``body`` to the recipient of each notification in ``ids``.

    Recipients without an e-mail address are skipped; a failed delivery is logged and the
    others still go out. The inbox rows are never touched: a mail that did not arrive is
    still in the inbox. Returns the notification ids by outcome (kept by RQ as the job's
    result).
    """
    result: dict[str, list[str]] = {"sent": [], "no_email": [], "failed": []}
    rows = (
        model.Session.query(Notification, model.User)
        .join(model.User, model.User.id == Notification.user_id)
        .filter(Notification.id.in_(ids))
        .all()
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
    missing = set(ids) - {n.id for n, _user in rows}
    if missing:
        log.info("notifications %s are gone (rolled back or deleted): not mailed", sorted(missing))
    log.info(
        "notification mails: %d sent, %d without e-mail address, %d failed",
        len(result["sent"]),
        len(result["no_email"]),
        len(result["failed"]),
    )
    return result
