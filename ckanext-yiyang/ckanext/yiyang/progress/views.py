"""Pages of the progress view: /progress (督促检查) and its Excel export. Views call the
action only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.yiyang.pager import pager
from ckanext.yiyang.progress import chart, columns, config, export, phases
from ckanext.yiyang.progress.figures import STATES
from ckanext.yiyang.progress.logic.schema import MOST_UNITS

progress = Blueprint("yiyang_progress", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


#: Units a page of the table: the city's 附件1 (88 units) on one.
PAGE = 100


def _report(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    args = tk.request.args
    data: dict[str, Any] = {key: args[key] for key in ("sort", "dir", "behind") if args.get(key)}
    data.update(limit=limit or PAGE, offset=offset)
    try:
        return tk.get_action("yiyang_progress_list")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(
            403, tk._("Only the e-government office and the units' admins see the progress view")
        )
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))


def _charts(report: dict[str, Any]) -> list[chart.Chart]:
    _ = tk._
    labels = columns.count_labels()
    totals = report["totals"]
    city = _("The city") if report["scope"] == "city" else _("Total")
    rows = [(group["title"], group, False) for group in report["groups"]]
    rows.append((city, totals, True))
    states = [(state, labels[state], chart.STATE_COLOURS[state]) for state in STATES]
    schedule = [
        ("units_on_schedule", _("On schedule"), chart.SCHEDULE_COLOURS["units_on_schedule"]),
        ("units_behind", _("Behind schedule"), chart.SCHEDULE_COLOURS["units_behind"]),
    ]
    return [
        chart.stacked(_("Entries by review state"), rows, states),
        chart.stacked(_("Units on schedule and behind"), rows, schedule),
    ]


@progress.route("/progress")
def index() -> str:
    """The progress of the units against the notice's schedule, sortable by any column,
    ``PAGE`` units a page."""
    page_number = tk.h.get_page_number(tk.request.args)
    report = _report(offset=(page_number - 1) * PAGE)
    kept: dict[str, Any] = {"sort": report["sort"], "dir": report["dir"]}
    if report.get("behind_only"):
        kept["behind"] = 1
    page = pager(report, page_number, PAGE, "yiyang_progress.index", **kept)
    return tk.render(
        "yiyang/progress/index.html",
        {
            "page": page,
            "report": report,
            "labels": columns.column_labels(),
            "count_keys": list(columns.count_labels()),
            "charts": _charts(report),
            "may_set_phases": _may("yiyang_progress_phase_update"),
        },
    )


def _may(action: str) -> bool:
    try:
        tk.check_access(action, _context(), {})
    except tk.NotAuthorized:
        return False
    return True


@progress.route("/progress/phases", methods=["GET", "POST"])
def phases_edit() -> Any:
    """The office sets the deadlines of the current round's phases."""
    if not _may("yiyang_progress_phase_update"):
        return tk.abort(403, tk._("Only the e-government office sets the phases of the round"))
    errors: dict[str, Any] = {}
    current = {key: day.isoformat() for key, day in phases.deadlines().items()}
    form = {key: current.get(key, "") for key in config.PHASES}
    if tk.request.method == "POST":
        form = {key: tk.request.form.get(key, "").strip() for key in config.PHASES}
        try:
            tk.get_action("yiyang_progress_phase_update")(_context(), dict(form))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("The phases of the round are saved."))
            return tk.redirect_to("yiyang_progress.index")
    return tk.render(
        "yiyang/progress/phases.html",
        {
            "form": form,
            "errors": errors,
            "phases": [
                {"key": key, "title": phases.phase_title(key), "rule": phases.phase_rule(key)}
                for key in config.PHASES
            ],
        },
    )


@progress.route("/progress/export.xlsx")
def export_xlsx() -> Response:
    """The same table as an Excel workbook, in the same order: every unit, in one call of
    the action (each call builds the figures of every unit)."""
    report = _report(MOST_UNITS)
    filename = f"progress-{report['today']}.xlsx"
    return Response(
        export.workbook(report),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
