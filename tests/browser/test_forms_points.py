"""Issue 12 points 2, 3, 4, 8, 9, 10 and 11 on the Chinese pages, in Chromium: a refused
first save writes nothing, unit pickers list every unit and filter, a working copy is reviewed
value by value, the bulk page submits for review, the entry form offers what the review state
allows, and a demand is fulfilled from a list. Every page is watched by the shared browser guard
(tests/browser/conftest.py): a console error or a failed request fails the test."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _sequence(category: str) -> int:
    value = model.Session.execute(
        sa.text("SELECT last_value FROM yiyang_code_sequence WHERE category = :c"),
        {"c": category},
    ).scalar()
    return int(value or 0)


def test_refused_first_save_writes_nothing(
    live_portal, page, make_unit, log_in, browser_user, fill_entry_form
):
    editor = browser_user()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    log_in(page, editor["name"])
    fill_entry_form(page, unit["id"], title="人口基本信息", notes="", tags="人口")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "信息资源摘要" in page.locator(".error-explanation, .alert-error").first.inner_text()
    model.Session.remove()
    assert model.Session.query(model.Package).count() == 0
    assert _sequence("101") == 0

    page.fill("#field-notes", "全市户籍人口的基本信息。")
    page.eval_on_selector("#field-tag_string", "(el, v) => { el.value = v; }", "人口")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert page.locator("[role=main] h1").first.inner_text().strip() == "人口基本信息"
    model.Session.remove()
    assert [p.title for p in model.Session.query(model.Package)] == ["人口基本信息"]
    assert _sequence("101") == 1


def test_form_buttons_follow_review_state_and_bulk_page_submits(
    live_portal, page, make_unit, log_in, browser_user, entry_factory
):
    admin = browser_user()
    unit = make_unit(users=[{"name": admin["name"], "capacity": "admin"}])
    draft = entry_factory(owner_org=unit["id"], title="草稿甲")
    log_in(page, admin["name"])

    page.goto(f"{live_portal}/dataset/edit/{draft['name']}")
    assert page.locator("button[value=go-metadata-unpublish]").count() == 0
    assert page.locator(f"a[href$='/dataset/delete/{draft['id']}']").count() == 1

    page.goto(f"{live_portal}/organization/bulk_process/{unit['name']}")
    assert page.locator("button[name^=bulk_action]").count() == 0
    page.check(f"input[name=dataset_{draft['id']}]")
    page.click("form.yiyang-bulk-review button[value=submit]")
    page.wait_for_load_state()
    assert "已提交审核：1" in page.locator(".alert").first.inner_text()

    page.goto(f"{live_portal}/dataset/edit/{draft['name']}")
    assert page.locator(f"a[href$='/dataset/delete/{draft['id']}']").count() == 0


def test_unit_picker_lists_every_unit_and_filters(
    live_portal, page, make_unit, log_in, browser_user
):
    editor = browser_user()
    make_unit(title="市统计局", users=[{"name": editor["name"], "capacity": "editor"}])
    for i in range(30):
        make_unit(title=f"市测试单位{i:02d}", unit_group="03")
    log_in(page, editor["name"])
    page.goto(f"{live_portal}/demand/new")
    options = page.locator("#field-provider_org option:not([value=''])")
    assert options.count() == 31
    assert page.locator("#field-provider_org optgroup").count() == 2
    page.fill("#field-provider_org-filter", "统计")
    visible = page.eval_on_selector_all(
        "#field-provider_org option:not([value=''])", "os => os.filter(o => !o.hidden).length"
    )
    assert visible == 1
    assert page.input_value("#field-provider_org") != ""


def test_working_copy_shows_old_and_new_values(
    live_portal, page, make_unit, log_in, browser_user, entry_factory
):
    editor, reviewer = browser_user(), browser_user()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(), users=[{"name": reviewer["name"], "capacity": "member"}]
    )
    entry = entry_factory(owner_org=unit["id"], published=True)
    log_in(page, editor["name"])
    page.goto(f"{live_portal}/dataset/edit/{entry['name']}")
    page.fill("#field-title", "益阳市企业注册登记信息（修订）")
    page.click("button[name=save]")
    page.wait_for_load_state()
    panel = page.locator(".yiyang-revision").inner_text()
    assert "益阳市企业注册登记信息" in panel and "益阳市企业注册登记信息（修订）" in panel
    assert "信息项" not in panel  # the untouched items are no change


def test_demand_is_fulfilled_from_a_list(
    live_portal, page, make_unit, browser_user, entry_factory, log_in
):
    import ckan.plugins.toolkit as tk

    admin, requester = browser_user(), browser_user(fullname="李明")
    unit = make_unit(title="市公安局", users=[{"name": admin["name"], "capacity": "admin"}])
    make_unit(title="市教育局", users=[{"name": requester["name"], "capacity": "member"}])
    published = entry_factory(owner_org=unit["id"], published=True, title="户籍人口基本信息")
    demand = tk.get_action("yiyang_demand_create")(
        {"user": requester["name"]},
        {
            "title": "户籍人口信息",
            "content": "全市户籍人口的姓名和户籍地址。",
            "purpose": "入学资格审核",
            "update_frequency": "monthly",
            "provider_org": unit["name"],
        },
    )
    log_in(page, admin["name"])
    page.goto(f"{live_portal}/demand/{demand['id']}")
    assert "李明（市教育局）" in page.locator("table.yiyang-demand").inner_text()
    page.click("form[action$='/accept'] button[type=submit]")
    page.wait_for_load_state()
    page.fill("#fulfil-dataset-filter", "户籍")
    page.select_option("#fulfil-dataset", published["name"])
    page.click("form[action$='/fulfil'] button[type=submit]")
    page.wait_for_load_state()
    assert "户籍人口基本信息" in page.locator("table.yiyang-demand").inner_text()
    assert requester["name"] not in page.locator("[role=main]").inner_text()


def test_subscriptions_open_on_the_work_with_items_and_period(
    live_portal, page, make_unit, browser_user, entry_factory, log_in
):
    import ckan.plugins.toolkit as tk

    admin, applicant = browser_user(), browser_user(fullname="王芳")
    unit = make_unit(title="市市场监管局", users=[{"name": admin["name"], "capacity": "admin"}])
    make_unit(title="市税务局", users=[{"name": applicant["name"], "capacity": "editor"}])
    entry = entry_factory(owner_org=unit["id"], published=True)
    tk.get_action("yiyang_subscription_create")(
        {"user": applicant["name"]},
        {
            "dataset_id": entry["id"],
            "purpose": "business_collaboration",
            "purpose_detail": "核对纳税人登记信息",
            "data_item_names": ["企业名称"],
            "valid_until": "2030-12-31",
        },
    )
    log_in(page, admin["name"])
    page.goto(f"{live_portal}/subscriptions")
    assert "active" in (page.get_attribute("a.nav-link[href$='scope=received']", "class") or "")
    requested = page.locator(".yiyang-requested").first.inner_text()
    assert "企业名称" in requested and "2030-12-31" in requested
    assert "王芳（市税务局）" in page.locator(".yiyang-applicant").first.inner_text()
