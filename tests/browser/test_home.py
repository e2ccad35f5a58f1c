"""A person opens the portal's home page in Chromium and reads its Chinese title."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins", "clean_db")]


def test_home_page_shows_the_chinese_title(live_portal, page, screenshot):
    page.goto(live_portal + "/")
    heading = page.locator("h1.page-heading")
    assert heading.inner_text().strip() == "益阳市政务信息资源目录与共享平台"
    assert "益阳市政务信息资源目录与共享平台" in page.title()
    assert screenshot("home").stat().st_size > 10_000


def test_english_home_page(live_portal, page):
    page.goto(live_portal + "/en/")
    assert page.locator("h1.page-heading").inner_text().strip() == (
        "Yiyang Government Information Resource Catalog"
    )
