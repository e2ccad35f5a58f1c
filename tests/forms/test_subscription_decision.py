"""The decider sees the requested 信息项 and period of an application, and /subscriptions
opens on the tab with pending work (issue 12.11)."""

from __future__ import annotations

import bs4
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_decider_sees_items_and_period_on_the_tab_with_work(app, world, apply):
    entry = world["entries"]["conditional"]
    item = entry["data_items"][0]["name"]
    apply(data_item_names=[item], valid_until="2030-12-31")
    admin = world["users"]["provider_admin"]
    headers = {"Authorization": factories.APIToken(user=admin["name"])["token"]}

    page = bs4.BeautifulSoup(app.get("/subscriptions", headers=headers).body, "html.parser")
    assert "active" in page.select_one('a.nav-link[href$="scope=received"]')["class"]
    requested = page.select_one(".yiyang-requested").get_text(" ", strip=True)
    assert item in requested and "2030-12-31" in requested
    applicant = world["users"]["applicant_member"]
    assert applicant["fullname"] in page.select_one(".yiyang-applicant").get_text()

    member = world["users"]["applicant_member"]
    mine = {"Authorization": factories.APIToken(user=member["name"])["token"]}
    page = bs4.BeautifulSoup(app.get("/subscriptions", headers=mine).body, "html.parser")
    assert "active" in page.select_one('a.nav-link[href$="scope=applied"]')["class"]
