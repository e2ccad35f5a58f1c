"""Sharing in a browser, as two units' staff would do it: unit A applies for a conditional entry
of unit B and sees its data once B approves; unit A files a demand to unit B, B fulfils it
with an entry and A finds the notice in its inbox."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DATA_FILE = "城乡低保对象明细（2026年10月）"


def _two_sides(browser):
    return [
        browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        for _ in range(2)
    ]


def test_apply_approve_and_see_the_data(
    live_portal, browser, make_unit, entry_factory, log_in, browser_user, screenshot_dir
):
    applicant, provider = browser_user(), browser_user()
    make_unit(title="市财政局", users=[{"name": applicant["name"], "capacity": "editor"}])
    unit_b = make_unit(title="市民政局", users=[{"name": provider["name"], "capacity": "admin"}])
    entry = entry_factory(
        owner_org=unit_b["id"],
        published=True,
        title="城乡最低生活保障对象信息",
        share_type="conditional",
        share_condition="仅用于财政资金核查，不得向第三方提供",
        disclosure_scope="internal",
    )
    sysadmin = factories.Sysadmin()
    tk.get_action("resource_create")(
        {"user": sysadmin["name"]},
        {
            "package_id": entry["id"],
            "name": DATA_FILE,
            "url": "https://data.yiyang.example/dibao/2026-10.csv",
            "format": "CSV",
        },
    )
    entry_url = f"{live_portal}/dataset/{entry['name']}"
    side_a, side_b = _two_sides(browser)
    a, b = side_a.new_page(), side_b.new_page()
    log_in(a, applicant["name"])
    log_in(b, provider["name"])

    a.goto(entry_url)
    assert DATA_FILE not in a.content(), "a conditional entry's data before approval"
    assert "申请使用" in a.locator(".yiyang-subscription-panel").inner_text()
    a.click(".yiyang-subscription-panel a.btn-primary")
    a.wait_for_load_state()
    a.select_option("#field-purpose", index=1)
    a.fill("#field-purpose-detail", "核对低保资金发放对象，防止重复领取。")
    a.click("form button[type=submit].btn-primary")
    a.wait_for_load_state()
    assert "城乡最低生活保障对象信息" in a.locator("table.yiyang-subscriptions").inner_text()
    assert "待审批" in a.locator("table.yiyang-subscriptions").inner_text()
    a.goto(entry_url)
    assert DATA_FILE not in a.content(), "still pending"
    assert a.locator(".yiyang-subscription-panel a.btn-primary").count() == 0, "applied once"

    b.goto(f"{live_portal}/subscriptions?scope=received")
    queue = b.locator("table.yiyang-subscriptions").inner_text()
    assert "城乡最低生活保障对象信息" in queue and "市财政局" in queue
    b.click("table.yiyang-subscriptions button.btn-primary")  # 批准
    b.wait_for_load_state()
    assert "已批准" in b.locator("table.yiyang-subscriptions").inner_text()

    a.goto(entry_url)
    assert DATA_FILE in a.locator("#dataset-resources").inner_text()
    a.click(f"#dataset-resources a:has-text('{DATA_FILE}')")
    a.wait_for_load_state()
    assert "data.yiyang.example/dibao/2026-10.csv" in a.content()
    a.goto(entry_url)
    a.screenshot(path=str(screenshot_dir / "subscription-approved.png"), full_page=True)

    # a third unit's user still sees the entry without its data
    outsider = browser_user()
    make_unit(title="市教育局", users=[{"name": outsider["name"], "capacity": "editor"}])
    side_c = browser.new_context(locale="zh-CN")
    c = side_c.new_page()
    log_in(c, outsider["name"])
    c.goto(entry_url)
    assert "城乡最低生活保障对象信息" in c.content()
    assert DATA_FILE not in c.content()
    for side in (side_a, side_b, side_c):
        side.close()


def test_demand_fulfilled_with_an_entry(
    live_portal, browser, make_unit, entry_factory, log_in, browser_user, screenshot_dir
):
    requester, provider = browser_user(), browser_user()
    unit_a = make_unit(
        title="市住房城乡建设局", users=[{"name": requester["name"], "capacity": "editor"}]
    )
    unit_b = make_unit(
        title="市不动产登记中心", users=[{"name": provider["name"], "capacity": "admin"}]
    )
    assert unit_a["id"] != unit_b["id"]
    entry = entry_factory(
        owner_org=unit_b["id"],
        published=True,
        title="商品房预售合同备案信息",
        disclosure_scope="internal",
    )
    side_a, side_b = _two_sides(browser)
    a, b = side_a.new_page(), side_b.new_page()
    log_in(a, requester["name"])
    log_in(b, provider["name"])

    a.goto(f"{live_portal}/demand/new")
    a.fill("#field-title", "商品房预售备案数据")
    a.select_option("#field-provider_org", unit_b["name"])
    a.fill("#field-content", "按月提供全市商品房预售合同备案的项目、套数、面积和金额。")
    a.fill("#field-purpose", "房地产市场监测与预售资金监管。")
    a.select_option("#field-update_frequency", "monthly")
    a.click("button[name=save]")
    a.wait_for_load_state()
    demand_url = a.url
    assert "/demand/" in demand_url and "待受理" in a.content()

    b.goto(f"{live_portal}/demand?role=provided")
    assert "商品房预售备案数据" in b.content()
    b.goto(demand_url)
    b.click("form[action$='/accept'] button")
    b.wait_for_load_state()
    assert "已受理" in b.content()
    b.select_option("#fulfil-dataset", entry["name"])
    b.click("form[action$='/fulfil'] button")
    b.wait_for_load_state()
    assert "已满足" in b.content()

    a.goto(f"{live_portal}/dashboard/notifications")
    inbox = a.locator("main, #content, body").first.inner_text()
    assert "商品房预售备案数据" in inbox, inbox[:2000]
    a.goto(demand_url)
    assert "商品房预售合同备案信息" in a.content(), "the demand links the entry that meets it"
    a.click("a:has-text('商品房预售合同备案信息')")
    a.wait_for_load_state()
    assert a.url.rstrip("/").endswith(entry["name"])
    a.goto(f"{live_portal}/dashboard/notifications")
    a.screenshot(path=str(screenshot_dir / "demand-fulfilled.png"), full_page=True)
    side_a.close()
    side_b.close()


def test_navigation_and_dates_in_chinese(
    live_portal, browser, make_unit, log_in, browser_user, page
):
    user = browser_user()
    make_unit(title="市统计局", users=[{"name": user["name"], "capacity": "editor"}])
    log_in(page, user["name"])
    page.goto(live_portal + "/dashboard/notifications")
    nav = page.locator("header nav, .masthead nav").first.inner_text()
    assert "资源订阅" in nav and "资源需求" in nav
