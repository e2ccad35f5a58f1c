"""The Excel templates of the notice's annexes (附件2, 附件3, 附件4)."""

from __future__ import annotations

import openpyxl
import pytest
from ckan.cli.cli import ckan
from openpyxl.utils import get_column_letter, range_boundaries

from ckanext.yiyang.catalog import schema
from ckanext.yiyang.survey import layout, workbooks

pytestmark = pytest.mark.usefixtures("with_plugins")


def _cell(columns: list[layout.Column], key: str, row: int = 10) -> str:
    """The cell of the column ``key`` in ``row`` (columns are found by key, not by letter)."""
    return f"{get_column_letter([c.key for c in columns].index(key) + 1)}{row}"


def _written(cli, tmp_path, kind: str) -> openpyxl.Workbook:
    path = tmp_path / f"{kind}.xlsx"
    result = cli.invoke(ckan, ["yiyang", "template", kind, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(path)


def _dropdown_values(book: openpyxl.Workbook, sheet_name: str, cell: str) -> list[str]:
    """The values the drop-down of ``cell`` offers, read from the workbook itself."""
    sheet = book[sheet_name]
    for validation in sheet.data_validations.dataValidation:
        if cell in validation.sqref:
            target, area = validation.formula1.lstrip("=").split("!")
            lists = book[target.strip("'")]
            min_col, min_row, _max_col, max_row = range_boundaries(area.replace("$", ""))
            return [lists.cell(r, min_col).value for r in range(min_row, max_row + 1)]
    raise AssertionError(f"no drop-down on {sheet_name}!{cell}")


def _check_sheet(book, name, columns):
    sheet = book[name]
    keys = [sheet.cell(workbooks.KEY_ROW, i).value for i in range(1, len(columns) + 1)]
    assert keys == [c.key for c in columns]
    assert sheet.row_dimensions[workbooks.KEY_ROW].hidden
    labels = [sheet.cell(workbooks.LABEL_ROW, i).value for i in range(1, len(columns) + 1)]
    assert labels == [c.label + ("＊" if c.required else "") for c in columns]
    for index, column in enumerate(columns, start=1):
        if column.choices:
            cell = f"{get_column_letter(index)}{workbooks.FIRST_DATA_ROW + 10}"
            assert _dropdown_values(book, name, cell) == column.choices(), column.key
    assert _dropdown_values(book, name, "B2") == workbooks.unit_titles()


def test_entries_template(cli, tmp_path):
    book = _written(cli, tmp_path, "entries")
    assert book.sheetnames == ["填表说明", "信息资源", "信息项", "代码表"]
    assert book["代码表"].sheet_state == "hidden"
    _check_sheet(book, "信息资源", layout.ENTRY_COLUMNS)
    _check_sheet(book, "信息项", layout.ITEM_COLUMNS)
    entries = book["信息资源"]
    assert entries["A1"].value == "附件3 数据提供调查表（信息资源）"
    assert entries.cell(workbooks.EXAMPLE_ROW, 1).value == workbooks.EXAMPLE_KEY
    assert entries.cell(workbooks.EXAMPLE_ROW, 2).value == "企业注册登记信息"
    # the drop-downs hold the Chinese labels of catalog-model §1
    share = _dropdown_values(book, "信息资源", _cell(layout.ENTRY_COLUMNS, "share_type"))
    assert share == ["无条件共享", "有条件共享", "不予共享"]
    types = _dropdown_values(book, "信息项", _cell(layout.ITEM_COLUMNS, "data_type"))
    assert types == ["整数型", "数值型", "日期时间型", "字符型", "二进制数据型"]
    assert types == [c["label"]["zh_Hans_CN"] for c in schema.DATA_TYPES]
    categories = _dropdown_values(
        book, "信息资源", _cell(layout.ENTRY_COLUMNS, "catalog_category")
    )
    assert "101 人口" in categories and "302011 市国土资源局" in categories
    assert "1 基础信息资源" not in categories  # a class itself is not a category to choose
    assert (
        len(_dropdown_values(book, "信息资源", _cell(layout.ENTRY_COLUMNS, "subject_category")))
        == 20
    )
    assert len(workbooks.unit_titles()) == 88
    owners = _dropdown_values(book, "信息资源", _cell(layout.ENTRY_COLUMNS, "owner_org"))
    assert owners == workbooks.unit_titles()
    instructions = " ".join(str(c.value) for c in book["填表说明"]["A"] if c.value)
    assert "公开范围分为对外公开、部分公开、对内公开、不公开" in instructions


def test_demands_template(cli, tmp_path):
    book = _written(cli, tmp_path, "demands")
    assert book.sheetnames == ["填表说明", "数据需求调研表", "代码表"]
    _check_sheet(book, "数据需求调研表", layout.DEMAND_COLUMNS)
    sheet = book["数据需求调研表"]
    assert [sheet.cell(workbooks.LABEL_ROW, i).value for i in range(1, 7)] == [
        "序号＊",
        "需求数据名称＊",
        "数据提供单位",
        "数据需求内容＊",
        "用途＊",
        "数据更新频率要求＊",
    ]
    assert (
        _dropdown_values(book, "数据需求调研表", _cell(layout.DEMAND_COLUMNS, "provider_org"))
        == workbooks.unit_titles()
    )
    assert sheet.cell(workbooks.EXAMPLE_ROW, 2).value == "不动产登记信息"


def test_contacts_template(cli, tmp_path):
    book = _written(cli, tmp_path, "contacts")
    assert book.sheetnames == ["填表说明", "分管负责人及联络人名单", "代码表"]
    sheet = book["分管负责人及联络人名单"]
    assert [sheet.cell(workbooks.LABEL_ROW, i).value for i in range(2, 7)] == [
        "姓名",
        "职务",
        "办公电话",
        "手机",
        "电子邮箱",
    ]
    roles = [
        sheet.cell(r, 1).value for r in range(workbooks.EXAMPLE_ROW, workbooks.EXAMPLE_ROW + 3)
    ]
    assert roles == ["分管负责人", "部门业务联络人", "信息技术联络人"]
    assert _dropdown_values(book, "分管负责人及联络人名单", "B2") == workbooks.unit_titles()


def test_unknown_template(cli, tmp_path):
    result = cli.invoke(ckan, ["yiyang", "template", "books", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code != 0
    assert "entries" in result.output
