"""States of a demand, its due date and its dict form (catalog-model §8)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang import workdays
from ckanext.yiyang.demand import config
from ckanext.yiyang.demand.model import Demand, DemandComment

__all__ = ["Demand", "DemandComment"]

SUBMITTED = "submitted"
ACCEPTED = "accepted"
FULFILLED = "fulfilled"
REJECTED = "rejected"
CLOSED = "closed"
STATES = (SUBMITTED, ACCEPTED, FULFILLED, REJECTED, CLOSED)
#: The provider (or, without one, the office) still has to answer.
OPEN = (SUBMITTED, ACCEPTED)


def get_demand(demand_id: str, must_exist: bool = True) -> Demand | None:
    demand = model.Session.get(Demand, demand_id) if demand_id else None
    if demand is None and must_exist:
        raise tk.ObjectNotFound(tk._("Demand not found"))
    return demand


def units_of(user_name: str | None) -> list[str]:
    """Ids of the units (organizations) the user is a member of, in any capacity."""
    user = model.User.get(user_name or "")
    if user is None:
        return []
    return user.get_group_ids(group_type="organization", capacity=None)


def set_due(demand: Demand, start: datetime.datetime) -> None:
    """The answer is due ``answer_days`` working days after ``start``."""
    deadline = workdays.add_workdays(start, config.answer_days())
    demand.due_date = deadline.due
    demand.provisional_due = deadline.provisional


def is_overdue(demand: Demand, today: datetime.date | None = None) -> bool:
    """Open and its due date has passed (a Chinese office day)."""
    if demand.status not in OPEN or demand.due_date is None:
        return False
    return (today or workdays.today()) > demand.due_date


def _org(org_id: str | None) -> dict[str, Any] | None:
    group = model.Group.get(org_id) if org_id else None
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.title}


def _user_name(user_id: str) -> str:
    user = model.User.get(user_id)
    return user.name if user else user_id


def dictize(demand: Demand, comments: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": demand.id,
        "title": demand.title,
        "provider_org": demand.provider_org,
        "provider": _org(demand.provider_org),
        "requester_org": demand.requester_org,
        "requester": _org(demand.requester_org),
        "requester_user": _user_name(demand.requester_user),
        "requester_user_id": demand.requester_user,
        "content": demand.content,
        "purpose": demand.purpose,
        "update_frequency": demand.update_frequency,
        "status": demand.status,
        "due_date": demand.due_date.isoformat() if demand.due_date else None,
        "provisional_due": demand.provisional_due,
        "overdue": is_overdue(demand),
        "dataset_id": demand.dataset_id,
        "reason": demand.reason,
        "created": demand.created.isoformat(),
        "modified": demand.modified.isoformat(),
    }
    if demand.dataset_id:
        package = model.Package.get(demand.dataset_id)
        result["dataset"] = (
            {"id": package.id, "name": package.name, "title": package.title} if package else None
        )
    if comments:
        rows = (
            model.Session.query(DemandComment)
            .filter(DemandComment.demand_id == demand.id)
            .order_by(DemandComment.created)
            .all()
        )
        result["comments"] = [
            {
                "id": c.id,
                "user": _user_name(c.user_id),
                "body": c.body,
                "created": c.created.isoformat(),
            }
            for c in rows
        ]
    return result
