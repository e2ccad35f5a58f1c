"""An objection in a browser, on the Chinese pages (issue 14.2): another unit's clerk raises
it on the entry's page, the office accepts and forwards it, the provider records the revision
that corrected it, the office removes the mark."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.review.model import ReviewEvent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_raise_accept_correct_remove_the_mark(
    live_portal, browser, make_unit, entry_factory, log_in, browser_user
):
    raiser, office, editor = browser_user(), browser_user(), browser_user()
    make_unit(title="市教育局", users=[{"name": raiser["name"], "capacity": "member"}])
    police = make_unit(title="市公安局", users=[{"name": editor["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        image_url="",
        users=[{"name": office["name"], "capacity": "member"}],
    )
    entry = entry_factory(
        police["id"], published=True, title="户籍人口信息", disclosure_scope="public"
    )
    entry_url = f"{live_portal}/dataset/{entry['name']}"
    pages = []
    for user in (raiser, office, editor):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, user["name"])
        pages.append(page)
    a, o, e = pages

    a.goto(entry_url)
    assert a.locator("#objection-mark").count() == 0
    a.click("#raise-objection")
    a.wait_for_load_state()
    assert "提出异议" in a.locator("h1.page-heading").inner_text()
    a.select_option("#objection-kind", "data_error")
    a.select_option("#objection-item", "企业名称")
    a.fill("#objection-description", "部分企业名称与营业执照不一致")
    a.click("#objection-submit")
    a.wait_for_load_state()
    assert "已提出，待受理" in a.locator("#objection-status").inner_text()
    objection_url = a.url
    a.goto(entry_url)
    assert a.locator("#objection-mark").inner_text() == "有异议"

    o.goto(f"{live_portal}/objections?scope=office")
    assert "户籍人口信息" in o.locator("table").inner_text()
    o.goto(objection_url)
    o.fill("#accept-reason", "请核实企业名称")
    o.click("#objection-accept")
    o.wait_for_load_state()
    assert "已受理" in o.locator("#objection-status").inner_text()

    revision = (
        model.Session.query(ReviewEvent.id)
        .filter_by(package_id=entry["id"])
        .order_by(ReviewEvent.created.desc())
        .first()[0]
    )
    e.goto(f"{live_portal}/objections?scope=provided&status=accepted")
    e.click("table a:has-text('户籍人口信息')")
    e.wait_for_load_state()
    e.select_option("#resolve-outcome", "corrected")
    e.fill("#resolve-revision", revision)
    e.fill("#resolve-reason", "已按营业执照更正")
    e.click("#objection-resolve")
    e.wait_for_load_state()
    assert "已更正" in e.locator("#objection-status").inner_text()
    assert e.locator("#objection-revision").inner_text() == revision

    o.goto(objection_url)
    o.click("#objection-close")
    o.wait_for_load_state()
    assert "标注已撤销" in o.locator("#objection-status").inner_text()
    history = o.locator(".yiyang-objection-history").inner_text()
    for step in ("提出异议", "受理并转提供单位", "已更正", "已关闭，标注已撤销"):
        assert step in history
    a.goto(entry_url)
    assert a.locator("#objection-mark").count() == 0
    found = tk.get_action("package_search")({}, {"fq": "has_objection:true"})
    assert found["count"] == 0
