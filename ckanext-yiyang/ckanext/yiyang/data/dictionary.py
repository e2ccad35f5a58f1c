"""The 信息项 as the DataStore data dictionary: each column named like an item gets
``info = {label: item name, notes: description (unit)}``, so the datatables preview and the
API (``datastore_info``, ``datastore_search`` fields) show Chinese column descriptions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def _notes(item: dict[str, Any]) -> str:
    notes = (item.get("description") or "").strip()
    unit = (item.get("unit") or "").strip()
    if unit:
        label = tk._("Unit of measure")
        notes = f"{notes}（{label}：{unit}）" if notes else f"{label}：{unit}"
    return notes


def apply(resource_id: str) -> bool:
    """Write the entry's 信息项 into the table's data dictionary; ``False`` when the resource
    has no table."""
    context: dict[str, Any] = {"ignore_auth": True}
    try:
        info = tk.get_action("datastore_info")(dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        return False
    resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
    package = tk.get_action("package_show")(dict(context), {"id": resource["package_id"]})
    items = {(item.get("name") or "").strip(): item for item in package.get("data_items") or []}
    fields = []
    for field in info["fields"]:
        if field["id"] == "_id":
            continue
        entry: dict[str, Any] = {"id": field["id"], "type": field["type"]}
        kept = dict(field.get("info") or {})
        item = items.get(field["id"])
        if item:
            kept.update({"label": item["name"], "notes": _notes(item)})
        entry["info"] = kept
        fields.append(entry)
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    tk.get_action("datastore_create")(
        {"ignore_auth": True, "user": site["name"]},
        {"resource_id": resource_id, "force": True, "fields": fields},
    )
    return True
