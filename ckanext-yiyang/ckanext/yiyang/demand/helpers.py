"""Template helpers of the demand pages."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.catalog import schema


def yiyang_demand_status_label(status: str) -> str:
    """The name of a demand's state in the request's language."""
    _ = tk._
    return {
        "submitted": _("Waiting to be accepted"),
        "accepted": _("Accepted, being answered"),
        "fulfilled": _("Fulfilled"),
        "rejected": _("Cannot be met"),
        "closed": _("Closed"),
    }.get(status, status)


def yiyang_demand_frequencies() -> list[dict[str, Any]]:
    """The choices of 数据更新频率要求: the catalog's update cycles."""
    return schema.UPDATE_CYCLES


def yiyang_demand_frequency_label(value: str) -> str:
    return schema.label("update_cycle", value) if value else ""
