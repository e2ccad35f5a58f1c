"""Template helpers of the review panel."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.review import diff, states

ITEMS_FIELD = "data_items"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def yiyang_revision(package_id: str) -> dict[str, Any] | None:
    """The entry's pending change, if the current user may see it."""
    try:
        return tk.get_action("yiyang_revision_show")(_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def yiyang_review_history(package_id: str) -> list[dict[str, Any]]:
    try:
        return tk.get_action("yiyang_review_history")(
            _context(), {"id": package_id, "limit": 500}
        )["results"]
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def yiyang_field_label(field_name: str) -> str:
    """The label of an entry field in the request's language."""
    schema = tk.h.scheming_get_dataset_schema("dataset") or {"dataset_fields": []}
    name = "tag_string" if field_name == "tags" else field_name
    for field in schema["dataset_fields"]:
        if field["field_name"] == name:
            return tk.h.scheming_language_text(field["label"])
    return field_name


def yiyang_review_steps(entry_status: str | None, revision_status: str | None = None) -> list[str]:
    """The review steps that may follow (``states.steps``); the page asks the auth functions
    who may take them."""
    return states.steps(entry_status, revision_status)


def yiyang_review_state_label(state: str | None) -> str:
    """The label of an entry's review state (none yet: a draft)."""
    return states.ENTRY.label(state or states.DRAFT)


def yiyang_review_deletable_states() -> tuple[str, ...]:
    """The review states in which the form offers to delete an entry: never published, or
    withdrawn; not while it waits for review, not while it is published (it is withdrawn)."""
    return (states.DRAFT, states.RETURNED, states.WITHDRAWN)


def _schema_field(field_name: str, subfield: str | None = None) -> dict[str, Any] | None:
    schema = tk.h.scheming_get_dataset_schema("dataset") or {"dataset_fields": []}
    name = "tag_string" if field_name == "tags" else field_name
    for field in schema["dataset_fields"]:
        if field["field_name"] == name:
            if subfield is None:
                return field
            for sub in field.get("repeating_subfields") or []:
                if sub["field_name"] == subfield:
                    return sub
    return None


def yiyang_item_field_label(subfield: str) -> str:
    """The label of a 信息项 column (字段名称, 数据类型 …) in the request's language."""
    field = _schema_field(ITEMS_FIELD, subfield)
    return tk.h.scheming_language_text(field["label"]) if field else subfield


def yiyang_change_value(field_name: str, value: Any, subfield: str | None = None) -> str:
    """A value of a change as a person reads it: a choice by its label, a list joined, an
    empty value as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(yiyang_change_value(field_name, v, subfield) for v in value)
    if isinstance(value, dict):
        return "；".join(
            f"{yiyang_item_field_label(k)}：{yiyang_change_value(field_name, v, k)}"
            for k, v in value.items()
        )
    field = _schema_field(field_name, subfield)
    if field and (field.get("choices") or field.get("choices_helper")):
        label = tk.h.scheming_choices_label(tk.h.scheming_field_choices(field), value)
        if label:
            return str(label)
    return str(value)


def yiyang_item_changes(change: dict[str, Any]) -> list[dict[str, Any]]:
    """The 信息项 of a change of ``data_items``, item by item (``diff.item_changes``)."""
    return diff.item_changes(change.get("old"), change.get("new"))


def yiyang_review_submittable_states() -> tuple[str, ...]:
    """The review states from which an entry may be submitted (the bulk page's checkboxes)."""
    return tuple(sorted(states.ENTRY.transitions["submit"].starts))
