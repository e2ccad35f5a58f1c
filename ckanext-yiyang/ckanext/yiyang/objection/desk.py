"""The desk's 数据异议 slot (issue 14.2, 14.3): objections waiting for the office (to accept,
contested) and for the user's units (to verify), and granted applications waiting for the
user's units' usage feedback."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.yiyang import roles
from ckanext.yiyang.objection import feedback, feedback_ask, states, workflow
from ckanext.yiyang.objection.model import Objection


def _section(query: Any, top: int) -> dict[str, Any]:
    rows = query.order_by(Objection.due_date, Objection.created).all()
    return {"count": len(rows), "items": [workflow.dictize(o) for o in rows[:top]]}


def sections(context: Context, top: int) -> dict[str, Any]:
    """``to_accept`` (reviewers: raised or contested objections), ``to_verify`` (editors of
    a unit: accepted objections to its entries), ``to_rate`` (members of a unit: its granted
    applications waiting for feedback), each ``{count, items}`` (most urgent first); only the
    sections the user has."""
    user = context.get("user")
    result: dict[str, Any] = {}
    query = model.Session.query(Objection)
    if roles.is_reviewer(user):
        result["to_accept"] = _section(
            query.filter(Objection.status.in_((states.RAISED, states.CONTESTED))), top
        )
    editable = roles.units_of(user, "update_dataset")
    if editable:
        result["to_verify"] = _section(
            query.filter(Objection.status == states.ACCEPTED, Objection.owner_org.in_(editable)),
            top,
        )
    units = roles.units_of(user)
    if units:
        waiting = feedback.awaiting(units)
        when = feedback_ask.asked([s.id for s in waiting[:top]])
        result["to_rate"] = {
            "count": len(waiting),
            "items": [_grant(s, when.get(s.id)) for s in waiting[:top]],
        }
    return result


def _grant(subscription: Any, asked: datetime.datetime | None) -> dict[str, Any]:
    package = model.Package.get(subscription.dataset_id)
    return {
        "id": subscription.id,
        "dataset_title": package.title if package else subscription.dataset_id,
        "url": tk.h.url_for("yiyang_objection.feedback", id=subscription.id),
        # when its first use asked for the feedback (None: asked for its age)
        "asked_at": asked.isoformat() if asked else None,
    }
