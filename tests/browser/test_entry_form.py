"""A unit's editor describes a resource in the web form, with two 信息项, and finds it by
searching a substring of one item's name."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_editor_fills_the_form_with_two_items(
    live_portal, page, screenshot, make_unit, log_in, browser_user, fill_entry_form
):
    editor = browser_user()
    unit = make_unit(title="市国土资源局", users=[{"name": editor["name"], "capacity": "editor"}])

    log_in(page, editor["name"])
    fill_entry_form(
        page,
        unit["id"],
        title="土地使用权登记信息",
        notes="全市国有建设用地使用权的登记簿。",
        tags="土地,不动产",
        format_class="database",
        share_method="platform_table",
    )
    rows = [
        ("宗地编号", "不动产单元的宗地代码", "string", "19"),
        ("土地面积", "宗地面积", "numeric", ""),
    ]
    for i, (name, description, data_type, length) in enumerate(rows):
        page.fill(f"#field-data_items-{i}-name", name)
        page.fill(f"#field-data_items-{i}-description", description)
        page.select_option(f"#field-data_items-{i}-data_type", data_type)
        if length:
            page.fill(f"#field-data_items-{i}-length", length)
    page.fill("#field-data_items-1-unit", "平方米")
    screenshot("entry-form")
    # The data itself (资源挂接) may come later: saving the form creates the entry at once.
    page.click("button[name=save]")
    page.wait_for_load_state()

    assert (
        page.locator("[role=main] .module-content h1").first.inner_text().strip()
        == "土地使用权登记信息"
    )
    items = page.locator("table.yiyang-items tbody tr")
    assert items.count() == 2
    assert "平方米" in items.nth(1).inner_text()
    screenshot("entry-page")

    page.goto(live_portal + "/dataset/?q=宗地")
    results = page.locator(".dataset-list .dataset-heading")
    assert results.count() == 1
    assert "土地使用权登记信息" in results.first.inner_text()
    screenshot("search-item-name")
