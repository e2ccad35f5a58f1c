"""The progress table as an Excel workbook: the same columns and order as the page, a totals
row, and a second sheet with the schedule. Text that begins like a formula is stored as text."""

from __future__ import annotations

import datetime
import io
from typing import Any

import ckan.plugins.toolkit as tk
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ckanext.yiyang.progress import columns
from ckanext.yiyang.progress.figures import COUNTS, OVERDUE_COUNTS
from ckanext.yiyang.workbooks import cell, new_book

_BOLD = Font(bold=True)
_RED = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BEHIND_FILL = PatternFill("solid", fgColor="FCE4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")


def headers() -> list[str]:
    _ = tk._
    labels = columns.column_labels()
    return [
        _("No."),
        _("Unit group"),
        labels["title"],
        *[labels[key] for key in COUNTS],
        labels["last_activity"],
        labels["behind"],
        _("Why behind schedule"),
    ]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _schedule_label(row: dict[str, Any]) -> str:
    return tk._("Behind schedule") if row["behind"] else tk._("On schedule")


def workbook(report: dict[str, Any]) -> bytes:
    """The workbook of a ``yiyang_progress_list`` result."""
    _ = tk._
    book = new_book()
    sheet = book.create_sheet(_("Progress"))
    sheet.append([cell(sheet, text, _BOLD) for text in headers()])
    for column in range(1, len(headers()) + 1):
        sheet.cell(row=1, column=column).fill = _HEADER_FILL
        sheet.cell(row=1, column=column).alignment = _WRAP
    first_count = 4  # No., group, unit, then the counts
    # the sheet's row of each unit counted here: openpyxl's ``max_row`` looks at every cell
    # (asked per row, 4,995 units took 20 of the export's 25 seconds)
    for current, row in enumerate(report["results"], start=2):
        values: list[Any] = [
            row["position"],
            row["unit_group_title"],
            row["title"],
            *[row[key] for key in COUNTS],
            _date(row["last_activity_date"]),
            _schedule_label(row),
            "\n".join(row["behind_reasons"]),
        ]
        sheet.append([None if v is None else cell(sheet, v) for v in values])
        for index, key in enumerate(COUNTS):
            if key in OVERDUE_COUNTS and row[key]:
                sheet.cell(row=current, column=first_count + index).font = _RED
        if row["behind"]:
            for column in (3, len(values) - 1, len(values)):
                sheet.cell(row=current, column=column).fill = _BEHIND_FILL
        sheet.cell(row=current, column=len(values)).alignment = _WRAP

    totals = report["totals"]
    total_row: list[Any] = [
        None,
        None,
        _("Total ({count} units)").format(count=totals["units"]),
        *[totals[key] for key in COUNTS],
        _date(_china_day(totals["last_activity"])),
        _("{behind} behind, {on} on schedule").format(
            behind=totals["units_behind"], on=totals["units_on_schedule"]
        ),
        None,
    ]
    sheet.append([None if v is None else cell(sheet, v, _BOLD) for v in total_row])

    date_column = first_count + len(COUNTS)
    for excel_row in sheet.iter_rows(min_row=2, min_col=date_column, max_col=date_column):
        for date_cell in excel_row:
            date_cell.number_format = "yyyy-mm-dd"
    widths = {1: 6, 2: 22, 3: 26, date_column: 12, date_column + 1: 10, date_column + 2: 60}
    for column in range(1, len(headers()) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 10)
    sheet.freeze_panes = "D2"

    _schedule_sheet(book, report)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _china_day(moment: str | None) -> str | None:
    from ckanext.yiyang import workdays

    return workdays.china_date(moment).isoformat() if moment else None


def _schedule_sheet(book: Any, report: dict[str, Any]) -> None:
    _ = tk._
    sheet = book.create_sheet(_("Timetable"))
    sheet.append([cell(sheet, text, _BOLD) for text in (_("Phase"), _("Deadline"), _("Rule"))])
    for phase in report["phases"]:
        sheet.append(
            [cell(sheet, phase["title"]), _date(phase["deadline"]), cell(sheet, phase["rule"])]
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
    sheet.append([])
    sheet.append([cell(sheet, _("As of")), _date(report["today"])])
    sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 80
