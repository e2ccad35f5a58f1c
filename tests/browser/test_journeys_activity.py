"""Issue 12 point 12, last sentence, on the pages: the activity stream of an entry says what
happened — submitted, approved, returned, a change published — to every reader who may see the
activity, anonymous ones too (who do not see the entry's activities from before it was
published, so the step cannot be read off the previous one), in Chinese and under /en."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def entry(make_unit, browser_user, entry_data):
    """A public entry of 市统计局: submitted, returned, fixed, approved; then a change of it
    submitted and approved."""
    editor = browser_user(fullname="刘编辑")
    reviewer = browser_user(fullname="陈审核")
    unit = make_unit(title="市统计局", users=[{"name": editor["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        image_url="",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    as_editor, as_reviewer = {"user": editor["name"]}, {"user": reviewer["name"]}
    data = entry_data(unit["id"], title="国民经济主要指标", disclosure_scope="public")
    entry = tk.get_action("package_create")(dict(as_editor), data)
    step = {"id": entry["id"]}
    tk.get_action("yiyang_review_submit")(dict(as_editor), step)
    tk.get_action("yiyang_review_return")(dict(as_reviewer), {**step, "opinion": "请补充口径"})
    tk.get_action("package_patch")(dict(as_editor), {**step, "notes": "全市国民经济主要指标。"})
    tk.get_action("yiyang_review_submit")(dict(as_editor), step)
    tk.get_action("yiyang_review_approve")(dict(as_reviewer), step)
    tk.get_action("package_patch")(dict(as_editor), {**step, "title": "国民经济主要指标（月度）"})
    tk.get_action("yiyang_review_submit")(dict(as_editor), step)
    tk.get_action("yiyang_review_approve")(dict(as_reviewer), step)
    return {"entry": entry, "editor": editor, "reviewer": reviewer}


def stream(page, url: str) -> str:
    """The stream's items (those the page folds away too), one a line, spaces collapsed."""
    page.goto(url)
    items = page.locator("ul.activity li.item").all_text_contents()
    return "\n".join(" ".join(item.split()) for item in items)


def test_anonymous_readers_see_the_approval_and_the_published_change(live_portal, page, entry):
    url = f"{live_portal}/dataset/activity/{entry['entry']['name']}"
    text = stream(page, url)
    assert "陈审核 审核通过了信息资源 国民经济主要指标" in text, text
    assert "刘编辑 对信息资源 国民经济主要指标（月度） 的修改已审核通过并发布" in text, text
    assert "更新了" not in text, text

    text = stream(page, f"{live_portal}/en/dataset/activity/{entry['entry']['name']}")
    assert "approved the entry" in text, text
    assert "change" in text and "was approved and published" in text, text
    assert "updated" not in text, text


def test_the_unit_sees_every_step(live_portal, page, log_in, entry):
    log_in(page, entry["editor"]["name"])
    text = stream(page, f"{live_portal}/dataset/activity/{entry['entry']['name']}")
    for said in (
        "提交审核了信息资源",
        "退回了信息资源",
        "审核通过了信息资源",
        "的修改已审核通过并发布",
    ):
        assert said in text, (said, text)
    text = stream(page, f"{live_portal}/en/dataset/activity/{entry['entry']['name']}")
    for said in ("submitted the entry", "returned the entry", "approved the entry"):
        assert said in text, (said, text)
