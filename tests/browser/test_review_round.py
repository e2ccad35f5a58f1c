"""The 会审 round in a browser: a unit's editor registers an entry and submits it, a reviewer
returns it with an opinion, the editor corrects and resubmits, the reviewer approves; an
anonymous visitor finds the entry only once its scope is public."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

TITLE = "不动产权属登记信息"


def press(page, action: str, text: str | None = None) -> None:
    field = {
        "approve": "#approve-opinion",
        "return": "#return-opinion",
        "withdraw": "#withdraw-reason",
    }.get(action)
    if field and text:
        page.fill(field, text)
    page.click(f"button[name=review][value={action}]")
    page.wait_for_load_state()


def anonymous_finds(browser, portal: str) -> bool:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(portal + "/dataset/?q=权属登记")
    found = TITLE in page.locator("#search-results, .dataset-list").first.inner_text()
    context.close()
    return found


def test_the_review_round(
    live_portal, browser, make_unit, log_in, browser_user, screenshot_dir, fill_entry_form
):
    editor, reviewer = browser_user(), browser_user()
    unit = make_unit(
        title="市不动产登记中心", users=[{"name": editor["name"], "capacity": "editor"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    unit_side = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    office_side = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ed, rv = unit_side.new_page(), office_side.new_page()
    log_in(ed, editor["name"])
    log_in(rv, reviewer["name"])

    fill_entry_form(
        ed,
        unit["id"],
        title=TITLE,
        notes="全市不动产权属登记的登记簿信息。",
        tags="不动产,权属",
        catalog_category="103",
        update_cycle="daily",
        disclosure_scope="internal",
    )
    ed.click("button[name=save]")
    ed.wait_for_load_state()
    entry_url = ed.url
    press(ed, "submit")
    assert "待审核" in ed.locator(".yiyang-review-status").inner_text()

    rv.goto(live_portal + "/review")
    assert TITLE in rv.locator("table.yiyang-queue").inner_text()
    rv.goto(entry_url)
    press(rv, "return", "摘要过于简单，请补充登记簿包含的主要内容。")
    assert "退回修改" in rv.locator(".yiyang-review-status").inner_text()

    ed.goto(entry_url)
    assert "摘要过于简单" in ed.locator("table.yiyang-history").inner_text()
    ed.goto(entry_url.replace("/dataset/", "/dataset/edit/"))
    ed.fill("#field-notes", "全市不动产权属登记的登记簿信息，包括权利人、坐落、面积和权利类型。")
    ed.click("button[name=save]")
    ed.wait_for_load_state()
    press(ed, "submit")

    rv.goto(entry_url)
    press(rv, "approve", "同意发布。")
    assert "已发布" in rv.locator(".yiyang-review-status").inner_text()
    assert not anonymous_finds(browser, live_portal), "an internal entry is not for the public"

    # The unit opens it to the public: a change of a published entry, reviewed like the rest.
    ed.goto(entry_url.replace("/dataset/", "/dataset/edit/"))
    ed.select_option("#field-disclosure_scope", "public")
    ed.click("button[name=save]")
    ed.wait_for_load_state()
    assert ed.locator(".yiyang-revision").count() == 1
    assert not anonymous_finds(browser, live_portal), "still internal until approved"
    press(ed, "submit")
    rv.goto(entry_url)
    press(rv, "approve")
    assert anonymous_finds(browser, live_portal)
    rv.goto(entry_url)
    rv.screenshot(path=str(screenshot_dir / "review-round.png"), full_page=True)
    unit_side.close()
    office_side.close()
