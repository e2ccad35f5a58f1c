"""What a demand's transitions do, its due date and its dict form (catalog-model §8); the
states and transitions are declared in ``states.py``.

A transition is one conditional ``UPDATE … WHERE status IN (the states it starts from)``: of
two concurrent answers exactly one changes the demand, the other is refused. Each commits
unless the caller's context has ``defer_commit``.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context

from ckanext.yiyang import workdays
from ckanext.yiyang.demand import config, states
from ckanext.yiyang.demand.model import Demand, DemandComment
from ckanext.yiyang.demand.states import OPEN
from ckanext.yiyang.logic import transaction

__all__ = ["OPEN", "Demand", "DemandComment"]


def get_demand(demand_id: str, must_exist: bool = True) -> Demand | None:
    demand = model.Session.get(Demand, demand_id) if demand_id else None
    if demand is None and must_exist:
        raise tk.ObjectNotFound(tk._("Demand not found"))
    return demand


def due(start: datetime.datetime) -> dict[str, Any]:
    """The answer is due ``answer_days`` working days after ``start``: the demand's
    ``due_date`` and ``provisional_due``."""
    deadline = workdays.add_workdays(start, config.answer_days())
    return {"due_date": deadline.due, "provisional_due": deadline.provisional}


def refuse(state: str) -> None:
    raise tk.ValidationError(
        {
            "status": [
                tk._("Not possible while the demand is: {status}").format(
                    status=states.MACHINE.label(state)
                )
            ]
        }
    )


def check(demand: Demand, action: str) -> None:
    """``action`` may follow the demand's state (before the other checks of the action, so
    the state is what the user is told first)."""
    if not states.MACHINE.allows(action, demand.status):
        refuse(demand.status)


#: Transitions decided for the providing unit the user read (checked as the provider's, or
#: routed away from it): refused if the demand was routed meanwhile.
_BOUND_TO_PROVIDER = frozenset({"route", "accept", "fulfil", "reject"})


def transition(context: Context, demand: Demand, action: str, **values: Any) -> Demand:
    """Carry out ``action`` (writing ``values`` too) if the demand is still in a state it
    starts from and, for the providing unit's answers and routing, still addressed to the
    unit it was when the user was checked (a demand routed meanwhile is not accepted by the
    unit it was routed away from)."""
    table = Demand.__table__
    read_provider = demand.provider_org
    where = [table.c.id == demand.id, table.c.status.in_(states.MACHINE.starts(action))]
    if action in _BOUND_TO_PROVIDER:
        where.append(table.c.provider_org.is_not_distinct_from(read_provider))
    changed = model.Session.execute(
        sa.update(table)
        .where(*where)
        .values(
            status=states.MACHINE.target(action),
            modified=datetime.datetime.utcnow(),
            **values,
        )
    ).rowcount
    model.Session.refresh(demand)
    if not changed:
        if states.MACHINE.allows(action, demand.status) and demand.provider_org != read_provider:
            provider = _org(demand.provider_org)
            raise tk.ValidationError(
                {
                    "provider_org": [
                        tk._(
                            "The demand was routed to another unit meanwhile ({unit}): open it "
                            "again"
                        ).format(unit=provider["title"] if provider else tk._("the office"))
                    ]
                }
            )
        refuse(demand.status)
    transaction.commit(context)
    return demand


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
