"""Catalogs harvesting each other (no loops), a harvest on the job worker, a stock CKAN."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.tests import factories

from ckanext.yiyang import config
from tests.conftest import ROOT
from tests.harvest.test_harvest_county import (
    county_entry,
    harvest,
    harvested,
    make_source,
    with_code,
)

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")]


def copies(portal: Any, title: str) -> list[dict[str, Any]]:
    found = portal.action("package_search", q=f'title:"{title}"', include_private=True)
    return list(found["results"])


def copies_here(title: str) -> list[str]:
    found = tk.get_action("package_search")(
        {"ignore_auth": True}, {"q": f'title:"{title}"', "include_private": True}
    )
    return [e["id"] for e in found["results"]]


def test_each_harvests_the_other_without_loops(
    county_portal: Any, live_portal: str, entry_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the city in this process is the portal live_portal serves (same database)
    monkeypatch.setitem(tk.config, "ckan.site_url", live_portal)
    county_made = county_entry(county_portal, "资阳区往返测试信息")
    city_made = entry_factory(published=True, title="益阳市往返测试信息")
    # the two catalogs number their entries each for itself: the city already holds the
    # county entry's code (CI's order once gave both 102/000001 and the harvest errored)
    same_code = entry_factory(published=True, title="益阳市同码信息")
    model.Session.execute(
        sa.text(
            "UPDATE package SET extras = jsonb_set(extras, '{resource_code}', to_jsonb(CAST(:code AS text)))"
            " WHERE id = :id"
        ),
        {"code": county_made["resource_code"], "id": same_code["id"]},
    )
    model.Session.commit()
    model.Session.expire_all()  # CKAN's session keeps objects over a commit
    search.rebuild(same_code["id"])
    source = make_source(county_portal.url, name="ziyang")
    assert harvest(source["id"]) == {"added": 1}
    assert harvested(county_made["resource_code"])["title"] == "资阳区往返测试信息"
    assert [
        e["id"] for e in with_code(county_made["resource_code"]) if not e.get("harvest_origin")
    ] == [same_code["id"]]

    # the county harvests the city, on its own job worker (a real `ckan jobs worker`)
    back = county_portal.action(
        "harvest_source_create",
        url=live_portal,
        name=f"yiyang-city-{uuid.uuid4().hex[:8]}",
        title="益阳市",
        source_type="yiyang",
        owner_org=config.office_org(),
    )
    county_portal.action("harvest_job_create", source_id=back["id"])
    county_portal.ckan("jobs", "worker", "--burst")
    # the city's own entry came; the city's copy of the county's entry did not come back
    assert [e["harvest_origin"] for e in copies(county_portal, "益阳市往返测试信息")] == [
        live_portal
    ]
    assert [e["id"] for e in copies(county_portal, "资阳区往返测试信息")] == [county_made["id"]]
    job = county_portal.action("harvest_source_show_status", id=back["id"])
    assert job["last_job"]["status"] == "Finished"
    # the city's two own entries; one has the code of the county's own entry (scoped there too)
    assert job["last_job"]["stats"].get("added") == 2

    # and the city does not take its own entry back from the county
    assert harvest(source["id"]) == {}
    own = [e["id"] for e in with_code(city_made["resource_code"]) if not e.get("harvest_origin")]
    assert own == [city_made["id"]]
    assert copies_here("益阳市往返测试信息") == [city_made["id"]]


def test_a_harvest_runs_on_the_job_worker(county_portal: Any) -> None:
    entry = county_entry(county_portal, "南县作业测试信息")
    source = make_source(county_portal.url, name="nanxian", title="南县")
    tk.get_action("job_clear")({"ignore_auth": True}, {})  # earlier tests' jobs
    sysadmin = factories.Sysadmin()
    job = tk.get_action("harvest_job_create")(
        {"user": sysadmin["name"]}, {"source_id": source["id"]}
    )
    queued = tk.get_action("job_list")({"ignore_auth": True}, {})
    assert [j["title"] for j in queued] == ["Harvest of 南县"]
    worker = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "ckan"),
            "-c",
            tk.config["__file__"],
            "jobs",
            "worker",
            "--burst",
        ],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    model.Session.remove()
    shown = tk.get_action("harvest_job_show")({"user": sysadmin["name"]}, {"id": job["id"]})
    assert shown["status"] == "Finished"
    assert shown["stats"]["added"] == 1
    assert harvested(entry["resource_code"])["title"] == "南县作业测试信息"


def test_a_stock_ckan_catalog_is_harvested(stock_portal: Any, make_unit: Any) -> None:
    orgs = stock_portal.action("organization_list", all_fields=True)
    org = next((o for o in orgs if o["name"] == "stock-dept"), None) or stock_portal.action(
        "organization_create", name="stock-dept", title="Stock Department"
    )
    plain = stock_portal.action(
        "package_create",
        name="plain-ckan-dataset",
        title="桃江县公共厕所分布",
        notes="A plain CKAN dataset",
        owner_org=org["id"],
        tags=[{"name": "厕所"}],
        extras=[{"key": "update_cycle", "value": "monthly"}],
        resources=[{"url": "http://example.com/toilets.csv", "name": "toilets", "format": "CSV"}],
    )
    defaults = {
        "catalog_category": "201",
        "subject_category": "20",
        "format_class": "spreadsheet",
        "share_type": "unconditional",
        "share_method": "platform_file",
        "open_to_public": "yes",
        "open_condition": "无",
        "update_cycle": "irregular",
        "disclosure_scope": "public",
        "management_mode": "computer",
        "data_items": [
            {"name": "名称", "data_type": "string", "length": 50, "disclosure_scope": "public"}
        ],
    }
    source = make_source(
        stock_portal.url,
        name="taojiang",
        title="桃江县",
        config=json.dumps({"defaults": defaults}),
    )
    assert harvest(source["id"]) == {"added": 1}
    found = tk.get_action("package_search")(
        {"ignore_auth": True}, {"q": 'title:"桃江县公共厕所分布"', "include_private": True}
    )
    copy = found["results"][0]
    assert copy["resource_code"].startswith("201/")  # given here: a stock entry has none
    assert copy["update_cycle"] == "monthly"  # from its extras
    assert copy["harvest_origin"] == stock_portal.url
    assert copy["harvest_source_url"].endswith(f"/dataset/{plain['name']}")
    assert [r["url"] for r in copy["resources"]] == ["http://example.com/toilets.csv"]
    assert harvest(source["id"]) == {}
