"""The guide's journeys in Chromium, one per role, on the Chinese pages: each step's page is
opened as the role opens it and its screenshot saved for the guide (var/screenshots, served by
/guide/screenshots/); then the guide shows them. The reviewer's journey is point 13 of issue
12: the office sets the round's phases, filters the units behind schedule, rows stay compact.
Console errors and failed requests fail these tests through tests/browser/conftest.py's guard
of every page (issue 12 point 1)."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def world(browser_user, make_unit, entry_factory):
    """The office's reviewer; 市公安局 with an editor and an admin, a published entry shared on
    application, a draft and a submission; 市教育局 whose admin applied for the published one
    and filed a demand to 市公安局."""
    # no picture from an outside address (the factories' default): the page would fail to load it
    people = {
        "reviewer": browser_user(fullname="欧阳倩", image_url=""),
        "editor": browser_user(fullname="周建国", image_url=""),
        "admin": browser_user(fullname="刘志强", image_url=""),
        "applicant": browser_user(fullname="郑光辉", image_url=""),
    }
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        image_url="",
        users=[{"name": people["reviewer"]["name"], "capacity": "member"}],
    )
    police = make_unit(
        title="市公安局",
        unit_group="02",
        unit_code="006",
        image_url="",
        leader={"name": "王局长"},
        business_contact={"name": "李科长"},
        it_contact={"name": "赵工程师"},
        users=[
            {"name": people["editor"]["name"], "capacity": "editor"},
            {"name": people["admin"]["name"], "capacity": "admin"},
        ],
    )
    make_unit(
        title="市教育局",
        unit_group="02",
        unit_code="003",
        image_url="",
        users=[{"name": people["applicant"]["name"], "capacity": "admin"}],
    )
    published = entry_factory(
        police["id"], published=True, title="户籍人口基本信息", disclosure_scope="public"
    )
    draft = entry_factory(police["id"], title="居住证办理信息")
    submitted = entry_factory(police["id"], title="机动车登记信息")
    tk.get_action("yiyang_review_submit")(
        {"user": people["editor"]["name"]}, {"id": submitted["id"]}
    )
    applicant = {"user": people["applicant"]["name"]}
    tk.get_action("yiyang_subscription_create")(
        dict(applicant),
        {
            "dataset_id": published["id"],
            "purpose": "administrative_basis",
            "purpose_detail": "义务教育入学资格审核",
        },
    )
    tk.get_action("yiyang_demand_create")(
        dict(applicant),
        {
            "title": "流动人口子女信息",
            "provider_org": police["id"],
            "content": "随迁子女的户籍和居住证信息",
            "purpose": "入学资格审核",
            "update_frequency": "monthly",
        },
    )
    return {**people, "published": published, "draft": draft, "police": police}


def test_the_unit_editors_journey(live_portal, page, world, log_in, screenshot):
    page.goto(live_portal + "/user/login")
    screenshot("guide-editor-login")
    log_in(page, world["editor"]["name"])
    page.goto(live_portal + "/dataset/new")
    assert page.locator("#field-title").count() == 1
    screenshot("guide-editor-new-entry")
    page.goto(f"{live_portal}/dataset/{world['draft']['name']}")
    assert "提交审核" in page.content()
    screenshot("guide-editor-entry")
    page.goto(live_portal + "/survey")
    screenshot("guide-editor-survey")


def test_the_unit_admins_journey(live_portal, page, world, log_in, screenshot):
    log_in(page, world["admin"]["name"])
    page.goto(f"{live_portal}/organization/{world['police']['name']}")
    assert "居住证办理信息" in page.content()  # the unit's own draft
    screenshot("guide-admin-unit")
    page.goto(live_portal + "/subscriptions?scope=received")
    assert "义务教育入学资格审核" in page.content()
    screenshot("guide-admin-subscriptions")
    page.goto(live_portal + "/demand")
    assert "流动人口子女信息" in page.content()
    screenshot("guide-admin-demands")


def test_the_applying_units_journey(live_portal, page, world, log_in, screenshot):
    log_in(page, world["applicant"]["name"])
    page.goto(live_portal + "/dataset/?q=户籍")
    assert "户籍人口基本信息" in page.locator(".dataset-list").inner_text()
    screenshot("guide-applicant-search")
    page.goto(f"{live_portal}/dataset/{world['published']['name']}")
    screenshot("guide-applicant-apply")
    page.goto(live_portal + "/demand/new")
    screenshot("guide-applicant-demand")


def test_the_office_sets_the_round_and_finds_the_units_behind(
    live_portal, page, world, log_in, screenshot
):
    log_in(page, world["reviewer"]["name"])
    page.goto(live_portal + "/review")
    assert "机动车登记信息" in page.content()
    screenshot("guide-reviewer-queue")

    page.goto(live_portal + "/progress")
    # the notice's 2015–16 dates: every unit is behind
    assert page.locator("tr.yiyang-behind").count() == 2
    page.click("text=设置本轮时间安排")
    page.wait_for_load_state()
    assert page.locator("h1.page-heading").inner_text() == "设置本轮时间安排"
    # a launch before the sorting is refused, naming the field
    today = datetime.date.today()  # the live portal's day: freezegun cannot reach it
    days = {"preparation": -30, "report": -10, "review": 30, "sorting": 60, "platform": 90}
    dates = {key: (today + datetime.timedelta(d)).isoformat() for key, d in days.items()}
    dates["launch"] = (today + datetime.timedelta(40)).isoformat()  # before the sorting
    for key, day in dates.items():
        page.fill(f"#field-phase-{key}", day)
    page.click("form.yiyang-phases-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#field-phase-launch.is-invalid").count() == 1
    assert "不得早于上一阶段的截止日期" in page.content()
    launch = (today + datetime.timedelta(120)).isoformat()
    page.fill("#field-phase-launch", launch)
    page.click("form.yiyang-phases-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/progress")
    assert "本轮时间安排已保存" in page.content()
    schedule = page.locator("table.yiyang-progress-schedule").inner_text()
    assert launch in schedule and "2015" not in schedule
    # by the report's deadline (passed) 市教育局 has registered nothing; 市公安局 has submitted
    # an entry and named its contacts (its draft is due for review later)
    page.click("text=仅看滞后单位")
    page.wait_for_load_state()
    assert "behind=1" in page.url
    assert page.locator("tr[data-unit] th a").all_inner_texts() == ["市教育局"]
    row = page.locator("tr.yiyang-behind").first
    assert row.bounding_box()["height"] < 80  # one line: the reasons are folded
    row.locator("summary").click()
    assert (
        "未登记信息资源" in row.locator(".yiyang-behind-reasons").inner_text()
        or row.locator(".yiyang-behind-reasons li").count() >= 1
    )
    screenshot("guide-reviewer-progress")

    page.goto(live_portal + "/notices")
    page.fill("#field-notice-title", "关于开展2026年度目录编制工作的通知")
    page.fill("#field-notice-body", "请各单位按本轮时间安排完成填报。")
    page.click("form.yiyang-notice-form button[type=submit]")
    page.wait_for_load_state()
    assert "通知已发布到首页" in page.content()
    screenshot("guide-reviewer-notices")
    page.goto(live_portal + "/")
    assert (
        "关于开展2026年度目录编制工作的通知" in page.locator(".yiyang-home-notices").inner_text()
    )


def test_the_guide_shows_each_roles_steps_with_their_screenshots(live_portal, page):
    page.goto(live_portal + "/guide")
    assert page.locator("h1.page-heading").inner_text() == "使用指南"
    for role, title in (
        ("editor", "单位编辑员"),
        ("admin", "单位管理员"),
        ("reviewer", "审核员（市电子政务办）"),
        ("applicant", "其他单位申请使用"),
        ("visitor", "社会公众"),
    ):
        page.goto(f"{live_portal}/guide/{role}")
        assert page.locator("h1.page-heading").inner_text() == title
        assert page.locator(".yiyang-guide-step").count() >= 2
        # every screenshot shown has loaded (those the journeys above took)
        for image in page.locator(".yiyang-guide-step img").all():
            image.scroll_into_view_if_needed()
            assert image.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert page.locator("a[href$='/about']").count() >= 1
