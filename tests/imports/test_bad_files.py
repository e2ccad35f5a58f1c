"""Bad files get a clear error and change nothing: wrong format, renamed or missing sheets,
merged cells, formulas, huge cells, too many rows; dates as found in real catalogs."""

from __future__ import annotations

import datetime
import re
import shutil
import zipfile

import openpyxl
import pytest

from ckanext.yiyang.imports import run_import
from ckanext.yiyang.imports.reader import date_text, text_of

from .conftest import counts, entry_row, fill, item_row, solr_count

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def editor_and_unit(unit_with_editor):
    return unit_with_editor["editor"]["name"], unit_with_editor["unit"]


def _refused(path, user, *expected: str):
    before = counts()
    report = run_import(str(path), user=user)
    assert not report.ok and not report.written and report.created == []
    text = " ".join(p.message for p in report.problems)
    for fragment in expected:
        assert fragment in text, text
    assert counts() == before and solr_count() == 0
    return report


def _good(tmp_path, unit, name="good.xlsx"):
    return fill(
        "entries", tmp_path / name, unit=unit["title"], rows=[entry_row(1)], items=[item_row(1)]
    )


def test_wrong_formats(tmp_path, editor_and_unit):
    user, _unit = editor_and_unit
    csv = tmp_path / "renamed.xlsx"
    csv.write_text("信息资源名称,摘要\n人口,全市人口\n", encoding="utf-8")
    assert _refused(csv, user, "不是 Excel 工作簿").fatal
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _refused(xls, user, ".xls")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    _refused(empty, user, "文件是空的")
    good = _good(tmp_path, _unit)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:2000])
    _refused(broken, user, "文件已损坏")
    # a zip that is no workbook
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "hi")
    _refused(other, user, "无法读取")


