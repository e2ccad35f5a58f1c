"""The review queue: entries and working copies by state, with age in working days."""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.yiyang import config, visibility
from ckanext.yiyang.review import states
from ckanext.yiyang.review.model import ReviewEvent, Revision


def _age(since: datetime.datetime | None, today: datetime.date) -> tuple[int | None, bool]:
    if since is None:
        return None, False
    from ckanext.yiyang import workdays

    count = workdays.workdays_between(since, today)
    return count.days, count.provisional


def listing(
    status: str,
    units: list[str] | None,
    kind: str | None,
    limit: int,
    offset: int,
    today: datetime.date,
) -> dict[str, Any]:
    """One page of the queue, oldest first, and how many match in all: entries (since their
    last review step, else their last change) and working copies (since submitted, else last
    edited) in one query, counted and paged by the database. ``units``: None for all units;
    ``today``: China's date."""
    package = model.Package
    parts: list[sa.Select[Any]] = []
    if kind in (None, "entry"):
        entry_status = sa.func.coalesce(package.extras["review_status"].astext, states.DRAFT)
        last_step = (
            sa.select(sa.func.max(ReviewEvent.created))
            .where(ReviewEvent.package_id == package.id)
            .scalar_subquery()
        )
        entries = sa.select(
            package.id.label("package_id"),
            sa.literal("entry").label("kind"),
            entry_status.label("status"),
            sa.func.coalesce(last_step, package.metadata_modified).label("since"),
        ).where(package.type == visibility.labels.DATASET_TYPE, package.state != "deleted")
        if status != states.ALL:
            entries = entries.where(entry_status == status)
        if units is not None:
            entries = entries.where(package.owner_org.in_(units or [""]))
        parts.append(entries)
    if kind in (None, "revision") and status in (*states.REVISION.states, states.ALL):
        revisions = sa.select(
            Revision.package_id.label("package_id"),
            sa.literal("revision").label("kind"),
            Revision.status.label("status"),
            sa.func.coalesce(Revision.submitted_at, Revision.modified).label("since"),
        ).join(package, package.id == Revision.package_id)
        if status != states.ALL:
            revisions = revisions.where(Revision.status == status)
        if units is not None:
            revisions = revisions.where(package.owner_org.in_(units or [""]))
        parts.append(revisions)

    overdue_after = config.review_overdue_days()
    if not parts:
        return {"count": 0, "overdue_after": overdue_after, "results": []}
    queued = (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery("queued")
    count = model.Session.execute(sa.select(sa.func.count()).select_from(queued)).scalar_one()
    page = model.Session.execute(
        sa.select(
            queued.c.kind,
            queued.c.status,
            queued.c.since,
            package.id,
            package.name,
            package.title,
            package.extras["resource_code"].astext.label("resource_code"),
            model.Group.name.label("unit"),
            model.Group.title.label("unit_title"),
        )
        .join(package, package.id == queued.c.package_id)
        .outerjoin(model.Group, model.Group.id == package.owner_org)
        .order_by(queued.c.since.asc().nulls_first(), queued.c.kind, package.id)
        .limit(limit)
        .offset(offset)
    ).all()
    results = []
    for row in page:
        age, provisional = _age(row.since, today)
        results.append(
            {
                "id": row.id,
                "name": row.name,
                "title": row.title,
                "resource_code": row.resource_code,
                "unit": row.unit,
                "unit_title": row.unit_title,
                "kind": row.kind,
                "status": row.status,
                "since": row.since.isoformat() if row.since else None,
                "age_workdays": age,
                "provisional": provisional,
                "overdue": bool(
                    row.status == states.SUBMITTED and age is not None and age > overdue_after
                ),
            }
        )
    return {"count": count, "overdue_after": overdue_after, "results": results}
