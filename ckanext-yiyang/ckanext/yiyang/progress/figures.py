"""The progress figures of every unit, from a handful of aggregate queries (GROUP BY unit).

No per-unit loop of actions: with 88 units and 130,000 entries the view runs the same seven
queries. Overdue follows the rules of the features that own the items, as of ``today`` (a
Chinese office day):

- a submission (an entry, or the change of a published entry) waits for review longer than
  ``ckanext.yiyang.review_overdue_days`` working days since its last review event — the review
  queue's rule (``review/queue.py``);
- a demand is open (submitted or accepted) and its due date has passed (``demand/workflow.py``);
- an application is pending and a working day has begun after its due date
  (``subscription/workflow.py``).

Working-day rules become one date each (the latest start that is overdue today), so the
database compares dates and the calendar is asked a few dozen times, not once per row.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.yiyang import config as base_config
from ckanext.yiyang import visibility, workdays
from ckanext.yiyang.audit import figures as audit_figures
from ckanext.yiyang.demand import workflow as demand_workflow
from ckanext.yiyang.demand.model import Demand
from ckanext.yiyang.review.model import ReviewEvent, Revision
from ckanext.yiyang.subscription import workflow as subscription_workflow
from ckanext.yiyang.subscription.model import Subscription

STATES = ("draft", "submitted", "returned", "published", "withdrawn")
#: The counts of a unit's row, in the order of the table.
COUNTS = (
    "entries",
    *STATES,
    "changes_submitted",
    "review_overdue",
    "demands_pending",
    "demands_overdue",
    "demands_filed",
    "applications_pending",
    "applications_overdue",
    "applications_received",
    "applications_answered_on_time",
    "applications_answer_days",
    "grants_active",
    "grants_expiring",
    "data_reads",
    "objections_open",
    "objections_overdue",
    "objections_closed_on_time",
    "rating_average",
    "data_entries",
    "data_differs",
)
#: The counts that are late work, shown in red.
OVERDUE_COUNTS = (
    "review_overdue",
    "demands_overdue",
    "applications_overdue",
    "objections_overdue",
)


@dataclasses.dataclass(frozen=True)
class Cutoffs:
    """What is overdue on ``today``, as dates the database can compare."""

    today: datetime.date
    #: A submission whose last review event is before this moment (naive UTC) is overdue.
    review_before: datetime.datetime
    #: A pending application due on this day or earlier is overdue.
    application_due_by: datetime.date


def china_midnight_utc(day: datetime.date) -> datetime.datetime:
    """The start of the Chinese day ``day`` as CKAN stores moments (naive UTC)."""
    moment = datetime.datetime.combine(day, datetime.time(), tzinfo=workdays.SHANGHAI)
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def cutoffs(today: datetime.date) -> Cutoffs:
    review_day = workdays.latest_overdue_start(today, base_config.review_overdue_days())
    return Cutoffs(
        today=today,
        review_before=china_midnight_utc(review_day + datetime.timedelta(days=1)),
        application_due_by=workdays.latest_overdue_start(today, 0),
    )


def organizations(only: list[str] | None = None) -> list[sa.Row[Any]]:
    """The active units (organizations), the e-government office left out; ``only``: ids.
    Each its ``id``, ``name``, ``title`` and ``extras``, not the whole object (at 4,995 units,
    loading the objects took 0.4 s)."""
    group = model.Group
    query = model.Session.query(group.id, group.name, group.title, group.extras).filter(
        model.Group.is_organization.is_(True),
        model.Group.state == "active",
        model.Group.name != base_config.office_org(),
    )
    if only is not None:
        query = query.filter(model.Group.id.in_(only or [""]))
    return query.all()


def _latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def by_unit(org_ids: list[str], cut: Cutoffs) -> dict[str, dict[str, Any]]:
    """The counts and the last activity (naive UTC) of each unit in ``org_ids``."""
    rows: dict[str, dict[str, Any]] = {
        org_id: {**dict.fromkeys(COUNTS, 0), "last_activity": None} for org_id in org_ids
    }
    if not org_ids:
        return rows
    session = model.Session
    count = sa.func.count
    package = model.Package

    # Entries by review state; submissions overdue; their last change and review event.
    status = sa.func.coalesce(package.extras["review_status"].astext, "draft")
    last_event = (
        sa.select(
            ReviewEvent.package_id.label("package_id"),
            sa.func.max(ReviewEvent.created).label("last"),
        )
        .group_by(ReviewEvent.package_id)
        .subquery()
    )
    since = sa.func.coalesce(last_event.c.last, package.metadata_modified)
    entry_query = (
        sa.select(
            package.owner_org,
            count(),
            *[count().filter(status == state) for state in STATES],
            count().filter(sa.and_(status == "submitted", since < cut.review_before)),
            sa.func.max(package.metadata_modified),
            sa.func.max(last_event.c.last),
        )
        .select_from(package)
        .outerjoin(last_event, last_event.c.package_id == package.id)
        .where(
            package.type == visibility.labels.DATASET_TYPE,
            package.state != "deleted",
            package.owner_org.in_(org_ids),
        )
        .group_by(package.owner_org)
    )
    for org, entries, *states, overdue, modified, reviewed in session.execute(entry_query):
        row = rows[org]
        row["entries"] = entries
        row.update(zip(STATES, states, strict=True))
        row["review_overdue"] = overdue
        row["last_activity"] = _latest(row["last_activity"], modified, reviewed)

    # Changes of published entries waiting for review (the queue's revisions).
    revision_since = sa.func.coalesce(Revision.submitted_at, Revision.modified)
    waiting = Revision.status == "submitted"
    revision_query = (
        sa.select(
            package.owner_org,
            count().filter(waiting),
            count().filter(sa.and_(waiting, revision_since < cut.review_before)),
            sa.func.max(Revision.modified),
        )
        .join(package, package.id == Revision.package_id)
        .where(package.state != "deleted", package.owner_org.in_(org_ids))
        .group_by(package.owner_org)
    )
    for org, submitted, overdue, modified in session.execute(revision_query):
        row = rows[org]
        row["changes_submitted"] = submitted
        row["review_overdue"] += overdue
        row["last_activity"] = _latest(row["last_activity"], modified)

    # Entries with data loaded, and those whose data disagrees with their 信息项 (issue 13.3).
    from ckanext.yiyang.data.model import Consistency

    data_query = (
        sa.select(
            package.owner_org,
            sa.func.count(sa.distinct(Consistency.package_id)),
            sa.func.count(sa.distinct(Consistency.package_id)).filter(
                Consistency.status == "differs"
            ),
        )
        .join(package, package.id == Consistency.package_id)
        .where(package.state != "deleted", package.owner_org.in_(org_ids))
        .group_by(package.owner_org)
    )
    for org, with_data, differs in session.execute(data_query):
        rows[org]["data_entries"] = with_data
        rows[org]["data_differs"] = differs

    # Demands addressed to the unit, and the ones it filed.
    is_open = Demand.status.in_(demand_workflow.OPEN)
    provided = (
        sa.select(
            Demand.provider_org,
            count().filter(is_open),
            count().filter(sa.and_(is_open, Demand.due_date < cut.today)),
            sa.func.max(Demand.modified),
        )
        .where(Demand.provider_org.in_(org_ids))
        .group_by(Demand.provider_org)
    )
    for org, pending, overdue, modified in session.execute(provided):
        row = rows[org]
        row["demands_pending"], row["demands_overdue"] = pending, overdue
        row["last_activity"] = _latest(row["last_activity"], modified)
    requested = (
        sa.select(Demand.requester_org, count().filter(is_open), sa.func.max(Demand.modified))
        .where(Demand.requester_org.in_(org_ids))
        .group_by(Demand.requester_org)
    )
    for org, pending, modified in session.execute(requested):
        row = rows[org]
        row["demands_filed"] = pending
        row["last_activity"] = _latest(row["last_activity"], modified)

    # Applications to the unit's entries, and the ones it made.
    pending = Subscription.status == subscription_workflow.PENDING
    received = (
        sa.select(
            package.owner_org,
            count().filter(pending),
            count().filter(sa.and_(pending, Subscription.due_date <= cut.application_due_by)),
            sa.func.max(Subscription.modified),
        )
        .join(package, package.id == Subscription.dataset_id)
        .where(package.owner_org.in_(org_ids))
        .group_by(package.owner_org)
    )
    for org, waiting_count, overdue, modified in session.execute(received):
        row = rows[org]
        row["applications_pending"], row["applications_overdue"] = waiting_count, overdue
        row["last_activity"] = _latest(row["last_activity"], modified)
    applied = (
        sa.select(Subscription.applicant_org, sa.func.max(Subscription.modified))
        .where(Subscription.applicant_org.in_(org_ids))
        .group_by(Subscription.applicant_org)
    )
    for org, modified in session.execute(applied):
        rows[org]["last_activity"] = _latest(rows[org]["last_activity"], modified)

    # Reads of the unit's data served in the last days (the access log).
    for org, reads in session.execute(audit_figures.reads_by_unit(org_ids)):
        rows[org]["data_reads"] = reads
    _objections(rows, org_ids, cut)
    _applications(rows, org_ids, cut)
    return rows


def _applications(rows: dict[str, dict[str, Any]], org_ids: list[str], cut: Cutoffs) -> None:
    """Applications to the unit's entries (issue 14.4): received, answered on time, the
    median answer time in working days (from the provider's turn to its answer), and its
    grants active and expiring."""
    from ckanext.yiyang.subscription import states as subscription_states

    package = model.Package
    count = sa.func.count
    live = sa.and_(
        Subscription.status.in_(subscription_states.GRANTS),
        sa.or_(Subscription.valid_until.is_(None), Subscription.valid_until >= cut.today),
    )
    query = (
        sa.select(
            package.owner_org,
            count(),
            count().filter(
                sa.and_(
                    Subscription.answered_at.isnot(None), Subscription.answered_late.is_(False)
                )
            ),
            count().filter(live),
            count().filter(sa.and_(live, Subscription.status == subscription_states.EXPIRING)),
        )
        .join(package, package.id == Subscription.dataset_id)
        .where(package.owner_org.in_(org_ids))
        .group_by(package.owner_org)
    )
    for org, received, on_time, active, expiring in model.Session.execute(query):
        row = rows[org]
        row["applications_received"], row["applications_answered_on_time"] = received, on_time
        row["grants_active"], row["grants_expiring"] = active, expiring
    answers: dict[str, list[int]] = {}
    timed = (
        sa.select(package.owner_org, Subscription.forwarded_at, Subscription.answered_at)
        .join(package, package.id == Subscription.dataset_id)
        .where(
            package.owner_org.in_(org_ids),
            Subscription.answered_at.isnot(None),
            Subscription.forwarded_at.isnot(None),
        )
    )
    for org, forwarded, answered in model.Session.execute(timed):
        answers.setdefault(org, []).append(workdays.workdays_between(forwarded, answered).days)
    for org, days in answers.items():
        rows[org]["applications_answer_days"] = statistics.median(days)


def _objections(rows: dict[str, dict[str, Any]], org_ids: list[str], cut: Cutoffs) -> None:
    """Objections to the unit's entries (open, overdue, closed with every step on time) and
    the average usage rating of its grants (issue 14.2–14.4)."""
    from ckanext.yiyang.objection import states as objection_states
    from ckanext.yiyang.objection.model import Feedback, Objection

    count = sa.func.count
    is_open = Objection.status != objection_states.CLOSED
    pending = Objection.status.in_(objection_states.PENDING)
    query = (
        sa.select(
            Objection.owner_org,
            count().filter(is_open),
            count().filter(sa.and_(pending, Objection.due_date < cut.today)),
            count().filter(
                sa.and_(Objection.status == objection_states.CLOSED, Objection.late.is_(False))
            ),
            sa.func.max(Objection.modified),
        )
        .where(Objection.owner_org.in_(org_ids))
        .group_by(Objection.owner_org)
    )
    for org, open_count, overdue, on_time, modified in model.Session.execute(query):
        row = rows[org]
        row["objections_open"], row["objections_overdue"] = open_count, overdue
        row["objections_closed_on_time"] = on_time
        row["last_activity"] = _latest(row["last_activity"], modified)
    ratings = (
        sa.select(
            Feedback.provider_org,
            sa.func.avg((Feedback.quality + Feedback.timeliness + Feedback.satisfaction) / 3.0),
        )
        .where(Feedback.provider_org.in_(org_ids))
        .group_by(Feedback.provider_org)
    )
    for org, average in model.Session.execute(ratings):
        rows[org]["rating_average"] = round(float(average), 1)


def unrouted_demands(cut: Cutoffs) -> dict[str, int]:
    """Open demands without a providing unit (the office routes them): pending, overdue."""
    is_open = Demand.status.in_(demand_workflow.OPEN)
    pending, overdue = model.Session.execute(
        sa.select(
            sa.func.count().filter(is_open),
            sa.func.count().filter(sa.and_(is_open, Demand.due_date < cut.today)),
        ).where(Demand.provider_org.is_(None))
    ).one()
    return {"demands_unrouted": pending, "demands_unrouted_overdue": overdue}
