"""ckanext-harvest's pages for the office, in a browser: in Chinese under our base templates,
without console errors (the browser conftest fails a test on any)."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_the_office_adds_a_harvest_source(live_portal, page, log_in, browser_user, screenshot):
    reviewer = browser_user()
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "editor"}],
    )
    log_in(page, reviewer["name"])
    page.goto(f"{live_portal}/harvest")
    assert "采集源" in page.locator("body").inner_text()
    page.click("text=添加采集源")
    page.wait_for_load_state()
    assert "益阳目录平台（区县目录、CKAN 目录）" in page.locator("body").inner_text()
    page.fill("#field-url", "http://heshan.example.com")
    page.fill("#field-title", "赫山区")
    page.click(".slug-preview button")  # a Chinese title makes no URL name: give one
    page.fill("#field-name", "heshan")
    page.check("input[name=source_type][value=yiyang]")
    screenshot("harvest-new-source")
    page.click("#save")
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert "赫山区" in body
    assert "重新采集" in body or "管理" in body
