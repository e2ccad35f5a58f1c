"""The Excel export: the page's columns and order, Chinese headers, a totals row, the schedule,
and text that begins like a formula kept as text."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNTS = (
    "entries",
    "draft",
    "submitted",
    "returned",
    "published",
    "withdrawn",
    "changes_submitted",
    "review_overdue",
    "demands_pending",
    "demands_overdue",
    "demands_filed",
    "applications_pending",
    "applications_overdue",
    "applications_received",
    "applications_answered_on_time",
    "applications_answer_days",
    "grants_active",
    "grants_expiring",
    "data_reads",
    "objections_open",
    "objections_overdue",
    "objections_closed_on_time",
    "rating_average",
    "data_entries",
    "data_differs",
)


def _download(app, user, path="/progress/export.xlsx"):
    token = factories.APIToken(user=user["name"])["token"]
    response = app.get(path, headers={"Authorization": token})
    assert response.headers["Content-Type"].startswith(XLSX)
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".xlsx" in response.headers["Content-Disposition"]
    return response.data


def test_the_workbook_has_every_figure_in_the_pages_order(app, city, progress):
    data = _download(app, city["reviewer"], "/progress/export.xlsx?sort=entries&dir=desc")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["督促检查", "时间安排"]
    sheet = book["督促检查"]
    rows = list(sheet.iter_rows(values_only=True))
    header, *units, totals = rows
    assert header[:4] == ("序号", "单位类别", "单位", "登记总数")
    assert header[4:9] == ("草稿", "待审核", "退回修改", "已发布", "已撤销")
    assert header[-3:] == ("最近活动", "进度", "滞后原因")
    with app.flask_app.test_request_context():  # the action's texts in Chinese, as the page's
        expected = progress(city["reviewer"], sort="entries", dir="desc")
    assert len(units) == len(expected["results"]) == 4
    for line, row in zip(units, expected["results"], strict=True):
        assert line[0] == row["position"]
        assert line[1] == row["unit_group_title"]
        assert line[2] == row["title"]
        assert line[3 : 3 + len(COUNTS)] == tuple(row[key] for key in COUNTS)
        day = line[3 + len(COUNTS)]
        assert (day.date().isoformat() if day else None) == row["last_activity_date"]
        assert line[-2] == ("滞后" if row["behind"] else "按期")
        assert (line[-1] or "") == "\n".join(row["behind_reasons"])
    assert totals[2] == "合计（4 个单位）"
    assert totals[3 : 3 + len(COUNTS)] == tuple(expected["totals"][key] for key in COUNTS)
    assert totals[-2] == "滞后 4 个，按期 0 个"
    # overdue counts in red, as on the page
    police = 2 + [r["title"] for r in expected["results"]].index("市公安局")
    overdue_column = 4 + COUNTS.index("review_overdue")
    assert sheet.cell(row=police, column=overdue_column).font.color.rgb.endswith("C00000")

    schedule = list(book["时间安排"].iter_rows(values_only=True))
    assert schedule[0] == ("阶段", "截止日期", "要求")
    assert [row[1].date().isoformat() for row in schedule[1:7]] == [
        "2015-09-30",
        "2015-10-20",
        "2015-11-30",
        "2015-12-31",
        "2016-02-29",
        "2016-04-30",
    ]


def test_text_that_begins_like_a_formula_stays_text(app, people, make_unit):
    titles = ['=HYPERLINK("http://evil.test","点击")', "+86市测试局", "-市测试局", "@SUM(A1)"]
    for title in titles:
        make_unit(title=title)
    data = _download(app, people["reviewer"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    found = {}
    for row in sheet.iter_rows(min_row=2):
        if row[2].value in titles:
            found[row[2].value] = row[2].data_type
    assert found == dict.fromkeys(titles, "s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_english_headers_under_en(app, town):
    data = _download(app, town["reviewer"], "/en/progress/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Progress", "Timetable"]
    header = next(book["Progress"].iter_rows(values_only=True))
    assert header[:4] == ("No.", "Unit group", "Unit", "Entries registered")


def test_an_admin_exports_the_own_row(app, town):
    book = openpyxl.load_workbook(io.BytesIO(_download(app, town["admin"])))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:-1]] == ["市公安局"]
