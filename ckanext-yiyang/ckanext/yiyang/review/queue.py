"""The review queue: entries and working copies by state, with age in working days."""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from ckan import authz, model

from ckanext.yiyang import config, roles, visibility
from ckanext.yiyang.review import workflow
from ckanext.yiyang.review.model import ReviewEvent, Revision


def visible_units(user_name: str | None) -> list[str] | None:
    """The units whose queue the user sees: all (None) for reviewers, else their own."""
    if roles.is_reviewer(user_name):
        return None
    user = model.User.get(user_name or "")
    if user is None:
        return []
    return user.get_group_ids(group_type="organization")


def _age(since: datetime.datetime | None, today: datetime.date) -> tuple[int | None, bool]:
    if since is None:
        return None, False
    from ckanext.yiyang import workdays

    count = workdays.workdays_between(since, today)
    return count.days, count.provisional


def _submitted_at(package_ids: list[str]) -> dict[str, datetime.datetime]:
    if not package_ids:
        return {}
    rows = (
        model.Session.query(ReviewEvent.package_id, sa.func.max(ReviewEvent.created))
        .filter(ReviewEvent.package_id.in_(package_ids))
        .group_by(ReviewEvent.package_id)
        .all()
    )
    return dict(rows)


def listing(
    status: str,
    units: list[str] | None,
    kind: str | None,
    limit: int,
    offset: int,
    today: datetime.date,
) -> dict[str, Any]:
    overdue_after = config.review_overdue_days()
    status_expr = sa.func.coalesce(model.Package.extras["review_status"].astext, "draft")
    rows: list[dict[str, Any]] = []

    if kind in (None, "entry"):
        query = model.Session.query(model.Package).filter(
            model.Package.type == visibility.DATASET_TYPE, model.Package.state != "deleted"
        )
        if status != "all":
            query = query.filter(status_expr == status)
        if units is not None:
            query = query.filter(model.Package.owner_org.in_(units or [""]))
        for package in query.all():
            rows.append(
                {"package": package, "kind": "entry", "status": workflow.status_of(package)}
            )

    if kind in (None, "revision") and status in (
        workflow.DRAFT,
        workflow.SUBMITTED,
        workflow.RETURNED,
        "all",
    ):
        query = model.Session.query(Revision, model.Package).join(
            model.Package, model.Package.id == Revision.package_id
        )
        if status != "all":
            query = query.filter(Revision.status == status)
        if units is not None:
            query = query.filter(model.Package.owner_org.in_(units or [""]))
        for revision, package in query.all():
            rows.append(
                {
                    "package": package,
                    "kind": "revision",
                    "status": revision.status,
                    "since": revision.submitted_at or revision.modified,
                }
            )

    since = _submitted_at([r["package"].id for r in rows if "since" not in r])
    results = []
    for row in rows:
        package = row["package"]
        moment = row.get("since") or since.get(package.id) or package.metadata_modified
        age, provisional = _age(moment, today)
        organization = model.Group.get(package.owner_org) if package.owner_org else None
        results.append(
            {
                "id": package.id,
                "name": package.name,
                "title": package.title,
                "resource_code": (package.extras or {}).get("resource_code"),
                "unit": organization.name if organization else None,
                "unit_title": organization.title if organization else None,
                "kind": row["kind"],
                "status": row["status"],
                "since": moment.isoformat() if moment else None,
                "age_workdays": age,
                "provisional": provisional,
                "overdue": bool(
                    row["status"] == workflow.SUBMITTED and age is not None and age > overdue_after
                ),
            }
        )
    results.sort(key=lambda r: r["since"] or "")
    return {
        "count": len(results),
        "overdue_after": overdue_after,
        "results": results[offset : offset + limit],
    }


def can_act_for_unit(user_name: str | None, owner_org: str | None, permission: str) -> bool:
    """The user holds ``permission`` in the unit (CKAN roles: editor, admin)."""
    if not user_name or not owner_org:
        return False
    return authz.has_user_permission_for_group_or_org(owner_org, user_name, permission)
