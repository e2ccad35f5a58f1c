"""The journeys of issue 12's "Done when", one end-to-end test per role, on the Chinese pages in
Chromium: the unit's clerk registers an entry with four 信息项, submits it, fixes what the
reviewer returned, revises the published entry and imports a workbook whose entries go for
review with "submit all" on the desk; the reviewer returns, approves and approves a change;
another unit applies for a conditional entry (its 信息项 and a period) and raises a demand; the
providing unit's admin decides the application and fulfils a demand. Where a step is another
role's, it is done through the actions, so each test stands alone on one module-scoped world.

Every step saves its page under the guide's screenshot names (portal/guide.py), so the guide
shows the portal as it is; the shared browser guard (tests/browser/conftest.py) fails a test on
any console error or failed request of its pages."""

from __future__ import annotations

import pathlib
from typing import Any

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.imports import config as import_config
from ckanext.yiyang.survey import layout, workbooks
from tests.conftest import _entry_data

from .conftest import PASSWORD, SCREENSHOTS, reload_settled

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("with_plugins")]

ITEMS = [
    ("统一社会信用代码", "string"),
    ("企业名称", "string"),
    ("注册资本", "numeric"),
    ("成立日期", "datetime"),
]
REGISTERED = "市场主体登记信息"
REVIEWED = "社会救助对象信息"
CONDITIONAL = "户籍人口基本信息"
DECIDED = "居民身份证信息"


def _person(fullname: str) -> dict[str, Any]:
    return factories.User(password=PASSWORD, image_url="", fullname=fullname)


def _unit(title: str, code: str, users: list[dict[str, str]]) -> dict[str, Any]:
    return factories.Organization(
        title=title, unit_group="02", unit_code=code, image_url="", users=users
    )


def _entry(unit: dict[str, Any], published: bool = False, **overrides: Any) -> dict[str, Any]:
    """An entry made through the actions as a sysadmin (published: reviewed and approved)."""
    as_sysadmin = {"user": factories.Sysadmin()["name"]}
    entry = tk.get_action("package_create")(
        dict(as_sysadmin), _entry_data(unit["id"], **overrides)
    )
    for step in ("submit", "approve") if published else ():
        entry = tk.get_action(f"yiyang_review_{step}")(dict(as_sysadmin), {"id": entry["id"]})
    return entry


@pytest.fixture(scope="module")
def world(module_clean_db) -> dict[str, Any]:
    """The office with its reviewer; unit A (市公安局) with a clerk and an admin, a published
    conditional entry to apply for and another already applied for, with a demand to answer;
    unit B (市教育局) with its clerk; 市民政局 with an entry its clerk submitted."""
    people = {
        "reviewer": _person("欧阳倩"),
        "clerk": _person("周建国"),
        "admin": _person("刘志强"),
        "applicant": _person("郑光辉"),
        "civil": _person("蒋红梅"),
    }
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        image_url="",
        users=[{"name": people["reviewer"]["name"], "capacity": "member"}],
    )
    unit_a = _unit(
        "市公安局",
        "006",
        [
            {"name": people["clerk"]["name"], "capacity": "editor"},
            {"name": people["admin"]["name"], "capacity": "admin"},
        ],
    )
    unit_b = _unit(
        "市教育局", "003", [{"name": people["applicant"]["name"], "capacity": "editor"}]
    )
    civil = _unit("市民政局", "011", [{"name": people["civil"]["name"], "capacity": "editor"}])
    conditional = _entry(unit_a, published=True, title=CONDITIONAL, disclosure_scope="internal")
    decided = _entry(unit_a, published=True, title=DECIDED, disclosure_scope="internal")
    reviewed = _entry(civil, title=REVIEWED)
    tk.get_action("yiyang_review_submit")(
        {"user": people["civil"]["name"]}, {"id": reviewed["id"]}
    )
    as_applicant = {"user": people["applicant"]["name"]}
    application = tk.get_action("yiyang_subscription_create")(
        dict(as_applicant),
        {
            "dataset_id": decided["id"],
            "purpose": "administrative_basis",
            "purpose_detail": "义务教育入学资格审核",
            "data_item_names": ["企业名称"],
            "valid_until": "2030-08-31",
        },
    )
    demand = tk.get_action("yiyang_demand_create")(
        dict(as_applicant),
        {
            "title": "随迁子女居住证信息",
            "provider_org": unit_a["id"],
            "content": "随迁子女及其父母的居住证办理信息。",
            "purpose": "入学资格审核",
            "update_frequency": "monthly",
        },
    )
    return {
        **people,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "conditional": conditional,
        "decided": decided,
        "reviewed": reviewed,
        "application": application,
        "demand": demand,
    }


