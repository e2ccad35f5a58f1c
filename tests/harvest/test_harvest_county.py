"""The city harvests a county running this platform (a second portal, real processes)."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.harvest import jobs
from tests.conftest import _entry_data

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")]

COUNTY_UNIT = "unit-02006"


def county_entry(county: Any, title: str, **overrides: Any) -> dict[str, Any]:
    """A published entry of the county (made, submitted and approved through its API)."""
    data = _entry_data(COUNTY_UNIT, title=title, **overrides)
    entry = county.action("package_create", **data)
    for step in ("submit", "approve"):
        entry = county.action(f"yiyang_review_{step}", id=entry["id"])
    return dict(county.action("package_show", id=entry["id"]))


def harvest(source_id: str) -> dict[str, int]:
    sysadmin = model.User.by_name(
        tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    )
    job = tk.get_action("harvest_job_create")(
        {"user": sysadmin.name}, {"source_id": source_id, "run": False}
    )
    counts = jobs.run_job(job["id"])
    if counts.get("errored"):
        # say why, in the failing assertion's neighbourhood
        from ckanext.harvest.model import HarvestGatherError, HarvestObject, HarvestObjectError

        errors = [
            e.message
            for e in model.Session.query(HarvestObjectError)
            .join(HarvestObject)
            .filter(HarvestObject.harvest_job_id == job["id"])
        ] + [
            e.message
            for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job["id"])
        ]
        print(f"harvest job {job['id']} errors: {errors}")
    return counts


def make_source(url: str, **extra: Any) -> dict[str, Any]:
    """A harvest source of the office (sources belong to the e-government office)."""
    from ckanext.yiyang import config

    sysadmin = factories.Sysadmin()
    office = model.Group.get(config.office_org()) or model.Group.get(
        factories.Organization(name=config.office_org(), title="市电子政务办")["id"]
    )
    return dict(
        tk.get_action("harvest_source_create")(
            {"user": sysadmin["name"]},
            {
                "url": url,
                "name": extra.pop("name", "heshan"),
                "title": extra.pop("title", "赫山区"),
                "source_type": "yiyang",
                "owner_org": office.id,
                **extra,
            },
        )
    )


def with_code(resource_code: str) -> list[dict[str, Any]]:
    """The city's entries with a code: its own and harvested copies (each catalog numbers
    its entries itself, so a county's code may also be one of the city's)."""
    found = tk.get_action("package_search")(
        {"ignore_auth": True},
        {"fq": f'resource_code:"{resource_code}"', "include_private": True},
    )
    return list(found["results"])


def harvested(resource_code: str) -> dict[str, Any]:
    """The one harvested copy with a code."""
    copies = [e for e in with_code(resource_code) if e.get("harvest_origin")]
    assert len(copies) == 1, copies
    return dict(tk.get_action("package_show")({"ignore_auth": True}, {"id": copies[0]["id"]}))


def test_created_changed_withdrawn_deleted_followed(county_portal: Any) -> None:
    one = county_entry(county_portal, "赫山区企业登记信息")
    two = county_entry(county_portal, "赫山区户籍人口信息", catalog_category="101")
    three = county_entry(county_portal, "赫山区道路信息", catalog_category="201")
    # read with a token of the county: the internal view (all 信息项 of a 部分公开 entry)
    source = make_source(county_portal.url, config=json.dumps({"api_key": county_portal.token}))

    assert harvest(source["id"]) == {"added": 3}
    copy = harvested(one["resource_code"])
    assert copy["resource_code"] == one["resource_code"]
    assert copy["metadata_id"] == one["metadata_id"]
    assert copy["review_status"] == "published"
    assert copy["harvest_origin"] == county_portal.url
    assert copy["harvest_source_url"] == f"{county_portal.url}/dataset/{one['name']}"
    unit = tk.get_action("organization_show")({"ignore_auth": True}, {"id": copy["owner_org"]})
    assert unit["unit_group"] == "06"
    assert unit["title"].startswith("赫山区·")
    assert [i["name"] for i in copy["data_items"]] == [i["name"] for i in one["data_items"]]
    # anonymous readers see it as the county's public readers do
    assert tk.get_action("package_show")({"user": ""}, {"id": copy["id"]})["title"] == one["title"]

    # a second harvest with nothing changed changes nothing
    before = harvested(one["resource_code"])["metadata_modified"]
    assert harvest(source["id"]) == {}
    assert harvested(one["resource_code"])["metadata_modified"] == before

    # changed there → changed here; withdrawn there and deleted there → withdrawn here
    # (a change of a published entry is a pending revision there until approved)
    county_portal.action("package_patch", id=one["id"], title="赫山区企业登记信息（2026）")
    for step in ("submit", "approve"):
        county_portal.action(f"yiyang_review_{step}", id=one["id"])
    county_portal.action("yiyang_review_withdraw", id=two["id"], reason="停止共享")
    # (a published entry is deleted only once withdrawn; purged: gone from the database)
    county_portal.action("yiyang_review_withdraw", id=three["id"], reason="撤销")
    county_portal.action("package_delete", id=three["id"])
    county_portal.action("dataset_purge", id=three["id"])
    assert harvest(source["id"]) == {"updated": 1, "deleted": 2}
    assert harvested(one["resource_code"])["title"] == "赫山区企业登记信息（2026）"
    for gone in (two, three):
        copy = harvested(gone["resource_code"])
        assert copy["review_status"] == "withdrawn"
        assert copy["private"] is True
    assert harvest(source["id"]) == {}


@pytest.mark.usefixtures("with_request_context")
def test_harvested_entries_are_read_only(county_portal: Any) -> None:
    entry = county_entry(county_portal, "赫山区只读测试信息")
    source = make_source(county_portal.url, name="heshan-ro")
    harvest(source["id"])
    copy = harvested(entry["resource_code"])
    # read anonymously: the county's public view (only the public 信息项 of 部分公开)
    assert [item["name"] for item in copy["data_items"]] == ["企业名称"]
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    messages: dict[str, str] = {}
    for action, data in (
        ("package_patch", {"id": copy["id"], "title": "改"}),
        ("package_update", {**copy, "title": "改"}),
        ("package_delete", {"id": copy["id"]}),
        ("resource_create", {"package_id": copy["id"], "url": "http://example.com/x.csv"}),
        ("yiyang_review_withdraw", {"id": copy["id"], "reason": "不要"}),
    ):
        try:
            tk.get_action(action)(dict(context), data)
        except tk.ValidationError as refused:
            messages[action] = str(refused.error_dict)
    assert set(messages) == {"package_patch", "package_update", "package_delete"} | {
        "resource_create",
        "yiyang_review_withdraw",
    }
    # (review refuses first to delete a published entry; once withdrawn, the harvest guard does)
    del messages["package_delete"]
    assert all("只读" in message for message in messages.values()), messages


@pytest.mark.usefixtures("with_request_context")
def test_a_record_error_is_kept_in_chinese(county_portal: Any) -> None:
    from ckanext.harvest.model import HarvestObjectError

    # a level (细目) the county's office added, unknown in the city: the entry is refused here
    known = county_portal.action("yiyang_category_tree")["nodes"]
    if "10177" not in json.dumps(known):
        county_portal.action(
            "yiyang_category_create", parent="101", code="77", title="赫山区自设细目"
        )
    county_entry(county_portal, "赫山区细目测试信息", catalog_category="10177")
    source = make_source(county_portal.url, name="heshan-err")
    assert harvest(source["id"]) == {"errored": 1}
    messages = [error.message for error in model.Session.query(HarvestObjectError)]
    assert len(messages) == 1
    assert "catalog_category" in messages[0]
    assert "被拒绝" in messages[0]
