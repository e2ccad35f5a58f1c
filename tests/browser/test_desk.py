"""Issue 12.5–12.7 in a browser, on the Chinese pages: a unit's editor lands on 我的待办 after
logging in and submits all drafts with one button; the reviewer gets ONE notice, chooses the
daily digest, and finds the entries in the paged, searchable review queue. Every page is
watched by the shared browser guard (tests/browser/conftest.py): a console error or a failed
request fails the test."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_desk_submit_all_one_notice_and_the_queue(
    live_portal, browser, make_unit, entry_factory, log_in, browser_user, screenshot_dir
):
    editor = browser_user(fullname="刘编辑", image_url="")
    reviewer = browser_user(fullname="陈审核", image_url="")
    unit = make_unit(
        title="市自然资源和规划局", users=[{"name": editor["name"], "capacity": "editor"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    titles = [f"土地利用现状数据{i}" for i in range(1, 4)]
    for title in titles:
        entry_factory(unit["id"], title=title)

    ed_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ed = ed_context.new_page()
    log_in(ed, editor["name"])
    # the page after login is the desk
    assert ed.url.rstrip("/").endswith("/desk"), ed.url
    assert "我的待办" in ed.locator("h1.page-heading").inner_text()
    drafts = ed.locator("#desk-to_submit")
    assert drafts.locator(".yiyang-desk-count").inner_text() == "3"
    ed.screenshot(path=str(screenshot_dir / "desk-editor.png"), full_page=True)
    ed.click("#yiyang-desk-submit-all")
    ed.wait_for_load_state()
    assert "已提交审核 3 条信息资源" in ed.locator(".flash-messages").inner_text()
    assert ed.locator("#desk-to_submit .yiyang-desk-count").inner_text() == "0"
    ed_context.close()

    rv_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    rv = rv_context.new_page()
    log_in(rv, reviewer["name"])
    assert rv.url.rstrip("/").endswith("/desk")
    assert rv.locator("#desk-to_review .yiyang-desk-count").inner_text() == "3"
    rv.screenshot(path=str(screenshot_dir / "desk-reviewer.png"), full_page=True)

    # ONE notice for the batch, naming the entries
    rv.goto(live_portal + "/dashboard/notifications")
    notices = rv.locator(".yiyang-notification")
    assert notices.count() == 1
    text = notices.first.inner_text()
    assert "3 条信息资源待您审核" in text and "刘编辑" in text
    # the reviewer chooses the daily digest
    rv.check("#mail-mode-digest")
    rv.click("#yiyang-notify-settings-save")
    rv.wait_for_load_state()
    assert "通知设置已保存" in rv.content()
    assert rv.locator("#mail-mode-digest").is_checked()

    # the notice leads to the queue filtered by the submitter
    notices.first.locator("button").click()
    rv.wait_for_load_state()
    assert "/review" in rv.url and "submitter=" in rv.url
    assert rv.locator("table.yiyang-queue tbody tr").count() == 3
    assert "刘编辑" in rv.locator("table.yiyang-queue").inner_text()
    # search by title
    rv.fill("#review-q", "现状数据2")
    rv.click("form button[type=submit].btn-primary")
    rv.wait_for_load_state()
    rows = rv.locator("table.yiyang-queue tbody tr")
    assert rows.count() == 1 and "土地利用现状数据2" in rows.first.inner_text()
    assert "1" in rv.locator(".yiyang-queue-count").inner_text()
    rv.screenshot(path=str(screenshot_dir / "review-queue-search.png"), full_page=True)
    rv_context.close()
