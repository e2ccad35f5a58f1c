"""What changed between two versions of an entry's metadata (for the history and for telling
a metadata change from a change of the attached data only)."""

from __future__ import annotations

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


def _value(pkg: dict[str, Any], field: str) -> Any:
    if field == "tags":
        return _tags(pkg)
    return _norm(pkg.get(field))


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
