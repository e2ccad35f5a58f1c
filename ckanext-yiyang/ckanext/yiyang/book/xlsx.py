"""The Excel edition: the catalog as a write-only workbook (rows streamed to disk, nothing held).

Sheet 信息资源目录: the entries in the book's order, a heading row before each class, category
and unit (as in the PDF), and the class and unit in columns too, for filtering. Sheet 信息项: one
row per 信息项, with its entry's code and name. Text that begins like a formula is stored as
text (``survey.workbooks.cell``).
"""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ckanext.yiyang.book import fields, source
from ckanext.yiyang.survey import workbooks

Progress = Callable[[int], None]

ENTRY_COLUMNS: list[tuple[str, str, int]] = [
    # (key of fields.view, header, width)
    ("row", "序号", 7),
    ("class", "资源类别", 14),
    ("catalog_category", "资源属性分类", 20),
    ("unit", "信息资源提供方", 22),
    ("resource_code", "信息资源代码", 16),
    ("title", "信息资源名称", 32),
    ("notes", "信息资源摘要", 48),
    ("subject_category", "主题分类", 14),
    ("keywords", "关键字", 20),
    ("format", "信息资源格式", 16),
    ("share_type", "共享类型", 12),
    ("share_condition", "共享条件/不予共享依据", 24),
    ("share_method", "共享方式", 14),
    ("open_to_public", "是否向社会开放", 8),
    ("open_condition", "开放条件", 20),
    ("update_cycle", "更新周期", 9),
    ("disclosure_scope", "公开范围", 10),
    ("release_date", "发布日期", 12),
    ("item_count", "信息项数", 8),
]
ITEM_COLUMNS: list[tuple[str, str, int]] = [
    ("resource_code", "信息资源代码", 16),
    ("title", "信息资源名称", 32),
    ("no", "序号", 6),
    ("name", "字段名称", 22),
    ("description", "字段说明", 40),
    ("data_type", "数据类型", 12),
    ("length", "长度", 8),
    ("unit", "计量单位", 10),
    ("disclosure_scope", "公开范围", 10),
]

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADING_FONTS = {1: Font(bold=True, size=13), 2: Font(bold=True, size=12)}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclasses.dataclass
class Result:
    entries: int = 0
    items: int = 0


def _sheet(book: Workbook, title: str, columns: list[tuple[str, str, int]], caption: str) -> Any:
    sheet = book.create_sheet(title)
    for index, (_key, _header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A3"
    workbooks.append(sheet, [caption], _TITLE)
    header = []
    for _key, text, _width in columns:
        cell = workbooks.cell(sheet, text, _BOLD)
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
        workbooks.append(entries_sheet, [_blank(row.get(key)) for key, _h, _w in ENTRY_COLUMNS])
        for number, item in enumerate(view["items"], start=1):
            result.items += 1
            cells = {
                **item,
                "resource_code": view["resource_code"],
                "title": view["title"],
                "no": number,
                "length": _number(item["length"]),
            }
            workbooks.append(items_sheet, [_blank(cells.get(key)) for key, _h, _w in ITEM_COLUMNS])
        if progress is not None and result.entries % 500 == 0:
            progress(result.entries)
    if result.entries == 0:
        workbooks.append(entries_sheet, ["本版目录暂无已发布的信息资源。"])
    book.save(out)
    if progress is not None:
        progress(result.entries)
    return result
