"""Template helpers of the demand pages."""

from __future__ import annotations

from typing import Any

from ckanext.yiyang.catalog import schema
from ckanext.yiyang.demand import states


def yiyang_demand_status_label(status: str) -> str:
    """The name of a demand's state in the request's language."""
    return states.MACHINE.label(status)


def yiyang_demand_frequencies() -> list[dict[str, Any]]:
    """The choices of 数据更新频率要求: the catalog's update cycles."""
    return schema.UPDATE_CYCLES


def yiyang_demand_frequency_label(value: str) -> str:
    return schema.label("update_cycle", value) if value else ""


def yiyang_demand_fulfil_choices(demand: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries that may meet ``demand``: the providing unit's published entries (as the
    fulfilling user may see them), by resource code: ``[{"name", "title", "resource_code"}]``."""
    import ckan.plugins.toolkit as tk

    unit = demand.get("provider_org")
    if not unit:
        return []
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    found: list[dict[str, Any]] = []
    while True:
        page = tk.get_action("package_search")(
            {"user": user},
            {
                "fq": f'owner_org:"{unit}" AND review_status:published',
                "sort": "resource_code asc",
                "rows": 1000,
                "start": len(found),
                "include_private": True,
            },
        )
        found.extend(page["results"])
        if not page["results"] or len(found) >= page["count"]:
            break
    return [
        {"name": r["name"], "title": r["title"], "resource_code": r.get("resource_code") or ""}
        for r in found
    ]
