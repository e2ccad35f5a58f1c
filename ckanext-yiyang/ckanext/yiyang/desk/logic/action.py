"""Actions of the desk: ``yiyang_desk_show`` (what waits for the caller) and
``yiyang_review_submit_many`` (submit several entries for review, one notice)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.yiyang import roles, visibility, workdays
from ckanext.yiyang.desk.logic import schema
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.objection import desk as objection_desk
from ckanext.yiyang.review import queue, states
from ckanext.yiyang.subscription import desk as subscription_desk

__all__ = ["yiyang_desk_show", "yiyang_review_submit_many"]

#: Set in the context of each ``yiyang_review_submit`` that ``yiyang_review_submit_many``
#: makes: the entry's own notice is left out, the batch sends one.
BULK = "yiyang_bulk"


def _as_user(context: Context) -> Context:
    return {"user": context.get("user")}


def _queue(
    status: str | tuple[str, ...], units: list[str] | None, top: int, kind: str | None = None
) -> dict[str, Any]:
    result = queue.listing(status, units, kind, top, 0, workdays.today())
    return {
        "count": result["count"],
        "overdue_after": result["overdue_after"],
        "items": result["results"],
    }


@tk.side_effect_free
def yiyang_desk_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What waits for the caller (我的待办), by role: the sections the caller has, each with
    ``count`` (all of them) and ``items`` (the first ``top``, oldest or most urgent first,
    with their deadlines). Logged-in users.

    :param top: how many items of each section (optional, default 5, at most 20)
    :type top: int

    :returns: ``roles`` (``editor``: edits entries of a unit; ``unit_admin``; ``reviewer``)
        and the sections that apply: ``to_fix`` (the user's units' returned entries and
        changes: fix and submit again), ``to_submit`` (their drafts; ``ids``: every draft
        entry's id, for ``yiyang_review_submit_many``), ``to_review`` (reviewers: submissions
        waiting, ``overdue_after`` working days), ``to_decide`` (applications to the user's
        units awaiting a decision, with ``due_date`` and ``overdue``), ``to_answer`` (demands
        to the user's units, open), ``to_route`` (reviewers: demands without a provider),
        ``objections`` (数据异议 and usage feedback: ``to_accept`` for reviewers,
        ``to_verify`` for a unit's editors, ``to_rate`` for a unit's members; see
        ``objection.desk``), ``applications`` (the 2025 lifecycle: ``to_check`` and
        ``to_coordinate`` for reviewers, ``to_negotiate`` for a unit's members; see
        ``subscription.desk``)
    :rtype: dict
    """
    tk.check_access("yiyang_desk_show", context, data_dict)
    data = validate(data_dict, schema.desk_show(), context)
    top = data["top"]
    user = context.get("user")
    editable = roles.units_of(user, "update_dataset")
    admin_of = roles.units_of(user, "admin")
    reviewer = roles.is_reviewer(user)
    result: dict[str, Any] = {
        "roles": {"editor": bool(editable), "unit_admin": bool(admin_of), "reviewer": reviewer},
        "objections": objection_desk.sections(context, top),
        "applications": subscription_desk.sections(context, top),
    }
    if editable:
        result["to_fix"] = _queue(states.RETURNED, editable, top)
        result["to_submit"] = _queue(states.DRAFT, editable, top)
        result["to_submit"]["ids"] = draft_ids(editable)
    if reviewer:
        result["to_review"] = _queue(states.SUBMITTED, None, top)
    if admin_of:
        applications = tk.get_action("yiyang_subscription_list")(
            _as_user(context), {"scope": "received", "status": "pending", "limit": 500}
        )
        mine = [a for a in applications["results"] if a["provider_org"] in admin_of]
        mine.sort(key=lambda a: (a["due_date"] or "9999", a["created"]))
        result["to_decide"] = {"count": len(mine), "items": mine[:top]}
    if editable:
        result["to_answer"] = _demands(context, "provided", "open", top)
    if reviewer:
        result["to_route"] = _demands(context, "unrouted", "submitted", top)
    return result


def _demands(context: Context, role: str, status: str, top: int) -> dict[str, Any]:
    demands = tk.get_action("yiyang_demand_list")(
        _as_user(context), {"role": role, "status": status, "limit": 500}
    )
    items = sorted(demands["results"], key=lambda d: (d["due_date"] or "9999", d["created"]))
    return {"count": demands["count"], "items": items[:top]}


def draft_ids(units: list[str]) -> list[str]:
    """The ids of the draft entries of ``units`` (oldest first, at most ``SUBMIT_MAX``)."""
    package = model.Package
    status = sa.func.coalesce(package.extras["review_status"].astext, states.DRAFT)
    rows = model.Session.execute(
        sa.select(package.id)
        .where(
            package.type == visibility.labels.DATASET_TYPE,
            package.state != "deleted",
            package.owner_org.in_(units or [""]),
            status == states.DRAFT,
        )
        .order_by(package.metadata_created, package.id)
        .limit(schema.SUBMIT_MAX)
    ).scalars()
    return list(rows)


def yiyang_review_submit_many(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit several entries (or their pending changes) for review, row by row: each is
    submitted as by ``yiyang_review_submit`` (every rule applies; an incomplete one is left as
    it was, with its errors in the answer), and the reviewers get ONE notice for all that
    went through. The unit's editors and admins.

    :param ids: the entries' ids or names (at most 500)
    :type ids: list of strings
    :param all_drafts: instead of ``ids``, every draft entry of the caller's units
    :type all_drafts: bool

    :returns: ``submitted`` (``[{id, name, title}]``) and ``failed`` (``[{id, name, title,
        errors}]``: why, one message per field)
    :rtype: dict
    """
    tk.check_access("yiyang_review_submit_many", context, data_dict)
    data = validate(data_dict, schema.submit_many(), context)
    user = context.get("user")
    ids = data.get("ids") or []
    if data["all_drafts"]:
        ids = [*ids, *draft_ids(roles.units_of(user, "update_dataset"))]
    submitted: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for wanted in dict.fromkeys(ids):
        package = model.Package.get(wanted)
        row = {
            "id": package.id if package else wanted,
            "name": package.name if package else wanted,
            "title": package.title if package else wanted,
        }
        try:
            tk.get_action("yiyang_review_submit")({"user": user, BULK: True}, {"id": wanted})
        except tk.ValidationError as error:
            model.Session.rollback()
            failed.append({**row, "errors": error.error_summary})
        except (tk.NotAuthorized, tk.ObjectNotFound) as error:
            model.Session.rollback()
            message = str(error) or tk._("Catalog entry not found")
            failed.append({**row, "errors": {"id": message}})
        else:
            submitted.append(row)
    return {"submitted": submitted, "failed": failed}
