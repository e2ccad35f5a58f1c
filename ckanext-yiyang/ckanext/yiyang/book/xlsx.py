"""The Excel edition: the catalog as a write-only workbook (rows streamed to disk, nothing held).

Sheet 信息资源目录: the entries in the book's order, a heading row before each class, category
and unit (as in the PDF), and the class and unit in columns too, for filtering. Sheet 信息项: one
row per 信息项, with its entry's code and name. Text that begins like a formula is stored as
text (``workbooks.cell``).
"""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ckanext.yiyang import workbooks
from ckanext.yiyang.book import fields, source

Progress = Callable[[int], None]


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of the workbook: ``key`` of ``fields.view``; headed by the label of the schema's
    ``field`` (``item``: a field of a 信息项), or by ``text`` where the book has its own."""

    key: str
    width: int
    field: str = ""
    item: bool = False
    text: str = ""

    @property
    def heading(self) -> str:
        return fields.label(self.field, self.item) if self.field else self.text


ENTRY_COLUMNS: list[Column] = [
    Column("row", 7, text="序号"),
    Column("class", 14, text="资源类别"),
    Column("catalog_category", 20, "catalog_category"),
    Column("unit", 22, "owner_org"),
    Column("resource_code", 16, "resource_code"),
    Column("title", 32, "title"),
    Column("notes", 48, "notes"),
    Column("subject_category", 14, "subject_category"),
    Column("keywords", 20, "tag_string"),
    Column("format", 16, text="信息资源格式"),
    Column("share_type", 12, "share_type"),
    Column("share_condition", 24, "share_condition"),
    Column("share_method", 14, "share_method"),
    Column("open_to_public", 8, "open_to_public"),
    Column("open_condition", 20, "open_condition"),
    Column("update_cycle", 9, "update_cycle"),
    Column("disclosure_scope", 10, "disclosure_scope"),
    Column("release_date", 12, "release_date"),
    Column("item_count", 8, text="信息项数"),
]
ITEM_COLUMNS: list[Column] = [
    Column("resource_code", 16, "resource_code"),
    Column("title", 32, "title"),
    Column("no", 6, text="序号"),
    Column("name", 22, "name", item=True),
    Column("description", 40, "description", item=True),
    Column("data_type", 12, "data_type", item=True),
    Column("length", 8, "length", item=True),
    Column("unit", 10, "unit", item=True),
    Column("disclosure_scope", 10, "disclosure_scope", item=True),
]

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADING_FONTS = {1: Font(bold=True, size=13), 2: Font(bold=True, size=12)}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclasses.dataclass
class Result:
    entries: int = 0
    items: int = 0


def _sheet(book: Workbook, title: str, columns: list[Column], caption: str) -> Any:
    sheet = book.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    workbooks.append(sheet, [caption], _TITLE)
    header = []
    for column in columns:
        cell = workbooks.cell(sheet, column.heading, _BOLD)
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    return sheet


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _blank(value: Any) -> Any:
    return None if value in (None, "") else value


def _number(value: str) -> Any:
    return int(value) if value.isdigit() and len(value) < 16 else value or None


def write(
    context: Any,
    book_plan: source.Plan,
    out: pathlib.Path,
    *,
    generated: datetime.datetime,
    progress: Progress | None = None,
) -> Result:
    """Write the edition of ``book_plan`` read with ``context`` (``source.reader``) to ``out``."""
    label = source.EDITION_LABELS[book_plan.edition]
    caption = f"{source.BOOK_TITLE}（{label}）　{generated:%Y-%m-%d %H:%M}"
    book = Workbook(write_only=True)
    entries_sheet = _sheet(book, "信息资源目录", ENTRY_COLUMNS, caption)
    items_sheet = _sheet(book, "信息项", ITEM_COLUMNS, caption)
    result = Result()
    class_title = ""
    unit_title = ""
    for kind, value in source.blocks(context, book_plan):
        if kind == "group":
            group: source.Group = value
            for heading in group.headings:
                font = _HEADING_FONTS.get(heading.level, _BOLD)
                workbooks.append(entries_sheet, [f"{heading.text}（{heading.count} 条）"], font)
            class_title = next((h.text for h in group.trail if h.kind == "class"), "")
            unit_title = next((h.text for h in group.trail if h.kind == "unit"), "")
            continue
        view = fields.view(value)
        result.entries += 1
        unit = unit_title or (value.get("organization") or {}).get("title") or ""
        row = {
            **view,
            "row": result.entries,
            "class": class_title,
            "unit": unit,
            "item_count": len(view["items"]),
        }
        workbooks.append(entries_sheet, [_blank(row.get(c.key)) for c in ENTRY_COLUMNS])
        for number, item in enumerate(view["items"], start=1):
            result.items += 1
            cells = {
                **item,
                "resource_code": view["resource_code"],
                "title": view["title"],
                "no": number,
                "length": _number(item["length"]),
            }
            workbooks.append(items_sheet, [_blank(cells.get(c.key)) for c in ITEM_COLUMNS])
        if progress is not None and result.entries % 500 == 0:
            progress(result.entries)
    if result.entries == 0:
        workbooks.append(entries_sheet, ["本版目录暂无已发布的信息资源。"])
    book.save(out)
    if progress is not None:
        progress(result.entries)
    return result
