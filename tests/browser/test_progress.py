"""The progress view (督促检查) in a browser: a reviewer finds it in the navigation, sorts the
table by clicking a column header (no script), and downloads the Excel workbook."""

from __future__ import annotations

import openpyxl
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_the_office_supervises_the_units(
    live_portal, page, make_unit, entry_factory, log_in, browser_user, screenshot
):
    reviewer = browser_user()
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    busy = make_unit(title="市公安局", unit_group="02", unit_code="006")
    make_unit(title="市纪委", unit_group="01", unit_code="001")
    entry_factory(busy["id"], title="人口信息", published=True)
    entry_factory(busy["id"], title="车辆信息")

    log_in(page, reviewer["name"])
    page.click("nav >> text=督促检查")
    page.wait_for_load_state()
    assert page.locator("h1.page-heading").inner_text() == "督促检查"
    rows = page.locator("tr[data-unit] th a")
    assert rows.all_inner_texts() == ["市纪委", "市公安局"]  # the notice's order
    assert page.locator("figure.yiyang-progress-chart svg").count() == 2
    screenshot("progress")

    page.click("table.yiyang-progress thead >> text=登记总数")
    page.wait_for_load_state()
    assert "sort=entries&dir=desc" in page.url
    assert rows.all_inner_texts() == ["市公安局", "市纪委"]
    assert page.locator("tr[data-unit] td[data-key=entries]").all_inner_texts() == ["2", "0"]

    with page.expect_download() as download:
        page.click("a.yiyang-progress-export")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as stream:
        book = openpyxl.load_workbook(stream)
    assert [row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        "市公安局",
        "市纪委",
        "合计（2 个单位）",
    ]
