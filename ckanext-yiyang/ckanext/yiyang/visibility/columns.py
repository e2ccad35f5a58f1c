"""Which columns of an entry's data a viewer may read (catalog-model §6, §12): columns are the
entry's 信息项, matched by name.

- A 信息项 whose own 公开范围 (``disclosure_scope``, the entry's when it has none) is not
  ``public`` is never read by anyone outside government (``viewer.is_government``).
- A unit reading a ``conditional`` entry's data by an application limited to some 信息项 reads
  those only, unless it may read everything by another rule (its own entry, a reviewer, another
  application of one of its units that names none). Features say what their grants are limited
  to through the ``data_columns_granted`` signal, as ``grants.data_granted`` says whose data.
- Whoever reads a limited set of columns reads no column that is not a 信息项 of the entry.

``readable`` answers None when every column may be read; callers first decide (``grants``)
that the viewer may read the entry's data at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang import roles
from ckanext.yiyang.visibility import viewer

#: Sent as ``data_columns_granted.send(viewer_name, units=…, entry_id=…)`` for a
#: ``conditional`` entry whose data the viewer reads by a feature's grant only; each receiver
#: returns None (its grants name no 信息项: every column) or the names of the 信息项 its grants
#: to ``units`` (the ids of the viewer's units) name.
data_columns_granted = tk.signals.ckanext.signal(
    "yiyang_data_columns_granted",
    doc="Which 信息项 of an entry a feature's grants to the viewer's units are limited to.",
)

#: The DataStore's own row number, read by whoever reads any column.
ROW_ID = "_id"


def data_items(package: model.Package) -> list[dict[str, Any]]:
    """The entry's 信息项 (each a dict with at least ``name``)."""
    raw = (package.extras or {}).get("data_items") or "[]"
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    return [i for i in items or [] if isinstance(i, dict) and i.get("name")]


def _granted_names(user_name: str, units: frozenset[str], entry_id: str) -> set[str] | None:
    names: set[str] = set()
    for _receiver, answer in data_columns_granted.send(user_name, units=units, entry_id=entry_id):
        if answer is None:
            return None
        names |= set(answer)
    return names


def readable(user_name: str | None, package: model.Package) -> frozenset[str] | None:
    """The names of the columns of ``package``'s data that ``user_name`` may read; None when
    every column may be read."""
    if roles.is_sysadmin(user_name):
        return None
    extras = package.extras or {}
    limit: set[str] | None = None
    units = frozenset(roles.units_of(user_name))
    if (
        user_name
        and extras.get("share_type") == "conditional"
        and package.owner_org not in units
        and not roles.is_reviewer(user_name)
    ):
        limit = _granted_names(user_name, units, package.id)
    government = viewer.is_government(user_name)
    if government and limit is None:
        return None
    entry_scope = extras.get("disclosure_scope")
    names = set()
    for item in data_items(package):
        scope = item.get("disclosure_scope") or entry_scope
        if (government or scope == "public") and (limit is None or item["name"] in limit):
            names.add(str(item["name"]))
    return frozenset(names)


def hidden(allowed: frozenset[str] | None, columns: Iterable[str]) -> list[str]:
    """The columns among ``columns`` not in ``allowed`` (none when ``allowed`` is None)."""
    if allowed is None:
        return []
    return [c for c in columns if c != ROW_ID and c not in allowed]


def limited(user_name: str | None, package: model.Package) -> bool:
    """The viewer may not read some 信息项 of the entry (so not its files as they are)."""
    allowed = readable(user_name, package)
    return allowed is not None and bool(hidden(allowed, [i["name"] for i in data_items(package)]))
