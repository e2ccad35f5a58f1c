"""Writing the survey templates (附件2, 附件3, 附件4) as Excel workbooks with openpyxl.

Every data sheet: row 1 the form's title, row 2 填表单位 (a drop-down of the units), row 3 the
column labels (required ones marked ＊), row 4 the API field names (hidden; the importer reads
columns by them), row 5 a filled example (行号 示例, skipped on import), then the rows to fill.
Drop-downs hold the Chinese labels; their lists live on a hidden sheet 代码表.

Sheets are written row by row (``append``), so the same code writes a template and, in
openpyxl's write-only mode, an export of any size (``survey.exports``): the layout is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ckanext.yiyang.catalog import units
from ckanext.yiyang.survey.layout import (
    CONTACT_COLUMNS,
    DEMAND_COLUMNS,
    ENTRY_COLUMNS,
    ITEM_COLUMNS,
    Column,
    contact_roles,
)

# the cells and books of every export, in the base package (the catalog book and the progress
# table write them too); here under their old names for the survey's own modules
from ckanext.yiyang.workbooks import Sheet, append, cell, new_book

KINDS = ("entries", "demands", "contacts")
TITLE_ROW, UNIT_ROW, LABEL_ROW, KEY_ROW, EXAMPLE_ROW, FIRST_DATA_ROW = 1, 2, 3, 4, 5, 6
EXAMPLE_KEY = "示例"
LISTS_SHEET = "代码表"
ENTRIES_SHEET, ITEMS_SHEET = "信息资源", "信息项"
# Drop-downs reach this far down (the forms are filled by hand; imports read every row).
LAST_VALIDATED_ROW = 5000

_BOLD = Font(bold=True)
_REQUIRED = Font(bold=True, color="C00000")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")


def unit_titles() -> list[str]:
    """The units of 附件1 in the notice's order."""
    return [unit.title for unit in units.units_in_order()]


class Lists:
    """The drop-down lists: registered while the data sheets are set up, written last as the
    hidden sheet 代码表 (one column per list)."""

    def __init__(self) -> None:
        self.lists: dict[str, list[str]] = {}

    def ref(self, name: str, values: Sequence[str]) -> str:
        if name not in self.lists:
            self.lists[name] = list(values)
        column = get_column_letter(list(self.lists).index(name) + 1)
        return f"'{LISTS_SHEET}'!${column}$2:${column}${len(self.lists[name]) + 1}"

    def write(self, book: Workbook) -> None:
        sheet = book.create_sheet(LISTS_SHEET)
        sheet.sheet_state = "hidden"
        columns = list(self.lists.values())
        append(sheet, list(self.lists))
        for row in range(max((len(c) for c in columns), default=0)):
            append(sheet, [c[row] if row < len(c) else None for c in columns])


def _dropdown(sheet: Sheet, ref: str, cells: str, what: str) -> None:
    validation = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
    validation.error = f"请从下拉列表中选择{what}"
    validation.errorTitle = "无效的值"
    validation.showErrorMessage = True
    validation.add(cells)
    sheet.data_validations.append(validation)


def data_sheet(
    book: Workbook,
    lists: Lists,
    name: str,
    title: str,
    unit_label: str,
    columns: Sequence[Column],
    unit: str | None = None,
    last_row: int = LAST_VALIDATED_ROW,
) -> Sheet:
    """A data sheet with its four header rows written; the caller appends the rows from
    ``EXAMPLE_ROW`` on. ``unit``: the 填表单位 filled in. Drop-downs reach ``last_row``."""
    sheet = book.create_sheet(name)
    # Widths, hidden rows and panes first: a write-only sheet writes them before any row.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.freeze_panes = f"B{EXAMPLE_ROW}"
    sheet.merged_cells.add(f"A{TITLE_ROW}:{get_column_letter(len(columns))}{TITLE_ROW}")
    _dropdown(sheet, lists.ref("单位", unit_titles()), "B2", "单位")
    for index, column in enumerate(columns, start=1):
        if column.choices:
            letter = get_column_letter(index)
            _dropdown(
                sheet,
                lists.ref(column.label, column.choices()),
                f"{letter}{EXAMPLE_ROW}:{letter}{max(last_row, FIRST_DATA_ROW)}",
                column.label,
            )
    append(sheet, [title], Font(bold=True, size=14))
    unit_cell = cell(sheet, unit or None)
    unit_cell.fill = _HEADER_FILL
    sheet.append([cell(sheet, unit_label, _BOLD), unit_cell])
    labels = []
    for column in columns:
        label = cell(sheet, column.label + ("＊" if column.required else ""))
        label.font = _REQUIRED if column.required else _BOLD
        label.fill = _HEADER_FILL
        label.alignment = Alignment(wrap_text=True, vertical="center")
        labels.append(label)
    sheet.append(labels)
    append(sheet, [column.key for column in columns])
    return sheet


