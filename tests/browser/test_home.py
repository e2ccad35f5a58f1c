"""A person opens the portal's home page in Chromium: its Chinese title, the figures of the
published catalog, the latest entries, the office's notices and the hint for government
users; the screenshots of the public's guide page are taken here."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

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


@pytest.mark.usefixtures("clean_index")
def test_the_public_sees_the_published_catalog_in_figures(
    live_portal, page, make_unit, entry_factory, screenshot
):
    reviewer = factories.User(fullname="欧阳倩")
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    police = make_unit(title="市公安局")
    schools = make_unit(title="市教育局")
    entry_factory(police["id"], published=True, title="户籍人口信息", disclosure_scope="public")
    entry_factory(police["id"], published=True, title="内部通讯录", disclosure_scope="internal")
    entry_factory(police["id"], title="还在起草的资源", disclosure_scope="public")
    entry_factory(
        schools["id"],
        published=True,
        title="中小学校名录",
        disclosure_scope="public",
        share_type="unconditional",
        share_condition="",
        open_to_public="yes",
        open_condition="向社会开放",
    )
    tk.get_action("yiyang_notice_create")(
        {"user": reviewer["name"]},
        {"title": "关于开展目录编制工作的通知", "body": "请各单位按时填报。"},
    )

    page.goto(live_portal + "/")
    figures = page.locator(".yiyang-figures")
    assert figures.locator("[data-figure=total] dd").inner_text() == "2"  # public, published
    assert figures.locator("[data-figure=units] dd").inner_text() == "2"
    assert figures.locator("[data-figure=open] dd").inner_text() == "50%"
    assert "本月新发布" in figures.inner_text()
    latest = page.locator(".yiyang-home-latest").inner_text()
    assert "户籍人口信息" in latest and "中小学校名录" in latest
    assert "内部通讯录" not in latest and "还在起草的资源" not in latest
    assert "关于开展目录编制工作的通知" in page.locator(".yiyang-home-notices").inner_text()
    assert "政府用户" in page.locator(".yiyang-home-login").inner_text()
    assert page.locator(".yiyang-home-units").inner_text().count("市") >= 2
    screenshot("guide-visitor-home")

    page.click(".yiyang-home-notices >> text=关于开展目录编制工作的通知")
    page.wait_for_load_state()
    assert page.locator("h1.page-heading").inner_text() == "市电子政务办通知公告"
    assert "请各单位按时填报。" in page.locator(".yiyang-notice").first.inner_text()

    page.goto(live_portal + "/dataset/")
    page.wait_for_load_state()
    screenshot("guide-visitor-search")
