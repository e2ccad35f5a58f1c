"""The pages users see read in Chinese, in the portal's terms.

CKAN 2.12's zh_Hans_CN catalog leaves about half of core's strings in English and calls datasets
数据集 and organizations 组织/机构. Our catalog (ckanext-yiyang.po, merged over core's at runtime)
translates what the pages show and uses the portal's terms: 信息资源, 单位, 数据资源, 检索, 登录.
Each page is rendered through CKAN's test app in the default locale (zh_Hans_CN) and its visible
text (with the attributes a screen reader reads) is checked for the Chinese terms and for known
English strings or core terms that must not be left.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

# Core terms our catalog replaces (机构 is not one: 提供方内设机构 is a label of our schema) …
FOREIGN_TERMS = ["数据集", "组织", "登陆", "仪表盘", "追随"]
# … and the names of ours that contain one (a unit group, a unit, the credit code's part).
OWN_NAMES = ["群团组织", "市委组织部", "组织机构代码"]

# Strings of the page frame (header, footer, search box) that CKAN leaves in English.
FRAME_ENGLISH = [
    "Skip to main content",
    "Toggle navigation",
    "Search Datasets...",
    "Search datasets...",
    "Breadcrumb",
    "Submit",
    "Log in",
    "Register",
    "Powered by",
]


def visible_text(html: str) -> str:
    """The text a user sees or hears: body text, titles, placeholders and aria labels."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    parts = [soup.title.get_text(" ", strip=True) if soup.title else ""]
    body = soup.body or soup
    parts.append(body.get_text(" ", strip=True))
    for el in body.find_all(True):
        for attr in ("placeholder", "title", "aria-label", "alt"):
            value = el.get(attr)
            if isinstance(value, str):
                parts.append(value)
        if el.name == "input" and el.get("type") in ("submit", "button") and el.get("value"):
            parts.append(el["value"])
    return re.sub(r"\s+", " ", "\n".join(parts))


def check(text: str, chinese: list[str], english: list[str]) -> None:
    missing = [term for term in chinese if term not in text]
    for name in OWN_NAMES:
        text = text.replace(name, "")
    left = [s for s in english + FRAME_ENGLISH + FOREIGN_TERMS if s in text]
    assert not missing and not left, (
        f"missing Chinese: {missing}; left in English or core terms: {left}\n{text[:3000]}"
    )


