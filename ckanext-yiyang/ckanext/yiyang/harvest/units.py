"""The provider units of harvested entries: units of the county (unit group ``06``)."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang.catalog.units import COUNTY_GROUP

_NAME_CHARS = re.compile(r"[^a-z0-9_-]+")


def unit_name(source_name: str, remote_name: str) -> str:
    """URL name of the city's copy of the county's unit ``remote_name``."""
    return _NAME_CHARS.sub("-", f"{source_name}-{remote_name}".lower())[:100].strip("-")


def _next_code() -> str:
    """The next free code of the counties' group (3 digits)."""
    codes = [
        int(code)
        for (code,) in model.Session.query(model.Group.extras["unit_code"].astext).filter(
            model.Group.is_organization.is_(True),
            model.Group.extras["unit_group"].astext == COUNTY_GROUP.code,
        )
        if code and code.isdigit()
    ]
    code = max(codes, default=0) + 1
    if code > 999:
        raise tk.ValidationError({"owner_org": [tk._("The counties' unit group is full")]})
    return f"{code:03d}"


def county_unit(user: str, source_name: str, source_title: str, remote_org: dict[str, Any]) -> str:
    """The id of the county's unit here, created at its first entry. Its title names the
    county (the source's title) and the unit as the county calls it."""
    name = unit_name(source_name, remote_org["name"])
    existing = model.Group.get(name)
    if existing is not None and existing.is_organization:
        return existing.id
    title = f"{source_title}·{remote_org.get('title') or remote_org['name']}"
    created = tk.get_action("organization_create")(
        {"user": user, "ignore_auth": True, "yiyang_harvest": True},
        {
            "name": name,
            "title": title[:100],
            "unit_group": COUNTY_GROUP.code,
            "unit_code": _next_code(),
            "description": remote_org.get("description") or "",
        },
    )
    # CKAN makes the creator an admin; the site user would only clutter the member list.
    tk.get_action("organization_member_delete")(
        {"user": user, "ignore_auth": True}, {"id": created["id"], "username": user}
    )
    return str(created["id"])