@pytest.fixture
def side(browser, log_in):
    """``side(user)``: a Chinese browser page logged in as ``user``."""
    contexts = []

    def open_as(user: dict[str, Any]) -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        log_in(page, user["name"])
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    """The page as the guide's screenshot ``name`` (var/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def press(page: Any, action: str, text: str | None = None) -> None:
    field = {"approve": "#approve-opinion", "return": "#return-opinion"}.get(action)
    if field and text:
        page.fill(field, text)
    page.click(f"button[name=review][value={action}]")
    page.wait_for_load_state()


def status(page: Any) -> str:
    return page.locator(".yiyang-review-status").inner_text()


def fill_item(page: Any, index: int, name: str, data_type: str) -> None:
    page.fill(f"#field-data_items-{index}-name", name)
    page.select_option(f"#field-data_items-{index}-data_type", data_type)
    if data_type == "string":
        page.fill(f"#field-data_items-{index}-length", "50")


def item_names(page: Any) -> list[str]:
    rows = page.locator("table.yiyang-items tbody tr")
    return [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count())]


def act(user: dict[str, Any], action: str, **data: Any) -> dict[str, Any]:
    return tk.get_action(action)({"user": user["name"]}, data)


def _workbook(path: pathlib.Path, unit_title: str, titles: list[str]) -> pathlib.Path:
    """The real 附件3 template, filled in with one entry (and one 信息项) per title."""
    row = {
        "notes": "全市出入境证件办理的登记信息。",
        "catalog_category": "101 人口",
        "subject_category": "02 经济管理",
        "tag_string": "出入境,证件",
        "format_class": "电子文件",
        "format_type": "oracle",
        "share_type": "无条件共享",
        "share_method": "共享平台·接口",
        "open_to_public": "否",
        "update_cycle": "每日",
        "disclosure_scope": "对内公开",
        "management_mode": "计算机（电子表格）",
    }
    item = {
        "name": "证件号码",
        "description": "出入境证件的号码",
        "data_type": "字符型",
        "length": 30,
    }
    book = workbooks.build("entries")
    sheet, items = book["信息资源"], book["信息项"]
    sheet.cell(workbooks.UNIT_ROW, 2, unit_title)
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    item_keys = [c.key for c in layout.ITEM_COLUMNS]
    for n, title in enumerate(titles):
        for key, value in {**row, "row": n + 1, "title": title}.items():
            sheet.cell(workbooks.FIRST_DATA_ROW + n, keys.index(key) + 1, value)
        for key, value in {**item, "row": n + 1}.items():
            items.cell(workbooks.FIRST_DATA_ROW + 1 + n, item_keys.index(key) + 1, value)
    book.save(path)
    return path


def run_jobs() -> None:
    """The portal's background jobs of imports, run here (the test portal has no worker)."""
    jobs.Worker([import_config.queue()]).work(burst=True)


