"""Sorting (by the action and by the page's column headers, no script), the page's table,
chart and links, Chinese by default and English under /en."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories

from ckanext.yiyang.progress.logic.schema import SORT_KEYS

# The scenario is built once for the module (module_clean_db): the tests only read it.
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(name="city", scope="module")
def _city(module_city):
    return module_city


@pytest.fixture(name="town", scope="module")
def _town(module_city):
    return module_city


NOTICE_ORDER = ["市纪委", "市教育局", "市公安局", "市总工会"]


def _page(app, user, path):
    token = factories.APIToken(user=user["name"])["token"]
    return BeautifulSoup(app.get(path, headers={"Authorization": token}).body, "html.parser")


def _value(row, key):
    if key == "behind":
        return row["missed"]
    if key == "last_activity":
        return row["last_activity"] or ""
    return row[key]


def test_every_column_sorts_both_ways_ties_in_the_notices_order(city, progress):
    reviewer = city["reviewer"]
    base = progress(reviewer)["results"]
    assert [r["title"] for r in base] == NOTICE_ORDER
    for key in SORT_KEYS:
        if key in ("order", "title"):
            continue
        for direction in ("asc", "desc"):
            result = progress(reviewer, sort=key, dir=direction)
            assert (result["sort"], result["dir"]) == (key, direction)
            expected = sorted(base, key=lambda r: _value(r, key), reverse=direction == "desc")
            assert [r["title"] for r in result["results"]] == [r["title"] for r in expected], key
    # names in pinyin order: gōng'ān, jìwěi, jiàoyù, zǒnggōnghuì
    titles = [r["title"] for r in progress(reviewer, sort="title")["results"]]
    assert titles == ["市公安局", "市纪委", "市教育局", "市总工会"]
    assert [r["title"] for r in progress(reviewer, sort="order", dir="desc")["results"]] == list(
        reversed(NOTICE_ORDER)
    )
    by_entries = [r["title"] for r in progress(reviewer, sort="entries", dir="desc")["results"]]
    assert by_entries == ["市公安局", "市教育局", "市总工会", "市纪委"]


@pytest.mark.parametrize("data", [{"sort": "password"}, {"dir": "sideways"}])
def test_an_unknown_sort_is_refused(town, progress, data):
    with pytest.raises(tk.ValidationError):
        progress(town["reviewer"], **data)


def test_the_page_sorts_by_the_column_headers(app, city):
    page = _page(app, city["reviewer"], "/progress?sort=entries&dir=desc")
    assert [tr.th.a.get_text() for tr in page.select("tr[data-unit]")] == [
        "市公安局",
        "市教育局",
        "市总工会",
        "市纪委",
    ]
    sorted_header = page.select_one("th.yiyang-sorted")
    assert sorted_header["aria-sort"] == "descending"
    # clicking the sorted column again turns it; another column starts with the largest
    assert sorted_header.a["href"] == "/progress?sort=entries&dir=asc"
    links = [th.a["href"] for th in page.select("table.yiyang-progress thead th")]
    assert "/progress?sort=demands_overdue&dir=desc" in links
    assert "/progress?sort=title&dir=asc" in links
    # sorted by a column the table is flat: no group rows
    assert not page.select("tr.yiyang-progress-group")
    assert page.select_one("a.yiyang-progress-export")["href"] == (
        "/progress/export.xlsx?sort=entries&dir=desc"
    )


def test_the_page_groups_the_units_as_the_notice_by_default(app, city):
    page = _page(app, city["reviewer"], "/progress")
    groups = [tr.th.contents[0].strip() for tr in page.select("tr.yiyang-progress-group")]
    assert groups == ["市委工作部门及有关单位", "市政府工作部门及有关单位", "群团组织"]


def test_a_bad_sort_on_the_page_is_a_bad_request(app, town):
    token = factories.APIToken(user=town["reviewer"]["name"])["token"]
    app.get("/progress?sort=nonsense", headers={"Authorization": token}, status=400)


def test_the_table_its_links_and_the_red_overdue_counts(app, city):
    page = _page(app, city["reviewer"], "/progress")
    assert page.select_one("h1.page-heading").get_text(strip=True) == "督促检查"
    police = page.select_one(f'tr[data-unit="{city["police"]["name"]}"]')
    assert police.th.a["href"] == f"/organization/{city['police']['name']}"
    cells = {td["data-key"]: td for td in police.select("td[data-key]")}
    assert cells["entries"].get_text(strip=True) == "10"
    assert cells["returned"].a["href"] == (
        f"/review?status=returned&unit={city['police']['name']}"
    )
    for key, value in (
        ("review_overdue", "2"),
        ("demands_overdue", "2"),
        ("applications_overdue", "1"),
    ):
        assert cells[key].get_text(strip=True) == value
        assert "yiyang-overdue-count" in cells[key]["class"]
        assert "text-danger" in cells[key]["class"]
    assert "yiyang-overdue-count" not in cells["demands_pending"]["class"]
    totals = page.select_one("tr.yiyang-progress-totals")
    assert totals.th.get_text(strip=True) == "合计（4 个单位）"
    assert {td["data-key"]: td.get_text(strip=True) for td in totals.select("td[data-key]")}[
        "entries"
    ] == "13"
    unrouted = page.select_one(".yiyang-progress-unrouted").get_text(" ", strip=True)
    assert "1" in unrouted


def test_the_summary_chart_is_inline_svg_with_the_citys_figures(app, city):
    page = _page(app, city["reviewer"], "/progress")
    assert not page.select("script[src*='chart']")
    states_chart, schedule_chart = page.select("figure.yiyang-progress-chart svg")
    city_bar = states_chart.select("g.yiyang-chart-bar")[-1]
    assert {r["data-key"]: int(r["data-value"]) for r in city_bar.select("rect")} == {
        "draft": 3,
        "submitted": 4,
        "returned": 1,
        "published": 4,
        "withdrawn": 1,
    }
    city_units = schedule_chart.select("g.yiyang-chart-bar")[-1]
    assert {r["data-key"]: int(r["data-value"]) for r in city_units.select("rect")} == {
        "units_behind": 4
    }
    widths = [float(r["width"]) for r in city_bar.select("rect")]
    assert widths[0] / widths[2] == pytest.approx(3)  # drafts three times the returned


def test_english_under_en(app, city):
    page = _page(app, city["reviewer"], "/en/progress")
    assert page.select_one("h1.page-heading").get_text(strip=True) == "Progress"
    headers = [
        th.get_text(" ", strip=True) for th in page.select("table.yiyang-progress thead th")
    ]
    assert "Entries registered" in headers and "Overdue in review" in headers
    assert "Returned" in headers
    police = page.select_one(f'tr[data-unit="{city["police"]["name"]}"]')
    assert "Behind schedule" in police.get_text()
    assert "Catalog sorted out (due 2015-12-31): 2 entries still drafts; 1 entry returned" in (
        police.get_text()
    )
    assert "Every phase of the schedule has passed" in page.get_text()
    assert "市政府工作部门及有关单位" not in page.get_text()  # the groups' English titles


def test_the_page_shows_every_unit_page_by_page_and_the_export_all(app, city, monkeypatch):
    """``PAGE`` units a page with the pager, which keeps the sort; the export holds every
    unit, whatever the page shows (the API's default page is 500 rows: at 4,995 units the
    page and the export showed the first 500 only)."""
    import io

    import openpyxl

    from ckanext.yiyang.progress import views

    monkeypatch.setattr(views, "PAGE", 3)
    shown = []
    for number in (1, 2):
        page = _page(app, city["reviewer"], f"/progress?sort=entries&dir=desc&page={number}")
        shown.append([tr.th.a.get_text() for tr in page.select("tr[data-unit]")])
        if number == 1:
            pager = [a["href"] for a in page.select(".pagination a")]
            assert any("page=2" in h and "sort=entries" in h and "dir=desc" in h for h in pager)
    assert shown == [["市公安局", "市教育局", "市总工会"], ["市纪委"]]
    token = factories.APIToken(user=city["reviewer"]["name"])["token"]
    data = app.get("/progress/export.xlsx", headers={"Authorization": token}).data
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["督促检查"].iter_rows(values_only=True))
    _header, *units, _totals = rows
    assert sorted(str(row[2]) for row in units) == sorted(NOTICE_ORDER)


def test_one_call_may_ask_for_every_unit_of_a_province(town, progress):
    """The export asks the action for every unit at once (each call builds every unit's
    figures): up to ``MOST_UNITS`` rows a call (a larger limit is lowered to it, as every
    list's)."""
    from ckanext.yiyang.logic.schema import validate
    from ckanext.yiyang.progress.logic.schema import MOST_UNITS, progress_list

    assert MOST_UNITS >= 5000  # the 4,995 units of the bulk-loaded site
    assert len(progress(town["reviewer"], limit=MOST_UNITS)["results"]) == 4
    assert validate({"limit": MOST_UNITS + 1}, progress_list(), {})["limit"] == MOST_UNITS
