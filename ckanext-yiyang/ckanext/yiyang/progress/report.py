"""The progress report: the units' figures, their milestones, sorting and the city's totals."""

from __future__ import annotations

import datetime
import statistics
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang import config as base_config
from ckanext.yiyang import workdays
from ckanext.yiyang.catalog import units as catalog_units
from ckanext.yiyang.progress import figures, phases
from ckanext.yiyang.progress.figures import COUNTS, OVERDUE_COUNTS

OTHER_GROUP = ""


def _lang() -> str:
    try:
        return tk.h.lang() or "zh_Hans_CN"
    except (RuntimeError, AttributeError):  # outside a request
        return "zh_Hans_CN"


def group_titles() -> dict[str, str]:
    english = _lang() == "en"
    return {
        group.code: (group.title_en if english else group.title)
        for group in catalog_units.unit_groups()
    }


def _pinyin_key(title: str) -> bytes:
    # GB2312 orders its first-level characters by pinyin, as a Chinese reader sorts names.
    return title.encode("gb18030", errors="replace")


def _sort_value(row: dict[str, Any], sort: str) -> Any:
    if sort == "title":
        return _pinyin_key(row["title"] or "")
    if sort == "last_activity":
        return row["last_activity"] or ""
    if sort == "behind":
        return row["missed"]
    return row[sort]


def build(
    units: list[str] | None, today: datetime.date, sort: str = "order", direction: str = "asc"
) -> dict[str, Any]:
    """The report for the units with ids ``units`` (None: every unit) on ``today``."""
    organizations = figures.organizations(units)
    cut = figures.cutoffs(today)
    counts = figures.by_unit([org.id for org in organizations], cut)
    schedule = phases.schedule()
    current = phases.current_phase(schedule, today)
    titles = group_titles()
    other_units = tk._("Other units")
    wording = phases.Wording()

    rows = []
    for org in organizations:
        extras = org.extras or {}
        group = extras.get("unit_group") or OTHER_GROUP
        row: dict[str, Any] = {
            "id": org.id,
            "name": org.name,
            "title": org.title or org.name,
            "unit_group": group,
            "unit_group_title": titles.get(group, other_units),
            "unit_code": extras.get("unit_code") or "",
            **counts[org.id],
            "contacts_missing": phases.contact_roles_missing(extras),
        }
        last = row["last_activity"]
        row["last_activity"] = last.isoformat() if last else None
        row["last_activity_date"] = workdays.china_date(last).isoformat() if last else None
        row["milestones"] = phases.milestones(row, schedule, today, wording)
        row["behind_reasons"] = phases.behind_reasons(row["milestones"], wording)
        row["missed"] = len(row["behind_reasons"])
        row["behind"] = row["missed"] > 0
        row["overdue"] = any(row[key] for key in OVERDUE_COUNTS)
        rows.append(row)

    rows.sort(key=catalog_units.unit_order_key)
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    if sort != "order":
        rows.sort(key=lambda r: _sort_value(r, sort), reverse=direction == "desc")
    elif direction == "desc":
        rows.reverse()

    return {
        "today": today.isoformat(),
        "scope": "city" if units is None else "own",
        "sort": sort,
        "dir": direction,
        "overdue_after": base_config.review_overdue_days(),
        "phases": [
            {
                "key": phase.key,
                "title": phases.phase_title(phase.key, wording),
                "deadline": phase.deadline.isoformat(),
                "status": phase.status(today, current),
                "rule": phases.phase_rule(phase.key),
                "judges_units": phase.judges_units,
            }
            for phase in schedule
        ],
        "current_phase": current,
        "count": len(rows),
        "units": rows,
        "groups": _groups(rows, titles),
        "totals": _totals(rows, cut if units is None else None),
    }


def _sum(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {key: sum(row[key] for row in rows) for key in COUNTS}
    # an average is not summed: the mean of the rated units' averages
    rated = [row["rating_average"] for row in rows if row["rating_average"]]
    totals["rating_average"] = round(sum(rated) / len(rated), 1) if rated else 0
    # a median does not add up: the units' median of their medians (those that answered)
    timed = sorted(
        row["applications_answer_days"] for row in rows if row["applications_answer_days"]
    )
    totals["applications_answer_days"] = statistics.median(timed) if timed else 0
    behind = sum(1 for row in rows if row["behind"])
    totals.update(units=len(rows), units_behind=behind, units_on_schedule=len(rows) - behind)
    return totals


def _totals(rows: list[dict[str, Any]], city: figures.Cutoffs | None) -> dict[str, Any]:
    totals = _sum(rows)
    moments = [row["last_activity"] for row in rows if row["last_activity"]]
    totals["last_activity"] = max(moments) if moments else None
    if city is not None:
        totals.update(figures.unrouted_demands(city))
    return totals


def _groups(rows: list[dict[str, Any]], titles: dict[str, str]) -> list[dict[str, Any]]:
    """Per group of 附件1 (in its order; units without a group last): the sums."""
    codes = sorted({row["unit_group"] for row in rows}, key=lambda c: (c == OTHER_GROUP, c))
    result = []
    for code in codes:
        members = [row for row in rows if row["unit_group"] == code]
        result.append(
            {
                "code": code,
                "title": titles.get(code, tk._("Other units")),
                **_sum(members),
            }
        )
    return result
