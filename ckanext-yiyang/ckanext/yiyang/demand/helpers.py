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