def test_renamed_or_missing_sheets(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    book = openpyxl.load_workbook(_good(tmp_path, unit))
    book["信息资源"].title = "Sheet1"
    book.save(tmp_path / "renamed.xlsx")
    report = _refused(tmp_path / "renamed.xlsx", user, "找不到模板的工作表", "Sheet1")
    assert report.fatal
    book = openpyxl.load_workbook(_good(tmp_path, unit))
    del book["信息项"]
    book.save(tmp_path / "no-items.xlsx")
    report = _refused(tmp_path / "no-items.xlsx", user, "找不到工作表“信息项”")
    assert report.problems[0].sheet == "信息项"


def test_missing_key_row(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    book = openpyxl.load_workbook(_good(tmp_path, unit))
    book["信息资源"].delete_rows(4)
    book.save(tmp_path / "nokeys.xlsx")
    report = _refused(tmp_path / "nokeys.xlsx", user, "隐藏行")
    assert report.problems[0].sheet == "信息资源" and report.problems[0].row == 4


def test_merged_cells(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    path = fill(
        "entries",
        tmp_path / "m.xlsx",
        unit=unit["title"],
        rows=[entry_row(1), entry_row(2, title="第二条")],
        items=[item_row(1), item_row(2)],
    )
    book = openpyxl.load_workbook(path)
    book["信息资源"].merge_cells("M6:M7")  # the same 共享方式 for two rows
    book.save(path)
    report = _refused(path, user, "合并单元格 M6:M7")
    assert (report.problems[0].row, report.problems[0].column) == (6, "共享方式")
    # the template's own merged title row is fine
    assert run_import(str(_good(tmp_path, unit)), user=user, dry_run=True).ok


def _with_cached_value(path, formula: str, cached: str | None):
    """openpyxl writes formulas without a stored result; put one in as Excel would."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and formula.encode() in data:
                text = data.decode()
                replacement = (
                    f"<f>{formula}</f><v>{cached}</v>"
                    if cached is not None
                    else f"<f>{formula}</f>"
                )
                text = re.sub(rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?", replacement, text)
                cell = re.search(rf'<c r="[A-Z]+\d+"[^>]*>{re.escape(replacement)}', text)
                assert cell is not None
                if cached is not None:
                    text = text.replace(cell.group(0), cell.group(0).replace(' t="n"', ""))
                data = text.encode()
            dst.writestr(item, data)
    shutil.move(tmp, path)


def test_formulas_give_their_stored_value_never_evaluated(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    path = fill(
        "entries",
        tmp_path / "f.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, format_class="电子文件", title='=CONCATENATE("a","b")')],
    )
    _with_cached_value(path, 'CONCATENATE("a","b")', None)
    report = _refused(path, user, "是公式", "B6")
    assert report.problems[0].column == "信息资源名称"

    path = fill(
        "entries",
        tmp_path / "g.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(1, format_class="电子文件"),
        ],
        items=[item_row(1, length="=100+100")],
    )
    _with_cached_value(path, "100+100", "200")
    report = run_import(str(path), user=user)
    assert report.ok, report.problems
    from ckan.plugins import toolkit as tk

    entry = tk.get_action("package_show")({"ignore_auth": True}, {"id": report.created[0]})
    assert str(entry["data_items"][0]["length"]) == "200"


def test_text_that_looks_like_a_formula_is_data(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    path = fill(
        "entries",
        tmp_path / "s.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, format_class="电子文件")],
    )
    book = openpyxl.load_workbook(path)
    cell = book["信息资源"]["C6"]
    cell.value, cell.data_type = "=SUM(A1:A3) 是摘要", "s"
    book.save(path)
    report = run_import(str(path), user=user)
    assert report.ok
    from ckan.plugins import toolkit as tk

    assert (
        tk.get_action("package_show")({"ignore_auth": True}, {"id": report.created[0]})["notes"]
        == "=SUM(A1:A3) 是摘要"
    )


def test_huge_cells(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    path = fill(
        "entries",
        tmp_path / "h.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, notes="长" * 32767, title="名" * 600, format_class="电子文件")],
    )
    report = _refused(path, user, "内容过长（32767 个字符）", "最多 500 个字符")
    assert {(p.row, p.column) for p in report.problems} == {
        (6, "信息资源摘要"),
        (6, "信息资源名称"),
    }


def test_too_many_rows_are_refused_without_reading_them_all(
    tmp_path, editor_and_unit, ckan_config
):
    from openpyxl import Workbook

    from ckanext.yiyang.survey import layout

    user, unit = editor_and_unit
    path = tmp_path / "big.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("信息资源")
    sheet.append(["附件3 数据提供调查表（信息资源）"])
    sheet.append(["填表单位：", unit["title"]])
    sheet.append([c.label for c in layout.ENTRY_COLUMNS])
    sheet.append([c.key for c in layout.ENTRY_COLUMNS])
    sheet.append(["示例"])
    for number in range(1, 100_001):
        sheet.append([number, f"信息资源{number}", "摘要"])
    items = book.create_sheet("信息项")
    for row in (
        [""],
        [""],
        [c.label for c in layout.ITEM_COLUMNS],
        [c.key for c in layout.ITEM_COLUMNS],
    ):
        items.append(row)
    book.save(path)
    started = datetime.datetime.now()
    report = _refused(path, user, "超过 60000 行", "ckanext.yiyang.import.max_rows")
    assert report.fatal and report.problems[0].sheet == "信息资源"
    assert (datetime.datetime.now() - started).total_seconds() < 60


@pytest.mark.ckan_config("ckanext.yiyang.import.max_rows", "3")
def test_row_limit_is_configurable(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    rows = [entry_row(i, title=f"第{i}条", format_class="电子文件") for i in range(1, 5)]
    path = fill("entries", tmp_path / "4.xlsx", unit=unit["title"], rows=rows)
    _refused(path, user, "超过 3 行")
    path = fill("entries", tmp_path / "3.xlsx", unit=unit["title"], rows=rows[:3])
    assert run_import(str(path), user=user).ok


def test_dates_and_numbers_are_read_as_text():
    assert text_of(datetime.datetime(2023, 6, 12, 17, 33, 10)) == "2023-06-12 17:33:10"
    assert text_of(datetime.datetime(2020, 7, 20)) == "2020-07-20"
    assert text_of(12.0) == "12" and text_of(12.5) == "12.5" and text_of(True) == "是"
    assert date_text("2023/06/12 17:33:10") == "2023-06-12 17:33:10"
    assert date_text("2020年12月30日") == "2020-12-30"
    assert date_text("2020-07-20\n") == "2020-07-20"
    assert date_text("\n2020-07-20 \n") == "2020-07-20"
    assert date_text("20200720") == "2020-07-20"
    assert date_text("2020.7.2") == "2020-07-02"
    assert date_text("20201340") is None and date_text("人口信息") is None
    assert date_text("2020年02月30日") is None  # no such day: stays as written


def test_dates_in_cells_land_as_iso_text(tmp_path, editor_and_unit):
    user, unit = editor_and_unit
    path = fill(
        "entries",
        tmp_path / "d.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(
                1,
                format_class="电子文件",
                notes=datetime.datetime(2023, 6, 12, 17, 33, 10),
                service_type="2020年12月30日",
            ),
            entry_row(
                2,
                title="第二",
                format_class="电子文件",
                notes="2023/06/12 17:33:10",
                service_type="20200720\n",
            ),
            entry_row(
                3,
                title="第三",
                format_class="电子文件",
                notes=45123,
                service_type=datetime.date(2020, 7, 20),
            ),
        ],
    )
    book = openpyxl.load_workbook(path)
    book["信息资源"]["C8"].number_format = "yyyy-mm-dd"  # an Excel serial in a date cell
    book.save(path)
    report = run_import(str(path), user=user)
    assert report.ok, report.problems
    from ckan.plugins import toolkit as tk

    got = [
        (e["notes"], e["service_type"])
        for e in (
            tk.get_action("package_show")({"ignore_auth": True}, {"id": n}) for n in report.created
        )
    ]
    assert got == [
        ("2023-06-12 17:33:10", "2020-12-30"),
        ("2023-06-12 17:33:10", "2020-07-20"),
        ("2023-07-16", "2020-07-20"),
    ]
