"""A unit admin's bulk page offers what review allows — submitting entries for review — not
CKAN's 设为公开/设为非公开/删除, which ended in an English HTTP 500 (issue 12.8)."""

from __future__ import annotations

import bs4
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_bulk_page_submits_for_review_and_says_refusals(app, make_unit, entry_factory):
    admin = factories.User()
    unit = make_unit(users=[{"name": admin["name"], "capacity": "admin"}])
    draft = entry_factory(owner_org=unit["id"], title="草稿甲")
    waiting = entry_factory(owner_org=unit["id"], title="待审乙")
    published = entry_factory(owner_org=unit["id"], title="已发布丙", published=True)
    tk.get_action("yiyang_review_submit")({"user": admin["name"]}, {"id": waiting["id"]})
    headers = {"Authorization": factories.APIToken(user=admin["name"])["token"]}

    page = app.get(f"/organization/bulk_process/{unit['name']}", headers=headers).body
    assert "bulk_action.public" not in page and "bulk_action.delete" not in page
    assert f'name="dataset_{draft["id"]}"' in page
    assert f'name="dataset_{published["id"]}"' not in page
    assert "提交审核" in page

    response = app.post(
        f"/organization/bulk_process/{unit['name']}/submit",
        headers=headers,
        data={f"dataset_{draft['id']}": "on", f"dataset_{waiting['id']}": "on"},
    )
    assert response.status_code == 200
    alerts = [
        a.get_text(" ", strip=True)
        for a in bs4.BeautifulSoup(response.body, "html.parser").select(".alert")
    ]
    assert any(a.startswith("待审乙：") for a in alerts), alerts  # the refusal names the entry
    assert any("已提交审核：1" in a for a in alerts), alerts
    show = tk.get_action("package_show")
    assert show({"ignore_auth": True}, {"id": draft["id"]})["review_status"] == "submitted"
