"""The desk's slot of applications (issue 14.1): for the office, those in compliance review
and those it coordinates; for a unit, refusals being negotiated. Most urgent first."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.types import Context

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.subscription import states, workflow
from ckanext.yiyang.subscription.model import Subscription


def _section(query: Any, top: int) -> dict[str, Any]:
    today = workdays.today()
    rows = query.order_by(Subscription.due_date, Subscription.created).all()
    return {"count": len(rows), "items": [workflow.as_dict(r, today) for r in rows[:top]]}


def sections(context: Context, top: int) -> dict[str, Any]:
    """``to_check`` and ``to_coordinate`` (reviewers), ``to_negotiate`` (members of a unit
    on either side of a negotiation), each ``{count, items}``; only the sections the user
    has."""
    user = context.get("user")
    result: dict[str, Any] = {}
    query = model.Session.query(Subscription)
    if roles.is_reviewer(user):
        result["to_check"] = _section(query.filter(Subscription.status == states.CHECKING), top)
        result["to_coordinate"] = _section(
            query.filter(Subscription.status == states.COORDINATING), top
        )
    units = roles.units_of(user)
    if units:
        provided = model.Session.query(model.Package.id).filter(model.Package.owner_org.in_(units))
        result["to_negotiate"] = _section(
            query.filter(
                Subscription.status == states.NEGOTIATING,
                Subscription.applicant_org.in_(units) | Subscription.dataset_id.in_(provided),
            ),
            top,
        )
    return result
