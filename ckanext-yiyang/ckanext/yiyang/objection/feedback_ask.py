"""Asking for usage feedback after a grant's first use (issue 14.3, 共享成效评价): when the
applicant unit reads the granted data for the first time — any way the read signal
``yiyang_data_read`` tells (a download, the API, a service account's key, a dump, a preview) —
its applicant is asked once to rate the grant: a notice in the inbox and a mail, and the grant
waits in the desk's 待评价 slot until it is rated.

In the request, one statement on a connection of its own (committed at once, like the access
log): ``INSERT … SELECT`` the reader's units' grants of the entry into
``yiyang_feedback_request`` ``ON CONFLICT DO NOTHING RETURNING``. The table's primary key is
the grant, so only the first read of each grant — even of two at the same time — gets a row
back. For each, a background job sends the notice and the mail; nothing else happens in the
request. Reads refused (a revoked or expired grant), reads by another unit and the provider's
own reads ask nothing. The feedback form is open to the applicant before the ask too.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert

from ckanext.yiyang import roles
from ckanext.yiyang.objection.model import FeedbackRequest
from ckanext.yiyang.subscription import states as subscription_states
from ckanext.yiyang.subscription.model import Subscription

log = logging.getLogger(__name__)

SERVED = "served"
KIND = "feedback_requested"


def _engine() -> sa.engine.Engine:
    bind = model.Session.get_bind()
    return bind.engine if isinstance(bind, sa.engine.Connection) else bind


def first_reads(user_name: str, dataset_id: str, how: str) -> list[str]:
    """Record that ``user_name`` read ``dataset_id``'s data: the ids of the grants of the
    reader's units on it that were not asked for feedback before (now they are)."""
    units = roles.units_of(user_name)
    if not units or not dataset_id:
        return []
    grant = Subscription.__table__
    package = model.package_table
    now = datetime.datetime.utcnow()
    chosen = (
        sa.select(
            grant.c.id,
            sa.literal(now, sa.DateTime),
            sa.literal(user_name, sa.UnicodeText),
            sa.literal(how, sa.UnicodeText),
        )
        .select_from(grant.join(package, package.c.id == grant.c.dataset_id))
        .where(
            grant.c.dataset_id == dataset_id,
            grant.c.applicant_org.in_(units),
            grant.c.status.in_(sorted(subscription_states.GRANTS)),
            # the provider reading its own entry is no use of a grant
            grant.c.applicant_org != package.c.owner_org,
        )
    )
    statement = (
        insert(FeedbackRequest.__table__)
        .from_select(["subscription_id", "requested_at", "read_by", "how"], chosen)
        .on_conflict_do_nothing(index_elements=["subscription_id"])
        .returning(FeedbackRequest.__table__.c.subscription_id)
    )
    with _engine().begin() as connection:
        return list(connection.execute(statement).scalars())


def data_read(sender: Any, **read: Any) -> None:
    """Receiver of ``yiyang_data_read``: a served read by a unit with a grant asks for its
    feedback the first time. A failure is logged, never the reader's problem."""
    if read.get("outcome") != SERVED or not sender or not read.get("dataset_id"):
        return
    try:
        asked = first_reads(str(sender), str(read["dataset_id"]), str(read.get("how") or ""))
    except Exception:
        log.exception("could not record the first read of %s by %s", read["dataset_id"], sender)
        return
    for subscription_id in asked:
        _enqueue(subscription_id)


def _enqueue(subscription_id: str) -> None:
    from ckanext.yiyang.notify import config as notify_config

    try:
        tk.enqueue_job(
            ask,
            [subscription_id],
            title=f"yiyang feedback request {subscription_id}",
            queue=notify_config.queue(),
        )
    except Exception:
        # the row is kept: the desk still asks, only the notice and the mail are lost
        log.exception("could not enqueue the feedback request of %s", subscription_id)


def ask(subscription_id: str) -> int:
    """The background job: the applicant (and the applicant unit's admins) are asked, in the
    inbox and by mail, to rate the grant. Returns how many were asked."""
    from ckanext.yiyang.imports.common import request_context
    from ckanext.yiyang.notify import notify

    from . import feedback

    grant = model.Session.get(Subscription, subscription_id)
    if grant is None or feedback.of_subscription(subscription_id) is not None:
        return 0  # gone, or already rated: nothing to ask
    package = model.Package.get(grant.dataset_id)
    entry = package.title if package else grant.dataset_id
    recipients = [grant.applicant_user, *roles.members(grant.applicant_org, ("admin",))]
    with request_context(None):
        rows = notify(
            recipients,
            kind=KIND,
            title=tk._("Rate your use of {entry}").format(entry=entry),
            body=tk._(
                "Your unit has used the data of {entry} for the first time. Please rate its "
                "quality, timeliness and your satisfaction (1–5) and describe the outcome of "
                "the use (共享成效评价)."
            ).format(entry=entry),
            link=f"/subscription/{subscription_id}/feedback",
            object_type="subscription",
            object_id=subscription_id,
        )
    return len(rows)


def asked(subscription_ids: list[str]) -> dict[str, datetime.datetime]:
    """When each of these grants' applicants was asked for feedback (the asked ones only)."""
    if not subscription_ids:
        return {}
    rows = model.Session.query(
        FeedbackRequest.subscription_id, FeedbackRequest.requested_at
    ).filter(FeedbackRequest.subscription_id.in_(subscription_ids))
    return dict(rows.all())
