"""The Chinese pages as clerks use them (issue 12, points 1, 12 and 15): CKAN's JavaScript runs,
no stock CKAN leftovers, a phone's width, the English pages in the portal's words. Every page is
watched by the browser guard (tests/browser/conftest.py): a console error or a failed request
fails the test."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ITEMS = [
    ("统一社会信用代码", "string"),
    ("企业名称", "string"),
    ("注册资本", "numeric"),
    ("成立日期", "datetime"),
]


def fill_item(page, index: int, name: str, data_type: str) -> None:
    page.fill(f"#field-data_items-{index}-name", name)
    page.select_option(f"#field-data_items-{index}-data_type", data_type)
    if data_type == "string":
        page.fill(f"#field-data_items-{index}-length", "50")


def item_names(page) -> list[str]:
    rows = page.locator("table.yiyang-items tbody tr")
    return [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]


def test_the_chinese_entry_form_runs_its_javascript(
    live_portal, page, screenshot, make_unit, log_in, browser_user, fill_entry_form
):
    """Point 1: on the Chinese form 新增 adds 信息项 rows and 移除 removes one; the keyword
    widget is CKAN's; a later edit adds a row and keeps the others; the footer's language
    selector switches to English."""
    editor = browser_user()
    unit = make_unit(
        title="市市场监督管理局", users=[{"name": editor["name"], "capacity": "editor"}]
    )
    log_in(page, editor["name"])
    fill_entry_form(
        page,
        unit["id"],
        title="市场主体登记信息",
        notes="全市市场主体的登记信息。",
        tags="企业,登记",
        format_class="database",
        share_method="platform_table",
    )
    assert page.locator("html").get_attribute("lang") == "zh-Hans-CN"
    # CKAN's modules started: the keyword field is a select2 widget
    page.wait_for_selector(
        "#field-tag_string.select2-hidden-accessible", state="attached", timeout=10_000
    )

    add = page.locator("a[name=repeating-add]")
    assert add.inner_text().strip() == "新增"
    fill_item(page, 0, *ITEMS[0])
    fill_item(page, 1, "临时字段", "string")
    for index in (2, 3):
        add.click()
        page.wait_for_selector(f"#field-data_items-{index}-name")
        fill_item(page, index, *ITEMS[index - 1])
    group = page.locator(".scheming-subfield-group[data-group-index='1']")
    remove = group.locator("a[name=repeating-remove]")
    assert remove.inner_text().strip() == "移除"
    remove.click()
    page.wait_for_selector("#field-data_items-1-name", state="detached")
    screenshot("zh-entry-form-items")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert item_names(page) == [ITEMS[0][0], ITEMS[1][0], ITEMS[2][0]]

    # a reviewer asks for one more item: the edit form adds it and keeps the others
    page.goto(page.url.replace("/dataset/", "/dataset/edit/"))
    page.wait_for_selector(
        "#field-tag_string.select2-hidden-accessible", state="attached", timeout=10_000
    )
    page.locator("a[name=repeating-add]").click()
    page.wait_for_selector("#field-data_items-3-name")
    fill_item(page, 3, *ITEMS[3])
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert item_names(page) == [name for name, _type in ITEMS]

    # the footer's language selector switches the page to English
    with page.expect_navigation():
        page.select_option("#field-lang-select", label="English")
    assert "/en/" in page.url
    assert page.locator("html").get_attribute("lang") == "en"
