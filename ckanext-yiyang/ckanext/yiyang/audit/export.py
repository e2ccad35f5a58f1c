"""The access log as an Excel workbook, and the labels the page shares with it. Written in
openpyxl's write-only mode, row by row; text that begins like a formula stays text
(:mod:`ckanext.yiyang.workbooks`)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from openpyxl.styles import Font

from ckanext.yiyang import workdays
from ckanext.yiyang.workbooks import append, new_book

#: Rows per call of the action, and the most an export holds.
BATCH = 500
MAX_ROWS = 100_000

_BOLD = Font(bold=True)


def labels() -> dict[str, str]:
    """Labels of the ways data is read and of the outcomes, in the request's language."""
    _ = tk._
    return {
        "download": _("Download"),
        "dump": _("DataStore dump"),
        "datastore_search": _("DataStore search"),
        "datastore_search_sql": _("DataStore SQL search"),
        "datastore_info": _("DataStore information"),
        "preview": _("Preview"),
        "api": _("API"),
        "served": _("Served"),
        "refused": _("Refused access"),
    }


def china_time(at: str) -> str:
    """An ISO moment (UTC) as China's wall-clock time, to the second."""
    moment = datetime.datetime.fromisoformat(at).astimezone(workdays.SHANGHAI)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def headers() -> list[str]:
    _ = tk._
    return [
        _("Time (China)"),
        _("User"),
        _("User's units"),
        _("API token"),
        _("Entry"),
        _("Providing unit"),
        _("Resource"),
        _("How"),
        _("Columns returned"),
        _("Rows returned"),
        _("Client address"),
        _("Outcome"),
        _("Reason"),
    ]


def row_values(item: dict[str, Any], names: dict[str, str]) -> list[Any]:
    columns = item["columns"]
    return [
        china_time(item["at"]),
        item["user_name"] or tk._("Anonymous"),
        "、".join(item["user_unit_titles"]),
        item["token_name"],
        item["dataset_title"] or item["dataset_id"],
        item["dataset_org_title"],
        item["resource_id"],
        names.get(item["how"], item["how"]),
        tk._("All (the file)") if columns is None else "、".join(columns),
        item["rows"],
        item["client"],
        names.get(item["outcome"], item["outcome"]),
        item["reason"],
    ]


def workbook(batches: Iterable[list[dict[str, Any]]], count: int) -> bytes:
    """The workbook of the results of ``yiyang_access_log_list``, given in batches; a last
    line says so when ``count`` is more than :data:`MAX_ROWS`."""
    names = labels()
    book = new_book(write_only=True)
    sheet = book.create_sheet(tk._("Access log"))
    append(sheet, headers(), _BOLD)
    written = 0
    for batch in batches:
        for item in batch:
            if written >= MAX_ROWS:
                break
            append(sheet, row_values(item, names))
            written += 1
    if count > written:
        append(
            sheet,
            [
                tk._("{shown} of {count} reads; narrow the filter to export the rest.").format(
                    shown=written, count=count
                )
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