def row_values(columns: Sequence[Column], values: dict[str, Any]) -> list[Any]:
    """A row's values in the order of ``columns``."""
    return [values.get(column.key) for column in columns]


def instructions(book: Workbook, title: str, lines: Sequence[str]) -> None:
    sheet = book.create_sheet("填表说明")
    sheet.column_dimensions["A"].width = 110
    append(sheet, [title], Font(bold=True, size=14))
    sheet.append([])
    for line in lines:
        text = cell(sheet, line)
        text.alignment = Alignment(wrap_text=True)
        sheet.append([text])


def _describe(columns: Sequence[Column]) -> list[str]:
    return [
        f"{c.label}{'（必填）' if c.required else ''}"
        f"{'：从下拉列表中选择' if c.choices else ''}{'；' + c.note if c.note else ''}"
        for c in columns
        if c.label
    ]


ENTRY_EXAMPLE: dict[str, Any] = {
    "row": EXAMPLE_KEY,
    "title": "企业注册登记信息",
    "notes": "全市企业的注册登记信息，包括企业名称、统一社会信用代码、注册资本和登记机关。",
    "provider_department": "企业注册局",
    "catalog_category": "102 法人单位",
    "subject_category": "02 经济管理",
    "tag_string": "企业,注册登记",
    "format_class": "数据库",
    "format_type": "oracle",
    "share_type": "有条件共享",
    "share_condition": "用于市场监管、税务征管等行政管理",
    "share_method": "共享平台·接口",
    "open_to_public": "否",
    "update_cycle": "每日",
    "disclosure_scope": "部分公开",
    "management_mode": "计算机（电子表格）",
}
ITEM_EXAMPLES: list[dict[str, Any]] = [
    {
        "row": EXAMPLE_KEY,
        "name": "企业名称",
        "description": "营业执照上的名称",
        "data_type": "字符型",
        "length": 200,
        "disclosure_scope": "对外公开",
    },
    {
        "row": EXAMPLE_KEY,
        "name": "注册资本",
        "description": "企业登记的注册资本",
        "data_type": "数值型",
        "unit": "万元",
        "disclosure_scope": "对内公开",
    },
]
DEMAND_EXAMPLE: dict[str, Any] = {
    "row": EXAMPLE_KEY,
    "title": "不动产登记信息",
    "provider_org": "市国土资源局",
    "content": "权利人、不动产单元号、坐落、面积、登记时间",
    "purpose": "办理住房公积金贷款时核验房产",
    "update_frequency": "每日",
}


ENTRIES_TITLE = "附件3 数据提供调查表 填表说明"
ENTRIES_LINES = [
    "1．每条信息资源在“信息资源”表中填写一行，行号在本表内唯一；该信息资源的字段（信息项）在"
    "“信息项”表中逐行填写，并填写所属信息资源的行号。",
    "2．第5行是示例（行号为“示例”），导入时跳过，可以删除。带＊的列必填。",
    "3．公开范围分为对外公开、部分公开、对内公开、不公开；管理方式分为人工（纸质表格）和计算机"
    "（电子表格）；数据类型分为整数型、数值型、日期时间型、字符型、二进制数据型。",
    "4．计量单位是指对应字段中数据所使用的单位，例如注册资金的计量单位可以是元或万元。",
    "5．电子表格、数据库类信息资源至少填写一个信息项；字符型、二进制数据型信息项须填写长度。",
    "6．有条件共享须填写共享条件，不予共享须填写法律、行政法规或政策依据；不予共享时不填共享方式。",
    "7．信息资源代码由系统生成：修改已登记的信息资源时保留该列，新登记的信息资源不填。",
]


