"""The units (单位) of 附件1 and the e-government office: their order, and loading them.

``data/units.yaml`` lists the 88 units of the 2015 notice in its five groups and in its order;
a unit's code is its place in its group. The units are CKAN organizations named
``unit-<group><code>`` (``unit-02006`` is 市公安局), with ``unit_group`` and ``unit_code`` set.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.yiyang import config
from ckanext.yiyang.catalog import data

UNITS_FILE = "units.yaml"

#: The fields the loader owns. Everything else (credit code, contacts, description, logo) is
#: the unit's own and is never touched by a second load.
LOADED_FIELDS = ("title", "unit_group", "unit_code")


@dataclasses.dataclass(frozen=True)
class UnitGroup:
    """One of the five groups of 附件1 (单位类别)."""

    code: str
    title: str
    title_en: str


@dataclasses.dataclass(frozen=True)
class Unit:
    """A unit of 附件1, as the notice lists it."""

    group: str
    code: str
    title: str

    @property
    def name(self) -> str:
        """The organization's URL name."""
        return unit_name(self.group, self.code)


@dataclasses.dataclass
class LoadSummary:
    """What ``load_units`` did, by organization name."""

    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    #: Deleted by the office on purpose (a unit merged or dissolved): left deleted.
    skipped: list[str] = dataclasses.field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def unit_name(group: str, code: str) -> str:
    """URL name of the unit with code ``code`` in group ``group``: ``unit-02006``."""
    return f"unit-{group}{code}"


def unit_groups() -> list[UnitGroup]:
    """The five unit groups of 附件1, in the notice's order."""
    return [
        UnitGroup(str(group["code"]), group["title"], group["title_en"])
        for group in data.load(UNITS_FILE)["groups"]
    ]


#: The group of the counties' units, which only harvesting creates (issue 15.3): not of 附件1,
#: not offered in the forms.
COUNTY_GROUP = UnitGroup("06", "区县（市）单位", "Units of the counties (harvested)")


def unit_group_codes(harvesting: bool = False) -> frozenset[str]:
    """The five groups of 附件1 (and, for a harvest, the counties' group)."""
    codes = frozenset(group.code for group in unit_groups())
    return codes | {COUNTY_GROUP.code} if harvesting else codes


def units_in_order() -> list[Unit]:
    """The 88 units of 附件1 in the notice's order: by group, then by code."""
    units = [
        Unit(str(group["code"]), str(unit["code"]), unit["title"])
        for group in data.load(UNITS_FILE)["groups"]
        for unit in group["units"]
    ]
    return sorted(units, key=lambda unit: (unit.group, unit.code))


def office_title() -> str:
    """Title of the e-government office's organization (市电子政务办)."""
    return data.load(UNITS_FILE)["office"]["title"]


def unit_order_key(organization: Mapping[str, Any]) -> tuple[int, str, str, str]:
    """Sort key that puts organization dicts in the notice's order.

    Units of a group come by code; organizations without a group (the office, any other) come
    after all units, by title.
    """
    group = organization.get("unit_group") or ""
    code = organization.get("unit_code") or ""
    title = organization.get("title") or organization.get("name") or ""
    return (0 if group else 1, group, code, title)


def load_units() -> LoadSummary:
    """Create the organizations of the 88 units and of the office, or bring them up to date.

    Idempotent. Of an existing unit only the title, group and code are set, and only when they
    differ from the notice; what the unit filled in itself is left as it is. A unit is found by
    its group and code (so a unit the office renamed is found too), else by its URL name. A
    deleted unit stays deleted.
    """
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    existing = _existing_organizations(site_user["name"])
    by_code = {
        (org.get("unit_group"), org.get("unit_code")): org
        for org in existing.values()
        if org.get("unit_group") and org.get("unit_code")
    }
    summary = LoadSummary()

    wanted: list[tuple[dict[str, str], dict[str, Any] | None]] = []
    for unit in units_in_order():
        fields = {
            "name": unit.name,
            "title": unit.title,
            "unit_group": unit.group,
            "unit_code": unit.code,
        }
        # Group and code are the unit's identity; the name only finds a unit that lost them.
        wanted.append((fields, by_code.get((unit.group, unit.code)) or existing.get(unit.name)))
    office = config.office_org()
    wanted.append(({"name": office, "title": office_title()}, existing.get(office)))

    for fields, current in wanted:
        if current is None:
            _create(site_user["name"], fields, summary)
            continue
        changes = {
            field: value
            for field, value in fields.items()
            if field != "name" and current.get(field) != value
        }
        if not changes:
            summary.unchanged.append(current["name"])
            continue
        tk.get_action("organization_patch")(
            _context(site_user["name"]), {"id": current["id"], **changes}
        )
        summary.updated.append(current["name"])
    return summary


def unit_rows() -> list[dict[str, str]]:
    """Every active unit's ``id``, ``name``, ``title``, ``unit_group`` and ``unit_code``, read
    in one query (what ``organization_list`` shows anyone of them).

    ``organization_list`` with ``all_fields`` dictizes and validates each unit and counts its
    entries in Solr, 25 units a call: at 4,995 units a picker took 19 s."""
    from ckan import model

    rows = (
        model.Session.query(
            model.Group.id, model.Group.name, model.Group.title, model.Group.extras
        )
        .filter(
            model.Group.is_organization.is_(True),
            model.Group.state == "active",
            model.Group.type == "organization",
        )
        .all()
    )
    return [
        {
            "id": id_,
            "name": name,
            "title": title or name,
            "unit_group": str((extras or {}).get("unit_group") or ""),
            "unit_code": str((extras or {}).get("unit_code") or ""),
        }
        for id_, name, title, extras in rows
    ]


def _context(user: str) -> Context:
    return {"user": user, "ignore_auth": True}


def _existing_organizations(user: str) -> dict[str, dict[str, Any]]:
    """The active organizations, shown through the schema, by name."""
    names: list[str] = []
    while True:
        page = tk.get_action("organization_list")(
            _context(user), {"all_fields": False, "offset": len(names)}
        )
        if not page:
            break
        names.extend(page)
    shown: dict[str, dict[str, Any]] = {}
    for name in names:
        shown[name] = tk.get_action("organization_show")(
            _context(user),
            {
                "id": name,
                "include_datasets": False,
                "include_users": False,
                "include_groups": False,
                "include_followers": False,
            },
        )
    return shown


def _create(user: str, fields: Mapping[str, str], summary: LoadSummary) -> None:
    try:
        tk.get_action("organization_create")(_context(user), dict(fields))
    except tk.ValidationError as error:
        # The name is held by a deleted organization (organization_list leaves those out):
        # the office removed the unit on purpose, so it is not brought back.
        if "name" in error.error_dict and _is_deleted(user, fields["name"]):
            summary.skipped.append(fields["name"])
            return
        raise
    # CKAN makes the creator an admin of the new organization; the site user is a sysadmin
    # anyway, and would only show up in every unit's member list.
    tk.get_action("organization_member_delete")(
        _context(user), {"id": fields["name"], "username": user}
    )
    summary.created.append(fields["name"])


def _is_deleted(user: str, name: str) -> bool:
    try:
        org = tk.get_action("organization_show")(
            _context(user), {"id": name, "include_datasets": False, "include_users": False}
        )
    except tk.ObjectNotFound:
        return False
    return org.get("state") == "deleted"
