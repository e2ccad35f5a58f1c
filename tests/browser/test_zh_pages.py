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


@pytest.fixture
def catalog(make_unit, browser_user, entry_data):
    """A unit with an admin and an editor, the office with a reviewer, and two entries of the
    unit with a data resource: one approved, one returned."""
    import ckan.plugins.toolkit as tk
    from ckan.tests import factories

    from ckanext.yiyang import config

    admin, editor, reviewer = browser_user(), browser_user(), browser_user()
    unit = make_unit(
        title="市市场监督管理局",
        users=[
            {"name": admin["name"], "capacity": "admin"},
            {"name": editor["name"], "capacity": "editor"},
        ],
    )
    make_unit(
        name=config.office_org(),
        title="市电子政务办",
        unit_group="",
        unit_code="",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    sysadmin = factories.Sysadmin()
    entries = {}
    for key, title, step in (
        ("published", "企业登记信息", "approve"),
        ("returned", "个体户登记信息", "return"),
    ):
        entry = tk.get_action("package_create")(
            {"user": editor["name"]},
            entry_data(unit["id"], title=title, share_type="unconditional", share_condition=""),
        )
        tk.get_action("resource_create")(
            {"user": sysadmin["name"]},
            {
                "package_id": entry["id"],
                "name": "登记数据",
                "url": "http://example.org/d.csv",
                "format": "CSV",
            },
        )
        tk.get_action("yiyang_review_submit")({"user": editor["name"]}, {"id": entry["id"]})
        opinion = {"opinion": "请补充信息项"} if step == "return" else {}
        tk.get_action(f"yiyang_review_{step}")(
            {"user": reviewer["name"]}, {"id": entry["id"], **opinion}
        )
        entries[key] = tk.get_action("package_show")({"ignore_auth": True}, {"id": entry["id"]})
    return {"unit": unit, "admin": admin, "editor": editor, "reviewer": reviewer, **entries}


def text(page, selector: str = "body") -> str:
    return page.locator(selector).first.inner_text()


def test_an_entry_shows_no_stock_ckan(live_portal, page, screenshot, catalog):
    """Point 12: an entry's page has no 群组 tab, no licence, no share to X/Facebook and no
    CKAN footer links; its data resource's page no raw record."""
    entry = catalog["published"]
    page.goto(f"{live_portal}/dataset/{entry['name']}")
    body = text(page)
    for left in ("群组", "许可协议", "Open Database", "Facebook", "X\n", "CKAN API", "CKAN 协会"):
        assert left not in body, left
    assert (
        page.locator(
            "a[href*='ckan.org'], a[href*='opendefinition'], a[href*='twitter'], a[href*='facebook']"
        ).count()
        == 0
    )
    assert page.locator("footer a", has_text="关于平台").count() == 1
    screenshot("zh-entry-page")

    page.click("text=登记数据")
    page.wait_for_load_state()
    body = text(page)
    for left in ("Has views", "Package id", "Position", "State", "Id\t", "许可协议"):
        assert left not in body, left
    assert "数据更新时间" in body

    page.goto(f"{live_portal}/about")
    body = text(page, "[role=main]")
    assert "CKAN" not in body
    assert "市电子政务办审核" in body


@pytest.mark.page_errors_allowed(404)
def test_group_pages_and_error_headings(live_portal, page):
    """Point 12: CKAN's groups are off (404) and error pages have Chinese headings."""
    for path in ("/group/", "/group/new"):
        response = page.goto(live_portal + path)
        assert response.status == 404
        assert text(page, "#error-content h1") == "页面不存在"
    response = page.goto(live_portal + "/dataset/no-such-entry")
    assert response.status == 404
    assert "Not Found" not in text(page, "#error-content")


@pytest.mark.page_errors_allowed(403)
def test_forbidden_heading(live_portal, page):
    response = page.goto(live_portal + "/ckan-admin")
    assert response.status == 403
    assert text(page, "#error-content h1") == "您无权访问此页面"


def test_the_activity_stream_says_what_happened(live_portal, page, log_in, catalog):
    """Point 12: submissions, approvals and returns are named; the type filter is Chinese."""
    log_in(page, catalog["editor"]["name"])
    page.goto(f"{live_portal}/dataset/activity/{catalog['published']['name']}")
    stream = text(page, "ul.activity")
    assert "提交审核了信息资源" in stream
    assert "审核通过了信息资源" in stream
    options = page.locator("#activity_types_filter_select option").all_inner_texts()
    assert options, "no activity type filter"
    assert all(not any("a" <= c <= "z" for c in o.lower()) for o in options), options

    page.goto(f"{live_portal}/dataset/activity/{catalog['returned']['name']}")
    assert "退回了信息资源" in text(page, "ul.activity")


def test_the_markdown_help_is_chinese(live_portal, page, log_in, catalog):
    log_in(page, catalog["editor"]["name"])
    page.goto(live_portal + "/dataset/new")
    page.click("a[href='#markdown']")
    popover = page.locator(".popover")
    popover.wait_for()
    assert "粗体文字" in popover.inner_text()
    assert "Bold" not in popover.inner_text()


def test_registration_says_an_admin_adds_you(live_portal, page):
    """Point 12: the test portal lets people register (the portal's settings do not); the
    form promises no catalog rights."""
    page.goto(live_portal + "/user/register")
    body = text(page)
    assert "注册后即可登记信息资源" not in body
    assert "将您加入本单位" in body


def test_a_unit_admin_cannot_rename_the_unit(live_portal, page, log_in, screenshot, catalog):
    """Point 12: the unit's admin sees its name and codes, changes its description."""
    unit = catalog["unit"]
    log_in(page, catalog["admin"]["name"])
    page.goto(f"{live_portal}/organization/edit/{unit['name']}")
    assert page.locator("input#field-title, input#field-unit_code").count() == 0
    assert "市市场监督管理局" in text(page, ".yiyang-official-field")
    page.fill("#field-description", "负责全市市场监督管理工作。")
    screenshot("zh-unit-edit-admin")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "负责全市市场监督管理工作" in text(page)
    assert page.locator(".error-explanation, .alert-error").count() == 0


def test_english_pages_use_the_portal_words(live_portal, page):
    """Point 15: /en/ has the English title and says Resources and Units."""
    page.goto(live_portal + "/en/dataset/")
    header = text(page, "header")
    assert "Yiyang Government Information Resource Catalog" in header
    assert "益阳" not in header
    nav = page.locator(".masthead nav").first.inner_text()
    assert "Resources" in nav and "Units" in nav
    assert "Datasets" not in nav and "Organizations" not in nav
    assert "Yiyang Government Information Resource Catalog" in page.title()


@pytest.mark.parametrize("path", ["/", "/dataset/", "/organization/", "/about"])
def test_a_phone_does_not_scroll_sideways(live_portal, browser, path, catalog):
    """Point 15: at 390 px nothing is wider than the screen."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    for url in (path, f"/dataset/{catalog['published']['name']}"):
        phone.goto(live_portal + url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide"
    context.close()
