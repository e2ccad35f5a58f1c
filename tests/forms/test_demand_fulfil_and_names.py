"""A demand is fulfilled by picking one of the providing unit's published entries (by title or
code), and people are named by full name and unit, never by login name (issue 12.10)."""

from __future__ import annotations

import bs4
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_fulfil_picks_a_published_entry_and_names_are_full(
    app, people, raise_demand, entry_factory
):
    unit = people["provider_unit"]
    published = entry_factory(owner_org=unit["id"], published=True, title="户籍人口基本信息")
    entry_factory(owner_org=unit["id"], title="未发布的草稿")
    entry_factory(owner_org=people["third_unit"]["id"], published=True, title="他单位的信息")
    demand = raise_demand()
    admin = people["admin"]["name"]
    tk.get_action("yiyang_demand_accept")({"user": admin}, {"id": demand["id"]})
    tk.get_action("yiyang_demand_comment")(
        {"user": people["requester"]["name"]}, {"id": demand["id"], "body": "请尽快"}
    )

    headers = {"Authorization": factories.APIToken(user=admin)["token"]}
    page = app.get(f"/demand/{demand['id']}", headers=headers).body
    soup = bs4.BeautifulSoup(page, "html.parser")
    options = [o.text for o in soup.select("select#fulfil-dataset option[value]") if o["value"]]
    assert options == [f"{published['resource_code']} 户籍人口基本信息"]
    assert soup.select_one("#fulfil-dataset-filter") is not None

    requester = people["requester"]
    text = soup.get_text(" ")
    assert requester["name"] not in text  # the login name is not shown …
    assert f"{requester['fullname']}（市教育局）" in text  # … the full name and unit are

    response = app.post(
        f"/demand/{demand['id']}/fulfil",
        headers=headers,
        data={"dataset_id": published["name"]},
    )
    assert response.status_code == 200
    shown = tk.get_action("yiyang_demand_show")({"user": admin}, {"id": demand["id"]})
    assert shown["status"] == "fulfilled"
