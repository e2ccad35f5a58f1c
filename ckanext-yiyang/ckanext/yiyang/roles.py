"""Who a user is to the catalog: a member of units (with CKAN's capacities member, editor,
admin), a reviewer (a member of the e-government office), a government user, a sysadmin.

Every auth function, workflow and visibility rule asks here, so the answer is the same
everywhere. A user's memberships are read with one query and kept for the rest of the request
(many checks run per page: every search, every entry shown, every auth function). Outside a
request — background jobs, the command line — nothing is kept and every answer is read afresh.
Within a request the kept answers are dropped whenever a membership, a unit or a user is written
or a transaction is rolled back (SQLAlchemy session events), so an action that adds a member is
seen by the next question of the same request.

Permissions are CKAN's (``ckan.authz.ROLE_PERMISSIONS``): ``read`` for every capacity,
``update_dataset`` (and the other dataset permissions) for editors, everything for admins.
Units are flat (no organization hierarchy), so no permission cascades from a parent unit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import flask
import sqlalchemy as sa
from ckan import authz, model

from ckanext.yiyang import config

#: CKAN's capacities of a member of a unit, weakest first.
CAPACITIES = ("member", "editor", "admin")

_CACHE = "_yiyang_roles"
#: The key of ``user.plugin_extras`` marking a data service account (``ckanext.yiyang.services``).
SERVICE_MARK = "yiyang_service_account"
_OFFICE = ("office",)


@dataclasses.dataclass(frozen=True)
class Person:
    """What the catalog knows of a user: ``units`` maps the id of each active unit the user
    belongs to onto the capacity held there; ``names`` maps those units' names onto their ids."""

    id: str | None
    sysadmin: bool
    units: Mapping[str, str]
    names: Mapping[str, str]


NOBODY = Person(None, False, {}, {})


def _cache() -> dict[Any, Any] | None:
    """The answers kept for this request, or None outside a request."""
    if not flask.has_request_context():
        return None
    try:
        return flask.g.setdefault(_CACHE, {})
    except (RuntimeError, AttributeError):  # pragma: no cover - no app context
        return None


def forget() -> None:
    """Drop the answers kept for this request."""
    if flask.has_request_context():
        flask.g.pop(_CACHE, None)


def _kept(key: Any, compute: Any) -> Any:
    cache = _cache()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def person(user_name: str | None) -> Person:
    """The user ``user_name`` (a name or an id) and their memberships; ``NOBODY`` for anonymous
    visitors and unknown names."""
    if not user_name:
        return NOBODY
    return _kept(("person", user_name), lambda: _read_person(user_name))


def _read_person(user_name: str) -> Person:
    user = model.User.get(user_name)
    if user is None:
        return NOBODY
    rows = (
        model.Session.query(model.Member.group_id, model.Member.capacity, model.Group.name)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(
            model.Member.table_name == "user",
            model.Member.table_id == user.id,
            model.Member.state == model.State.ACTIVE,
            model.Group.is_organization.is_(True),
            model.Group.state == model.State.ACTIVE,
        )
        .all()
    )
    units: dict[str, str] = {}
    names: dict[str, str] = {}
    for group_id, capacity, name in rows:
        if _rank(capacity) > _rank(units.get(group_id)):
            units[group_id] = capacity
        names[name] = group_id
    return Person(user.id, bool(user.sysadmin), units, names)


def _rank(capacity: str | None) -> int:
    return CAPACITIES.index(capacity) if capacity in CAPACITIES else -1


def _grants(capacity: str | None, permission: str) -> bool:
    permissions = authz.ROLE_PERMISSIONS.get(capacity or "", [])
    return "admin" in permissions or permission in permissions


def is_sysadmin(user_name: str | None) -> bool:
    return person(user_name).sysadmin


def units_of(user_name: str | None, permission: str | None = None) -> list[str]:
    """Ids of the active units the user belongs to (sorted), or only those where the user's
    capacity grants ``permission`` (``read``, ``update_dataset``, ``admin``, …). A sysadmin's
    units are those they are a member of, like anybody's."""
    units = person(user_name).units
    return sorted(u for u, c in units.items() if permission is None or _grants(c, permission))


def visible_units(user_name: str | None, permission: str | None = None) -> list[str] | None:
    """The units whose work the user follows in the catalog's queues and views: all (None) for
    reviewers and sysadmins, else ``units_of(user_name, permission)``."""
    if is_reviewer(user_name):
        return None
    return units_of(user_name, permission)


def can(user_name: str | None, unit: str | None, permission: str) -> bool:
    """The user holds ``permission`` in ``unit`` (its id or name): a sysadmin, or a member
    whose capacity grants it (CKAN's ``has_user_permission_for_group_or_org``)."""
    if not user_name or not unit:
        return False
    who = person(user_name)
    unit_id = unit if unit in who.units else who.names.get(unit)
    if unit_id is not None:
        return who.sysadmin or _grants(who.units[unit_id], permission)
    return who.sysadmin and model.Group.get(unit) is not None


def members(unit: str | None, capacities: Iterable[str] = CAPACITIES) -> list[str]:
    """Ids of the users holding (actively) one of ``capacities`` in ``unit`` (its id): people,
    never the unit's data service accounts (users marked in ``plugin_extras``), which nobody
    mails, assigns work to or picks."""
    if not unit:
        return []
    rows = (
        model.Session.query(model.Member.table_id)
        .join(model.User, model.User.id == model.Member.table_id)
        .filter(
            model.Member.group_id == unit,
            model.Member.table_name == "user",
            model.Member.state == model.State.ACTIVE,
            model.Member.capacity.in_(tuple(capacities)),
            sa.or_(
                model.User.plugin_extras.is_(None),
                sa.not_(model.User.plugin_extras.has_key(SERVICE_MARK)),
            ),
        )
        .order_by(model.Member.table_id)
        .all()
    )
    return [row[0] for row in rows]


def office_id() -> str | None:
    """The id of the e-government office's organization (``ckanext.yiyang.office_org``)."""

    def read() -> str | None:
        office = model.Group.get(config.office_org())
        return office.id if office is not None else None

    return _kept(_OFFICE, read)


def reviewers() -> list[str]:
    """Ids of the reviewers: the members of the e-government office, in any capacity."""
    return members(office_id())


def is_reviewer(user_name: str | None) -> bool:
    """Sysadmins and the members of the e-government office (in any capacity)."""
    who = person(user_name)
    if who.sysadmin:
        return True
    # The office among the user's own units (by name, or by id as ``Group.get`` finds it):
    # no query beyond the memberships already read.
    office = config.office_org()
    return office in who.names or office in who.units


def is_government(user_name: str | None) -> bool:
    """A government user: a member of any unit (the office included) or a sysadmin. Anyone may
    register an account on the portal; an account alone is no government user."""
    who = person(user_name)
    return who.sysadmin or bool(who.units)


def _written(session: Any, _flush_context: Any) -> None:
    """Drop the kept answers when a flush writes a membership, a unit or a user."""
    if not flask.has_request_context() or _CACHE not in flask.g:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, model.Member | model.Group | model.User):
            forget()
            return


def _rolled_back(session: Any) -> None:
    forget()


sa.event.listen(model.Session, "after_flush", _written)
sa.event.listen(model.Session, "after_rollback", _rolled_back)
