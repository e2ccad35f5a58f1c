"""What an objection's transitions do, its deadlines, marks and dict form (catalog-model §11);
the states and transitions are declared in ``states.py``.

A transition is one conditional ``UPDATE … WHERE status IN (the states it starts from)`` (and,
for the once-only steps, ``AND NOT extended`` / ``AND NOT contested``): of two concurrent
decisions exactly one changes the objection, the other is refused. Each step is written to the
history in the same transaction, which commits unless the caller's context has
``defer_commit``; the entry is then indexed again (its ``has_objection``).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context

from ckanext.yiyang import workdays
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.objection import config, states
from ckanext.yiyang.objection.model import Objection, ObjectionEvent

log = logging.getLogger(__name__)


def get_objection(objection_id: str, must_exist: bool = True) -> Objection | None:
    objection = model.Session.get(Objection, objection_id) if objection_id else None
    if objection is None and must_exist:
        raise tk.ObjectNotFound(tk._("Objection not found"))
    return objection


def due(start: datetime.datetime | datetime.date, days: int) -> dict[str, Any]:
    """``due_date`` and ``provisional_due`` ``days`` working days after ``start``."""
    deadline = workdays.add_workdays(start, days)
    return {"due_date": deadline.due, "provisional_due": deadline.provisional}


def refuse(state: str) -> None:
    raise tk.ValidationError(
        {
            "status": [
                tk._("Not possible while the objection is: {status}").format(
                    status=states.MACHINE.label(state)
                )
            ]
        }
    )


def check(objection: Objection, action: str) -> None:
    if not states.MACHINE.allows(action, objection.status):
        refuse(objection.status)


def is_overdue(objection: Objection, today: datetime.date | None = None) -> bool:
    """Someone must act and the step's due date has passed (a Chinese office day)."""
    if objection.status not in states.PENDING or objection.due_date is None:
        return False
    return (today or workdays.today()) > objection.due_date


def record(
    objection: Objection,
    action: str,
    user_id: str | None,
    from_status: str | None,
    note: str = "",
    late: bool = False,
) -> None:
    model.Session.add(
        ObjectionEvent(
            objection_id=objection.id,
            action=action,
            user_id=user_id,
            from_status=from_status,
            to_status=objection.status,
            note=note,
            late=late,
            created=datetime.datetime.utcnow(),
        )
    )


def transition(
    context: Context,
    objection: Objection,
    action: str,
    note: str = "",
    once: str | None = None,
    **values: Any,
) -> Objection:
    """Carry out ``action`` (writing ``values`` too) if the objection is still in a state it
    starts from (and, with ``once``, that flag column is still false), record the step and
    index the entry again."""
    table = Objection.__table__
    before = objection.status
    late = is_overdue(objection)
    condition = [table.c.id == objection.id, table.c.status.in_(states.MACHINE.starts(action))]
    if once:
        condition.append(table.c[once].is_(False))
        values[once] = True
    now = datetime.datetime.utcnow()
    target = states.MACHINE.target(action)
    if target == states.CLOSED:
        values["closed_at"] = now
    changed = model.Session.execute(
        sa.update(table)
        .where(*condition)
        .values(
            status=target,
            modified=now,
            late=sa.or_(table.c.late, sa.literal(late)),
            **values,
        )
    ).rowcount
    model.Session.refresh(objection)
    if not changed:
        if once and getattr(objection, once) and objection.status in states.MACHINE.starts(action):
            raise tk.ValidationError({once: [_once_message(once)]})
        refuse(objection.status)
    user = model.User.get(context.get("user") or "")
    record(objection, action, user.id if user else None, before, note, late)
    transaction.commit(context)
    if not context.get("defer_commit"):
        reindex(objection.dataset_id)
    return objection


def _once_message(flag: str) -> str:
    if flag == "extended":
        return tk._("The verification was already extended once")
    return tk._("The outcome was already contested once")


def reindex(dataset_id: str) -> None:
    """Index the entry again: its ``has_objection`` follows the objection's state."""
    from ckan.lib.search import rebuild

    try:
        rebuild(dataset_id)
    except Exception:  # the index catches up at the next change or rebuild
        log.exception("Could not index %s after an objection changed", dataset_id)


def marked(dataset_id: str) -> bool:
    """The entry has an objection that is not closed (有异议)."""
    return bool(
        model.Session.query(Objection.id)
        .filter(Objection.dataset_id == dataset_id, Objection.status.in_(states.MARKED))
        .first()
    )


def _org(org_id: str | None) -> dict[str, Any] | None:
    group = model.Group.get(org_id) if org_id else None
    if group is None:
        return None
    return {"id": group.id, "name": group.name, "title": group.title}


def _user_name(user_id: str | None) -> str | None:
    if not user_id:
        return None
    user = model.User.get(user_id)
    return user.name if user else user_id


def _attachment(objection: Objection) -> dict[str, Any] | None:
    """The uploaded file: its name, size (bytes), type and where it is served."""
    if not objection.attachment_file:
        return None
    site = str(tk.config.get("ckan.site_url") or "").rstrip("/")
    return {
        "name": objection.attachment_name,
        "size": objection.attachment_size,
        "mimetype": objection.attachment_type,
        "url": f"{site}/objection/{objection.id}/attachment",
    }


def dictize(objection: Objection, history: bool = False) -> dict[str, Any]:
    package = model.Package.get(objection.dataset_id)
    result: dict[str, Any] = {
        "id": objection.id,
        "dataset_id": objection.dataset_id,
        "dataset": (
            {"id": package.id, "name": package.name, "title": package.title} if package else None
        ),
        "owner_org": objection.owner_org,
        "provider": _org(objection.owner_org),
        "kind": objection.kind,
        "kind_label": tk._(states.KINDS.get(objection.kind, objection.kind)),
        "description": objection.description,
        "data_item": objection.data_item,
        "resource_id": objection.resource_id,
        "attachment_url": objection.attachment_url,
        "attachment": _attachment(objection),
        "raised_by": _user_name(objection.raised_by),
        "status": objection.status,
        "status_label": states.MACHINE.label(objection.status),
        "due_date": objection.due_date.isoformat() if objection.due_date else None,
        "provisional_due": objection.provisional_due,
        "overdue": is_overdue(objection),
        "late": objection.late,
        "extended": objection.extended,
        "contested": objection.contested,
        "outcome": objection.outcome,
        "reason": objection.reason,
        "revision": objection.revision,
        "accepted_at": objection.accepted_at.isoformat() if objection.accepted_at else None,
        "created": objection.created.isoformat(),
        "modified": objection.modified.isoformat(),
        "closed_at": objection.closed_at.isoformat() if objection.closed_at else None,
    }
    if history:
        rows = (
            model.Session.query(ObjectionEvent)
            .filter(ObjectionEvent.objection_id == objection.id)
            .order_by(ObjectionEvent.created, ObjectionEvent.id)
            .all()
        )
        result["history"] = [
            {
                "action": e.action,
                "user": _user_name(e.user_id),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "to_label": states.MACHINE.label(e.to_status),
                "note": e.note,
                "late": e.late,
                "created": e.created.isoformat(),
            }
            for e in rows
        ]
    return result


def accept_due(start: datetime.datetime) -> dict[str, Any]:
    return due(start, config.accept_days())


def verify_due(accepted_at: datetime.datetime, extended: bool = False) -> dict[str, Any]:
    return due(accepted_at, config.extended_days() if extended else config.verify_days())
