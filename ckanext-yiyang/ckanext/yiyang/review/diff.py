"""What changed between two versions of an entry's metadata (for the history and for telling
a metadata change from a change of the attached data only), and how a reviewer reads it: old
and new value of each field, 信息项 by 信息项."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

SYSTEM_FIELDS = frozenset({"resource_code", "metadata_id", "release_date", "review_status"})


def _fields() -> list[str]:
    schema = tk.h.scheming_get_dataset_schema("dataset") or {"dataset_fields": []}
    names = [f["field_name"] for f in schema["dataset_fields"]]
    return [("tags" if n == "tag_string" else n) for n in names if n not in SYSTEM_FIELDS]


def _norm(value: Any) -> Any:
    """One shape for what the form, the API and package_show write differently."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, dict):
        cleaned = {k: _norm(v) for k, v in value.items() if k != "__extras"}
        return {k: v for k, v in cleaned.items() if v is not None} or None
    if isinstance(value, (list, tuple)):
        return [_norm(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return str(value).strip() or None


def _tags(pkg: dict[str, Any]) -> list[str] | None:
    if pkg.get("tags"):
        names = [t["name"] if isinstance(t, dict) else str(t) for t in pkg["tags"]]
    elif pkg.get("tag_string"):
        names = [t.strip() for t in str(pkg["tag_string"]).split(",")]
    else:
        return None
    return sorted(n for n in names if n) or None


_FLAT_KEY = re.compile(r"^(?P<field>[a-z_]+)-(?P<index>[0-9]+)-(?P<sub>[a-z_]+)$")


def _rows(pkg: dict[str, Any], field: str) -> list[dict[str, Any]] | None:
    """The rows of a repeating field kept as the form posts them (``data_items-0-name`` …, as
    a working copy saved from the web form holds them), in their order."""
    rows: dict[int, dict[str, Any]] = {}
    for key, value in pkg.items():
        match = _FLAT_KEY.match(key) if isinstance(key, str) else None
        if match and match.group("field") == field:
            rows.setdefault(int(match.group("index")), {})[match.group("sub")] = value
    return [rows[i] for i in sorted(rows)] if rows else None


def _value(pkg: dict[str, Any], field: str) -> Any:
    if field == "tags":
        return _tags(pkg)
    value = pkg.get(field)
    if value is None:
        value = _rows(pkg, field)
    if isinstance(value, list):
        # a row left empty (the form's spare row) is no row
        return _norm([v for v in value if _norm(v) is not None])
    return _norm(value)


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{"field", "old", "new"}, …]`` for every metadata field whose value differs."""
    found = []
    for field in _fields():
        before, after = _value(old, field), _value(new, field)
        if before != after:
            found.append({"field": field, "old": before, "new": after})
    return found


def snapshot(pkg: dict[str, Any]) -> dict[str, Any]:
    """The metadata of a version, normalised, as kept with a review decision."""
    return {field: _value(pkg, field) for field in _fields()}


def item_changes(old: Any, new: Any) -> list[dict[str, Any]]:
    """The 信息项 that changed between two lists of items, one by one: ``[{"name", "kind",
    "fields"}]`` with ``kind`` ``added``, ``removed`` or ``changed`` and ``fields``
    ``[{"field", "old", "new"}]`` (an added item: its values). Items are matched by name (the
    name is unique within an entry): a renamed item is one removed and one added."""
    before = {i.get("name"): i for i in (old or []) if isinstance(i, dict)}
    after = {i.get("name"): i for i in (new or []) if isinstance(i, dict)}
    found = []
    for name, item in after.items():
        if name not in before:
            found.append({"name": name, "kind": "added", "fields": _item_fields({}, item)})
        else:
            fields = _item_fields(before[name], item)
            if fields:
                found.append({"name": name, "kind": "changed", "fields": fields})
    found += [
        {"name": name, "kind": "removed", "fields": []} for name in before if name not in after
    ]
    return found


def _item_fields(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    keys = list(dict.fromkeys([*new, *old]))
    return [
        {"field": k, "old": old.get(k), "new": new.get(k)}
        for k in keys
        if old.get(k) != new.get(k)
    ]
