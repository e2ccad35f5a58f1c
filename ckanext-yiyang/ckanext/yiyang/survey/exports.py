"""Exports of catalog entries as the 附件3 workbook (数据提供调查表): a search result or a unit's
catalog, in the template's own layout, so that an export imported again changes nothing.

Entries are read with ``package_search`` as the requesting user, so the export holds exactly
what that user sees (``visibility``: which entries, and only the public 信息项 of a partly
public entry for viewers outside government). Pages of ``PAGE_ROWS`` are streamed into a
write-only workbook; more than the configured cap is refused before anything is written.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.yiyang.catalog import categories, schema
from ckanext.yiyang.survey import workbooks
from ckanext.yiyang.survey.layout import ENTRY_COLUMNS, ITEM_COLUMNS

PAGE_ROWS = 1000
# Fields written as the Chinese label of their choice list.
_CHOICE_FIELDS = frozenset(c.key for c in ENTRY_COLUMNS if c.choices) - {
    "owner_org",
    "catalog_category",
    "subject_category",
}
_ITEM_CHOICE_FIELDS = frozenset({"data_type", "disclosure_scope"})


class TooManyEntries(Exception):
    """The export would hold more entries than the cap allows."""

    def __init__(self, count: int, cap: int) -> None:
        super().__init__(f"{count} entries, more than the cap of {cap}")
        self.count = count
        self.cap = cap


@dataclasses.dataclass
class Export:
    """What was written."""

    entries: int = 0
    items: int = 0


def _label(field: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    return schema.label(field, str(value), "zh_Hans_CN")


def _number(value: Any) -> Any:
    """A length as a number when it is one (it is stored as text by the form)."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,15}", value.strip()):
        return int(value)
    return value if value not in ("", None) else None


def _joined(value: Any) -> str | None:
    if isinstance(value, list):
        return ",".join(str(v) for v in value if v not in (None, "")) or None
    return value or None


def entry_values(entry: dict[str, Any], row: int) -> dict[str, Any]:
    """The cells of an entry's row in the 信息资源 sheet, by column key."""
    values: dict[str, Any] = {}
    for column in ENTRY_COLUMNS:
        key = column.key
        value = entry.get(key)
        if key == "row":
            value = row
        elif key == "owner_org":
            organization = entry.get("organization") or {}
            value = organization.get("title") or organization.get("name")
        elif key == "catalog_category":
            value = categories.coded(value)
        elif key == "subject_category":
            value = categories.coded(value, subject=True)
        elif key == "tag_string":
            tags = entry.get("tags") or []
            value = ",".join(t["name"] for t in tags) if tags else _joined(value)
        elif key == "related_resource_codes":
            value = _joined(value)
        elif key in _CHOICE_FIELDS:
            value = _label(key, value)
        values[key] = None if value == "" else value
    return values


def item_values(item: dict[str, Any], row: int) -> dict[str, Any]:
    """The cells of a 信息项 row, linked to its entry by ``row``."""
    values: dict[str, Any] = {}
    for column in ITEM_COLUMNS:
        key = column.key
        value = item.get(key)
        if key == "row":
            value = row
        elif key == "length":
            value = _number(value)
        elif key in _ITEM_CHOICE_FIELDS:
            value = _label(key, value)
        values[key] = None if value == "" else value
    return values


def count(context: Context, search: dict[str, Any]) -> int:
    """How many entries ``search`` finds for the user of ``context``."""
    result = tk.get_action("package_search")(dict(context), {**search, "rows": 0})
    return int(result["count"])


def _entries(context: Context, search: dict[str, Any], limit: int) -> Iterator[dict[str, Any]]:
    """The entries ``search`` finds, page by page, as the user of ``context`` sees them."""
    start = 0
    while start < limit:
        rows = min(PAGE_ROWS, limit - start)
        page = tk.get_action("package_search")(
            dict(context), {**search, "rows": rows, "start": start}
        )
        yield from page["results"]
        if len(page["results"]) < rows:
            return
        start += rows


def write_workbook(
    out: IO[bytes] | str,
    entries: Iterable[dict[str, Any]],
    *,
    total: int,
    unit: str | None = None,
    notes: Sequence[str] = (),
) -> Export:
    """Write ``entries`` (dicts shaped as ``package_show`` returns them: codes, ``tags``,
    ``organization``, ``data_items``) as the 附件3 workbook to ``out``, streaming. ``total``:
    about how many (the drop-downs reach that far); ``unit``: the 填表单位; ``notes``: lines
    for the instructions sheet."""
    book, entries_sheet, items_sheet, lists = workbooks.entries_book(
        unit, write_only=True, last_row=workbooks.FIRST_DATA_ROW + total, notes=notes
    )
    # Row 5 holds the template's example; an export leaves it empty and starts below it.
    entries_sheet.append([])
    items_sheet.append([])
    written = Export()
    for entry in entries:
        written.entries += 1
        row = written.entries
        workbooks.append(
            entries_sheet, workbooks.row_values(ENTRY_COLUMNS, entry_values(entry, row))
        )
        for item in entry.get("data_items") or []:
            if isinstance(item, dict):
                written.items += 1
                workbooks.append(
                    items_sheet, workbooks.row_values(ITEM_COLUMNS, item_values(item, row))
                )
    lists.write(book)
    book.save(out)
    return written


def write(
    out: IO[bytes] | str,
    context: Context,
    search: dict[str, Any],
    *,
    cap: int,
    unit: str | None = None,
    note: str | None = None,
) -> Export:
    """Write the entries ``search`` (a ``package_search`` data dict without rows/start) finds
    for the user of ``context`` as the 附件3 workbook to ``out``. ``unit``: the 填表单位;
    ``note``: a line for the instructions sheet (what was exported). Raises
    ``TooManyEntries`` (before writing anything) when more than ``cap`` entries are found."""
    total = count(context, search)
    if total > cap:
        raise TooManyEntries(total, cap)
    return write_workbook(
        out, _entries(context, search, cap), total=total, unit=unit, notes=[note] if note else []
    )
