"""The demo catalog: loaded through the actions, in every review state, with 信息项, data
files, applications, demands and notices; a second load changes nothing; reset restores it."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.demand.model import Demand
from ckanext.yiyang.demo import catalog
from ckanext.yiyang.demo import load as demo
from ckanext.yiyang.portal.model import Notice
from ckanext.yiyang.subscription.model import Subscription

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def city():
    """The demo's units (as load-units names them) and the office."""
    for _short, name, _editor, _admin in catalog.UNITS:
        factories.Organization(name=name, title=name, unit_group=name[5:7], unit_code=name[7:10])
    factories.Organization(name=config.office_org(), title="市电子政务办")


def counts() -> dict:
    def count(table):
        return model.Session.execute(sa.select(sa.func.count()).select_from(table)).scalar()

    packages = (
        model.Session.query(model.Package)
        .filter(model.Package.name.like("demo-%"), model.Package.state == "active")
        .all()
    )
    return {
        "entries": len(packages),
        "resources": sum(len(p.resources) for p in packages),
        "states": sorted((p.extras or {}).get("review_status") for p in packages),
        "applications": count(Subscription),
        "demands": count(Demand),
        "notices": count(Notice),
        "users": model.Session.query(model.User).filter(model.User.name.like("demo-%")).count(),
    }


def test_load_twice_gives_the_same_catalog_and_reset_restores_it(city):
    first = demo.load()
    loaded = counts()
    assert loaded["entries"] == len(catalog.ENTRIES)
    assert set(loaded["states"]) == {"draft", "submitted", "returned", "published", "withdrawn"}
    assert loaded["resources"] == sum(1 for e in catalog.ENTRIES if e.rows)
    assert loaded["applications"] == len(catalog.APPLICATIONS)
    assert loaded["demands"] == len(catalog.DEMANDS)
    assert loaded["notices"] == len(catalog.NOTICES)
    assert loaded["users"] == 2 * len(catalog.UNITS) + 1
    assert first.created["entries"] == len(catalog.ENTRIES)

    again = demo.load()
    assert counts() == loaded
    assert again.created == {}
    assert again.existing["entries"] == len(catalog.ENTRIES)

    # somebody plays with the demo: deletes an entry, files a demand, approves an application
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    tk.get_action("package_delete")(dict(site), {"id": "demo-housing-permits"})
    tk.get_action("yiyang_demand_create")(
        {"user": demo.user_name("civil", "admin")},
        {
            "title": "试用时提的需求",
            "content": "内容",
            "purpose": "用途",
            "update_frequency": "monthly",
        },
    )
    assert counts() != loaded

    demo.reset()
    assert counts() == loaded
    assert model.Package.get("demo-housing-permits").state == "active"


def test_the_demo_shows_on_the_home_page_and_search(city):
    demo.load()
    found = tk.get_action("package_search")({"user": None}, {"q": "户籍人口"})
    assert [r["name"] for r in found["results"]] == ["demo-police-population"]
    # a pending change keeps the published version visible
    shown = tk.get_action("package_show")({"user": None}, {"id": "demo-police-vehicles"})
    assert shown["review_status"] == "published"
    figures = tk.get_action("yiyang_portal_stats_show")({"user": None}, {})
    assert figures["total"] >= 8
    assert figures["most_applied"][0]["name"] == "demo-police-population"
    # a demo account logs in with the demo password
    user = model.User.get(demo.user_name("police", "editor"))
    assert user is not None and user.validate_password(catalog.PASSWORD)


def test_without_the_units_the_demo_says_what_to_run():
    with pytest.raises(demo.DemoError, match="load-units"):
        demo.load()