@pytest.fixture
def portal(clean_db, clean_index, make_unit, entry_data):
    """A unit with an editor, a sysadmin, and an entry of the unit with one resource."""
    import ckan.plugins.toolkit as tk
    from ckan.tests import factories

    sysadmin = factories.SysadminWithToken()
    editor = factories.UserWithToken()
    unit = make_unit(
        title="益阳市市场监督管理局",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    entry = tk.get_action("package_create")(
        {"user": sysadmin["name"]},
        # shared unconditionally: its data resources are public once it is published
        entry_data(
            unit["id"], name="yiyang-qiye-dengji", share_type="unconditional", share_condition=""
        ),
    )
    resource = tk.get_action("resource_create")(
        {"user": sysadmin["name"]},
        {
            "package_id": entry["id"],
            "name": "企业登记数据",
            "url": "http://example.org/qiye.csv",
            "format": "CSV",
        },
    )
    _publish(entry, editor, sysadmin)
    return {
        "sysadmin": sysadmin,
        "editor": editor,
        "unit": unit,
        "entry": entry,
        "resource": resource,
    }


def _publish(entry: dict, editor: dict, sysadmin: dict) -> None:
    """Put the entry through review (submitted by its unit, approved) so the public sees it."""
    import ckan.plugins.toolkit as tk

    try:
        submit = tk.get_action("yiyang_review_submit")
    except KeyError:  # no review workflow: every entry is public
        return
    submit({"user": editor["name"]}, {"id": entry["id"]})
    tk.get_action("yiyang_review_approve")({"user": sysadmin["name"]}, {"id": entry["id"]})


def get(app, url: str, user: dict | None = None, status: int = 200) -> str:
    headers = {"Authorization": user["token"]} if user else {}
    response = app.get(url, headers=headers, status=status)
    return visible_text(response.get_data(as_text=True))


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestAnonymous:
    def test_home(self, app, portal):
        check(
            get(app, "/"),
            ["信息资源", "单位", "检索", "登录", "注册", "跳转到主要内容", "技术支持"],
            ["Search datasets", "Popular tags", "Navigate to Home"],
        )

    def test_dataset_search(self, app, portal):
        text = get(app, "/dataset/")
        check(
            text,
            [
                "信息资源",
                "检索信息资源……",
                "找到 1 条信息资源",
                "关键字",
                "按资源属性分类筛选",
                "导航路径",
            ],
            [
                "Filter by:",
                "Navigate to dataset",
                "Search datasets by",
                "dataset found",
                "Order by",
                "Relevance",
                "API Docs",
                "API文献",
            ],
        )

    def test_dataset_search_with_a_filter(self, app, portal):
        text = get(app, "/dataset/?tags=企业")
        check(text, ["移除筛选条件：企业"], ["Remove applied filter"])

    def test_no_result(self, app, portal):
        check(
            get(app, "/dataset/?q=zzzz"), ["未找到与“zzzz”匹配的信息资源"], ["No datasets found"]
        )

    def test_entry_page(self, app, portal):
        entry = portal["entry"]
        check(
            get(app, f"/dataset/{entry['name']}"),
            ["益阳市企业注册登记信息", "数据资源", "企业登记数据", "关注", "动态", "单位"],
            [
                "Data and Resources",
                "Navigate to resource",
                "Explore",
                "Follow",
                "Activity Stream",
                "There is no description for this organization",
            ],
        )

    def test_resource_page(self, app, portal):
        entry, resource = portal["entry"], portal["resource"]
        check(
            get(app, f"/dataset/{entry['name']}/resource/{resource['id']}"),
            [
                "当前数据资源：企业登记数据",
                "数据资源网址",
                "信息资源摘要",
                "数据更新时间",
                "访问数据资源",
            ],
            [
                "Current resource",
                "Resource URL",
                "Dataset description",
                "Data last updated",
                "Go to resource",
            ],
        )

    def test_activity_stream(self, app, portal):
        entry = portal["entry"]
        check(
            get(app, f"/dataset/activity/{entry['name']}"),
            ["审核通过了信息资源", "全部动态类型", "动态类型", "动态时间："],
            ["updated the", "All activity types", "Activity occurred on", "View this version"],
        )

    def test_units(self, app, portal):
        check(
            get(app, "/organization/"),
            ["单位", "检索单位……", "什么是单位？", "益阳市市场监督管理局", "1 条信息资源"],
            [
                "Open details page for",
                "Members",
                "Member",
                "Search organizations",
                "What are Organizations",
            ],
        )

    def test_unit_page(self, app, portal):
        unit = portal["unit"]
        check(
            get(app, f"/organization/{unit['name']}"),
            ["益阳市市场监督管理局", "信息资源", "找到 1 条信息资源", "单位"],
            ["dataset found", "Filter by:", "Navigate to dataset"],
        )

    def test_login(self, app, portal):
        check(
            get(app, "/user/login"),
            ["登录", "用户名或电子邮箱", "密码", "忘记密码？", "注册账户"],
            ["Username or Email", "Create an Account", "Forgot your password"],
        )

    def test_register(self, app, portal):
        check(
            get(app, "/user/register"),
            ["注册账户", "用户名", "姓名", "电子邮箱", "头像"],
            ["Profile picture", "Create datasets, groups", "Full Name"],
        )

    def test_password_reset(self, app, portal):
        check(
            get(app, "/user/reset"),
            ["重置密码", "电子邮箱或用户名", "申请重置"],
            ["Email or username", "Request Reset", "Enter your email address"],
        )

    def test_not_found(self, app, portal):
        check(
            get(app, "/dataset/no-such-entry", status=404),
            ["信息资源不存在，或您无权查看"],
            ["Dataset not found"],
        )

    def test_forbidden(self, app, portal):
        check(
            get(app, "/ckan-admin", status=403),
            ["您可能需要登录才能访问此页面。", "点击此处登录"],
            ["You might need to login", "Click here to login"],
        )


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUnitEditor:
    def test_header(self, app, portal):
        check(
            get(app, "/dataset/", portal["editor"]),
            ["工作台", "退出登录", "个人设置", "登记信息资源"],
            ["Profile settings", "View dashboard", "Account", "Add Dataset"],
        )

    def test_entry_form(self, app, portal):
        check(
            get(app, "/dataset/new", portal["editor"]),
            ["登记信息资源", "什么是信息资源？", "Markdown 格式"],
            [
                "What are datasets",
                "Markdown formatting",
                "You can use",
                "Create Dataset",
                "Next: Add Data",
            ],
        )

    def test_edit_form(self, app, portal):
        entry = portal["entry"]
        check(
            get(app, f"/dataset/edit/{entry['name']}", portal["editor"]),
            ["编辑元数据", "更新信息资源", "数据资源", "查看信息资源"],
            [
                "Update Dataset",
                "Manage resource",
                "Reorder resources",
                "data license",
                "you agree to release",
                "View dataset",
            ],
        )

    def test_resource_form(self, app, portal):
        entry = portal["entry"]
        check(
            get(app, f"/dataset/{entry['name']}/resource/new", portal["editor"]),
            ["挂接新的数据资源", "什么是数据资源？", "数据"],
            ["Add New Resource", "What's a resource", "Save & add another"],
        )

    def test_dashboard(self, app, portal):
        check(
            get(app, "/dashboard/datasets", portal["editor"]),
            ["工作台", "我的信息资源", "我的单位", "关注动态"],
            ["My Datasets", "My Organizations", "News feed"],
        )

    def test_news_feed(self, app, portal):
        check(
            get(app, "/dashboard/", portal["editor"]),
            ["关注动态", "动态来源：", "全部"],
            ["Activity from", "Search followee", "所有事物"],
        )

    def test_profile_edit(self, app, portal):
        editor = portal["editor"]
        check(
            get(app, f"/user/edit/{editor['name']}", portal["editor"]),
            ["修改资料", "姓名", "电子邮箱", "头像", "更新个人资料", "修改密码"],
            ["Profile picture", "Change details", "Update Profile"],
        )

    def test_api_tokens(self, app, portal):
        editor = portal["editor"]
        check(
            get(app, f"/user/{editor['name']}/api-tokens", portal["editor"]),
            ["API 令牌", "令牌", "最后使用时间", "撤销令牌"],
            ["Last access", "Revoke tokens", "Token"],
        )


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestSysadmin:
    def test_unit_members(self, app, portal):
        unit = portal["unit"]
        check(
            get(app, f"/organization/members/{unit['name']}", portal["sysadmin"]),
            ["成员", "2 名成员", "角色", "编辑", "管理员"],
            ["members", "Editor", "Admin"],
        )

    def test_manage_unit_members(self, app, portal):
        unit = portal["unit"]
        check(
            get(app, f"/organization/manage_members/{unit['name']}", portal["sysadmin"]),
            ["添加成员", "导出 CSV", "2 名成员", "修改角色", "删除成员"],
            ["Add Member", "Edit role", "Delete member", "members", "Editor"],
        )

    def test_new_member_roles(self, app, portal):
        unit = portal["unit"]
        check(
            get(app, f"/organization/member_new/{unit['name']}", portal["sysadmin"]),
            ["管理员：", "编辑：", "成员：", "登记、编辑和删除信息资源"],
            ["Admin:", "Editor:", "Member:"],
        )

    def test_activity_stream(self, app, portal):
        entry = portal["entry"]
        check(
            get(app, f"/dataset/activity/{entry['name']}", portal["sysadmin"]),
            ["登记了信息资源", "提交审核了信息资源", "审核通过了信息资源", "查看此版本"],
            ["created the", "updated the", "View this version"],
        )

    def test_admin(self, app, portal):
        check(
            get(app, "/ckan-admin", portal["sysadmin"]),
            ["系统管理", "现有系统管理员", "回收站"],
            ["Current Sysadmins", "Promote", "As a sysadmin user", "Trash"],
        )


@pytest.mark.usefixtures("with_plugins", "with_request_context")
def test_a_date_with_its_time_reads_in_chinese():
    import ckan.plugins.toolkit as tk

    # CKAN's own pattern is English ("November 25, 2026, 09:21 (CST)") in every language
    assert tk.h.render_datetime("2026-11-25T01:21:00", with_hours=True) == "2026年11月25日 09:21"
    assert tk.h.render_datetime("2026-11-25T01:21:00", date_format="%Y-%m-%d") == "2026-11-25"