def test_the_clerks_journey(live_portal, world, side, fill_entry_form, tmp_path):
    """Register with four 信息项 (新增 adds the rows), submit, fix what the reviewer returned,
    resubmit; revise the published entry (a working copy) and submit the change; import three
    entries and submit them all from the desk."""
    clerk, reviewer = world["clerk"], world["reviewer"]
    page = side(clerk)
    fill_entry_form(
        page,
        world["unit_a"]["id"],
        title=REGISTERED,
        notes="全市市场主体的登记信息。",
        tags="企业,登记",
        format_class="database",
        share_method="platform_table",
    )
    # CKAN's modules run on the Chinese page: 新增 adds rows beyond the two printed ones
    page.wait_for_selector(
        "#field-tag_string.select2-hidden-accessible", state="attached", timeout=10_000
    )
    for index, (name, data_type) in enumerate(ITEMS):
        if index >= 2:
            page.locator("a[name=repeating-add]").click()
            page.wait_for_selector(f"#field-data_items-{index}-name")
        fill_item(page, index, name, data_type)
    shot(page, "guide-editor-new-entry")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert item_names(page) == [name for name, _type in ITEMS]
    entry_url = page.url
    entry = tk.get_action("package_show")(
        {"user": clerk["name"]}, {"id": entry_url.split("/")[-1]}
    )
    shot(page, "guide-editor-entry")
    press(page, "submit")
    assert "待审核" in status(page)

    act(
        reviewer,
        "yiyang_review_return",
        id=entry["id"],
        opinion="摘要过于简单，请写明登记的范围。",
    )
    page.goto(entry_url)
    assert "退回修改" in status(page)
    assert "摘要过于简单" in page.locator("table.yiyang-history").inner_text()
    shot(page, "guide-editor-returned")
    page.goto(entry_url.replace("/dataset/", "/dataset/edit/"))
    page.fill("#field-notes", "全市市场主体的登记信息，包括企业、个体工商户和农民专业合作社。")
    page.click("button[name=save]")
    page.wait_for_load_state()
    press(page, "submit")
    assert "待审核" in status(page)

    act(reviewer, "yiyang_review_approve", id=entry["id"])
    page.goto(entry_url.replace("/dataset/", "/dataset/edit/"))
    page.select_option("#field-update_cycle", "weekly")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert page.locator(".yiyang-revision").count() == 1, "a working copy of the published entry"
    press(page, "submit")
    assert "待审核" in page.locator(".yiyang-revision").inner_text()
    shot(page, "guide-editor-revise")

    jobs.get_queue(import_config.queue()).empty()
    titles = ["因私出入境证件办理信息", "港澳通行证签注信息", "出入境边防检查信息"]
    workbook = _workbook(tmp_path / "数据提供调查表.xlsx", world["unit_a"]["title"], titles)
    page.goto(live_portal + "/survey/import")
    page.set_input_files("#import-upload", str(workbook))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_load_state()
    run_jobs()  # the check
    reload_settled(page)
    shot(page, "guide-editor-survey")
    page.click("form.yiyang-import-run button[value=all]")
    page.wait_for_load_state()
    run_jobs()  # the import
    reload_settled(page)
    assert "新建 3 条" in page.locator("main, [role=main]").first.inner_text()

    page.goto(live_portal + "/desk")
    drafts = page.locator("#desk-to_submit")
    assert drafts.locator(".yiyang-desk-count").inner_text() == "3"
    shot(page, "guide-editor-desk")
    page.click("#yiyang-desk-submit-all")
    page.wait_for_load_state()
    assert "已提交审核 3 条信息资源" in page.locator(".flash-messages").inner_text()
    for title in titles:
        found = tk.get_action("package_search")(
            {"user": clerk["name"]}, {"q": f'title:"{title}"', "include_private": True}
        )
        assert [r["review_status"] for r in found["results"]] == ["submitted"], title


def test_the_reviewers_journey(live_portal, world, side):
    """Return an entry with an opinion from the queue, approve it once fixed; approve the change
    of a published entry, reading its old and new values."""
    reviewer, civil = world["reviewer"], world["civil"]
    entry = world["reviewed"]
    page = side(reviewer)
    page.goto(live_portal + "/review")
    assert REVIEWED in page.locator("table.yiyang-queue").inner_text()
    shot(page, "guide-reviewer-queue")
    page.click(f"table.yiyang-queue a:has-text('{REVIEWED}')")
    page.wait_for_load_state()
    entry_url = f"{live_portal}/dataset/{entry['name']}"
    assert page.url.rstrip("/") == entry_url
    press(page, "return", "请补充信息项的公开范围。")
    assert "退回修改" in status(page)
    shot(page, "guide-reviewer-return")

    act(civil, "package_patch", id=entry["id"], notes="全市城乡低保、特困和临时救助对象的信息。")
    act(civil, "yiyang_review_submit", id=entry["id"])
    page.goto(entry_url)
    assert "待审核" in status(page)
    press(page, "approve", "同意发布。")
    assert "已发布" in status(page)

    act(civil, "package_patch", id=entry["id"], title="社会救助对象信息（含临时救助）")
    act(civil, "yiyang_review_submit", id=entry["id"])
    page.goto(live_portal + "/review")
    assert "已发布信息资源的修改" in page.locator("table.yiyang-queue").inner_text()
    page.goto(entry_url)
    change = page.locator(".yiyang-revision").inner_text()
    assert REVIEWED in change and "社会救助对象信息（含临时救助）" in change
    shot(page, "guide-reviewer-change")
    press(page, "approve")
    assert page.locator(".yiyang-revision").count() == 0
    assert "社会救助对象信息（含临时救助）" in page.locator("[role=main] h1").first.inner_text()


