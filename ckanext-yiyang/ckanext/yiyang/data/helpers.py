"""Template helpers of the data panel: the state of an entry's data, what the reader may see."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.data import model


def _user() -> str | None:
    return tk.current_user.name if tk.current_user.is_authenticated else None


def yiyang_data_status(package_id: str) -> dict[str, dict[str, Any]]:
    """The load and service state of each resource of the entry, by resource id ({} when the
    reader may not see them)."""
    try:
        shown = tk.get_action("yiyang_data_status_show")({"user": _user()}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {}
    return {row["resource_id"]: row for row in shown["resources"]}


def yiyang_data_consistency(package_id: str) -> dict[str, Any] | None:
    """The entry's consistency with its data, or ``None`` when the reader may not see it."""
    try:
        return tk.get_action("yiyang_data_consistency_show")({"user": _user()}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def yiyang_data_differs(package_id: str) -> bool:
    """The entry has loaded data that disagrees with its 信息项 (the review queue's marker)."""
    return any(row.status == "differs" for row in model.consistency_of(package_id))


def yiyang_data_load_label(state: str | None) -> str:
    labels = {
        "pending": tk._("Waiting to be loaded"),
        "loading": tk._("Loading"),
        "done": tk._("Loaded"),
        "error": tk._("Loading failed"),
    }
    return labels.get(state or "", "")
