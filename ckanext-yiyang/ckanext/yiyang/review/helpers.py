"""Template helpers of the review panel."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.review import states


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
        return tk.get_action("yiyang_review_history")(_context(), {"id": package_id})
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