def test_the_applying_units_journey(live_portal, world, side):
    """Find a conditional entry, apply for two of its 信息项 until a date; raise a demand to
    the unit that should provide it."""
    applicant = world["applicant"]
    entry = world["conditional"]
    page = side(applicant)
    page.goto(live_portal + "/dataset/?q=户籍人口")
    assert CONDITIONAL in page.locator(".dataset-list").inner_text()
    shot(page, "guide-applicant-search")
    page.click(f".dataset-list a:has-text('{CONDITIONAL}')")
    page.wait_for_load_state()
    assert "申请使用" in page.locator(".yiyang-subscription-panel").inner_text()
    page.click(".yiyang-subscription-panel a.btn-primary")
    page.wait_for_load_state()
    page.select_option("#field-purpose", "administrative_basis")
    page.fill("#field-purpose-detail", "核对学生户籍，办理义务教育入学。")
    page.check("input[name=data_item_names][value='企业名称']")
    page.fill("#field-valid-until", "2029-12-31")
    shot(page, "guide-applicant-apply")
    page.click("form button[type=submit].btn-primary")
    page.wait_for_load_state()
    mine = page.locator("table.yiyang-subscriptions").inner_text()
    assert CONDITIONAL in mine and "待审批" in mine
    assert "企业名称" in mine and "2029-12-31" in mine
    (application,) = [
        s
        for s in act(applicant, "yiyang_subscription_list", scope="applied")["results"]
        if s["dataset_id"] == entry["id"]
    ]
    assert application["data_item_names"] == ["企业名称"]

    page.goto(live_portal + "/demand/new")
    page.fill("#field-title", "户籍迁移登记信息")
    page.select_option("#field-provider_org", world["unit_a"]["name"])
    page.fill("#field-content", "按月提供户籍迁入迁出的登记信息。")
    page.fill("#field-purpose", "学位预测与学校布局。")
    page.select_option("#field-update_frequency", "monthly")
    shot(page, "guide-applicant-demand")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert "/demand/" in page.url and "待受理" in page.content()


def test_the_unit_admins_journey(live_portal, world, side):
    """Read an application's 信息项 and period, approve it; accept a demand and fulfil it with
    a published entry."""
    admin, applicant = world["admin"], world["applicant"]
    page = side(admin)
    page.goto(live_portal + "/desk")
    assert "我的待办" in page.locator("h1.page-heading").inner_text()
    page.goto(live_portal + "/subscriptions")
    row = page.locator("table.yiyang-subscriptions tbody tr", has_text="义务教育入学资格审核")
    requested = row.locator(".yiyang-requested").inner_text()
    assert "企业名称" in requested and "2030-08-31" in requested
    assert "郑光辉（市教育局）" in row.inner_text()
    shot(page, "guide-admin-subscriptions")
    row.locator("button.btn-primary").click()  # 批准
    page.wait_for_load_state()
    decided = act(applicant, "yiyang_subscription_show", id=world["application"]["id"])
    assert decided["status"] == "approved"

    page.goto(f"{live_portal}/demand/{world['demand']['id']}")
    assert "郑光辉（市教育局）" in page.locator("table.yiyang-demand").inner_text()
    page.click("form[action$='/accept'] button[type=submit]")
    page.wait_for_load_state()
    assert "已受理" in page.content()
    page.fill("#fulfil-dataset-filter", "身份证")
    page.select_option("#fulfil-dataset", world["decided"]["name"])
    shot(page, "guide-admin-demands")
    page.click("form[action$='/fulfil'] button[type=submit]")
    page.wait_for_load_state()
    assert "已满足" in page.content()
    assert DECIDED in page.locator("table.yiyang-demand").inner_text()