def entries_book(
    unit: str | None = None,
    *,
    write_only: bool = False,
    last_row: int = LAST_VALIDATED_ROW,
    notes: Sequence[str] = (),
) -> tuple[Workbook, Sheet, Sheet, Lists]:
    """The 附件3 workbook with its header rows written: ``(book, entries sheet, items sheet,
    lists)``. The caller appends rows, then calls ``lists.write(book)`` and saves."""
    book = new_book(write_only)
    instructions(
        book,
        ENTRIES_TITLE,
        [
            *ENTRIES_LINES,
            *notes,
            "“信息资源”表各列：",
            *_describe(ENTRY_COLUMNS),
            "“信息项”表各列：",
            *_describe(ITEM_COLUMNS),
        ],
    )
    lists = Lists()
    entries_sheet = data_sheet(
        book,
        lists,
        ENTRIES_SHEET,
        "附件3 数据提供调查表（信息资源）",
        "填表单位：",
        ENTRY_COLUMNS,
        unit,
        last_row,
    )
    items_sheet = data_sheet(
        book,
        lists,
        ITEMS_SHEET,
        "附件3 数据提供调查表（信息项）",
        "填表单位：",
        ITEM_COLUMNS,
        unit,
        last_row,
    )
    return book, entries_sheet, items_sheet, lists


def entries(unit: str | None = None) -> Workbook:
    """附件3 数据提供调查表: entries and their 信息项, linked by 行号."""
    book, entries_sheet, items_sheet, lists = entries_book(unit)
    append(entries_sheet, row_values(ENTRY_COLUMNS, ENTRY_EXAMPLE), _EXAMPLE_FONT)
    for example in ITEM_EXAMPLES:
        append(items_sheet, row_values(ITEM_COLUMNS, example), _EXAMPLE_FONT)
    lists.write(book)
    return book


def demands(unit: str | None = None) -> Workbook:
    """附件2 数据需求调研表."""
    book = new_book()
    instructions(
        book,
        "附件2 数据需求调研表 填表说明",
        [
            "1．每项数据需求填写一行；第5行是示例（序号为“示例”），导入时跳过。带＊的列必填。",
            "2．数据提供单位不清楚的可以不填，由市电子政务办协调确定。",
            *_describe(DEMAND_COLUMNS),
        ],
    )
    lists = Lists()
    sheet = data_sheet(
        book, lists, "数据需求调研表", "附件2 数据需求调研表", "填表单位：", DEMAND_COLUMNS, unit
    )
    provider = next(i for i, c in enumerate(DEMAND_COLUMNS, start=1) if c.key == "provider_org")
    letter = get_column_letter(provider)
    _dropdown(
        sheet,
        lists.ref("单位", unit_titles()),
        f"{letter}{EXAMPLE_ROW}:{letter}{LAST_VALIDATED_ROW}",
        "单位",
    )
    append(sheet, row_values(DEMAND_COLUMNS, DEMAND_EXAMPLE), _EXAMPLE_FONT)
    lists.write(book)
    return book


def contacts(unit: str | None = None) -> Workbook:
    """附件4 分管负责人及联络人名单: one unit, three people."""
    book = new_book()
    instructions(
        book,
        "附件4 分管负责人及联络人名单 填表说明",
        [
            "1．在“单位名称”后的下拉列表中选择本单位，再填写分管负责人、部门业务联络人和信息技术联络人。",
            "2．手机为 11 位号码；办公电话可含区号，例如 0737-6206182。",
        ],
    )
    lists = Lists()
    sheet = data_sheet(
        book,
        lists,
        "分管负责人及联络人名单",
        "附件4 分管负责人及联络人名单",
        "单位名称：",
        CONTACT_COLUMNS,
        unit,
    )
    # the role's key in a hidden column after the table, for the importer
    sheet.column_dimensions[get_column_letter(len(CONTACT_COLUMNS) + 1)].hidden = True
    for key, label in contact_roles():
        sheet.append(
            [cell(sheet, label, _BOLD)] + [None] * (len(CONTACT_COLUMNS) - 1) + [cell(sheet, key)]
        )
    lists.write(book)
    return book


def build(kind: str, unit: str | None = None) -> Workbook:
    """The template ``kind`` (one of ``KINDS``), with ``unit`` in its 填表单位 row if given."""
    builders = {"entries": entries, "demands": demands, "contacts": contacts}
    if kind not in builders:
        raise ValueError(f"unknown template {kind!r}: one of {', '.join(KINDS)}")
    return builders[kind](unit)
