"""Template helpers of the progress view."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def _filter(report: dict[str, Any]) -> dict[str, Any]:
    return {"behind": 1} if report.get("behind_only") else {}


def yiyang_progress_sort_url(key: str, report: dict[str, Any]) -> str:
    """The link of a column header: sorted by ``key``; again on the sorted column turns the
    direction. Counts and dates start with the largest, names in their order."""
    if report["sort"] == key:
        direction = "asc" if report["dir"] == "desc" else "desc"
    else:
        direction = "asc" if key in ("order", "title") else "desc"
    return tk.h.url_for("yiyang_progress.index", sort=key, dir=direction, **_filter(report))


def yiyang_progress_export_url(report: dict[str, Any]) -> str:
    return tk.h.url_for(
        "yiyang_progress.export_xlsx", sort=report["sort"], dir=report["dir"], **_filter(report)
    )


def yiyang_progress_china_date(moment: str | None) -> str:
    """The Chinese calendar date of a UTC moment as the API gives it (``""`` for none)."""
    from ckanext.yiyang import workdays

    return workdays.china_date(moment).isoformat() if moment else ""
