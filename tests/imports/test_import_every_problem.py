"""Imports report every problem of a row, not only the first (issue 12.14), and read values in
Chinese words, not the API's codes (no "(datetime)" in a report)."""

from __future__ import annotations

import pytest

from ckanext.yiyang.imports import run_import

from .conftest import counts, entry_row, fill, item_row

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_a_row_with_a_bad_choice_also_reports_its_missing_values(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "m.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, share_type="看情况", notes=None, update_cycle=None)],
        items=[item_row(1, data_type="逻辑型", name=None)],
    )
    report = run_import(str(path), user=editor["name"])
    where = {(p.sheet, p.row, p.column) for p in report.problems}
    assert ("信息资源", 6, "共享类型") in where  # the unknown choice
    assert ("信息资源", 6, "信息资源摘要") in where  # and the missing abstract
    assert ("信息资源", 6, "更新周期") in where  # and the missing cycle
    assert ("信息项", 7, "数据类型") in where
    assert ("信息项", 7, "字段名称") in where
    assert counts()["packages"] == 0


def test_report_names_choices_in_chinese(app, tmp_path, unit_with_editor):
    import ckan.plugins.toolkit as tk

    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "c.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, update_cycle="季度")],
        items=[item_row(1, data_type="D")],
    )
    report = run_import(str(path), user=editor["name"], dry_run=True)
    with app.flask_app.test_request_context("/"):
        body = tk.render_snippet("yiyang/imports/report.html", {"report": report.as_dict()})
    assert "每季度" in body and "日期时间型" in body, body
    assert "(quarterly)" not in body and "(datetime)" not in body
