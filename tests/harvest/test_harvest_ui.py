"""The office manages harvest sources in ckanext-harvest's pages, in Chinese under our base
templates; nobody else does."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.harvest.test_harvest_county import make_source

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")]


def token(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_the_office_manages_sources_in_chinese_pages(app: Any, make_unit: Any) -> None:
    source = make_source("http://county.example.com", name="anhua", title="安化县")
    admin = token(factories.Sysadmin())
    listing = app.get("/harvest", headers=admin)
    assert listing.status_code == 200
    assert "安化县" in listing.body
    assert 'lang="zh' in listing.body  # our base templates, the Chinese locale
    assert "添加采集源" in listing.body  # ckanext-harvest's own strings, in Chinese
    page = app.get(f"/harvest/{source['name']}", headers=admin)
    assert page.status_code == 200
    assert "益阳目录平台" in app.get("/harvest/new", headers=admin).body  # our source type
    assert app.get(f"/harvest/admin/{source['name']}", headers=admin).status_code == 200
    anonymous = app.get("/harvest")
    assert "安化县" not in anonymous.body
    assert app.get(f"/harvest/admin/{source['name']}").status_code in (403, 404)


@pytest.mark.usefixtures("with_request_context")
def test_only_the_office_manages_harvests(make_unit: Any) -> None:
    source = make_source("http://county.example.com", name="yuanjiang", title="沅江市")
    unit_admin = factories.User()
    make_unit(users=[{"name": unit_admin["name"], "capacity": "admin"}])
    for action, data in (
        ("harvest_source_update", {"id": source["id"]}),
        ("harvest_job_create", {"source_id": source["id"]}),
        ("harvest_source_show", {"id": source["id"]}),
    ):
        with pytest.raises(tk.NotAuthorized, match="电子政务办"):
            tk.check_access(action, {"user": unit_admin["name"]}, data)
