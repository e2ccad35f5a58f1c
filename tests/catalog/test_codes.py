"""Resource codes (信息资源代码), metadata identifiers and URL names (catalog-model §4)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import ckan.plugins.toolkit as tk
import ckanapi
import pytest
from ckan.tests import factories

from ckanext.yiyang.catalog import codes

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


def test_code_is_category_slash_six_digits_counted_per_category(entry_factory):
    first = entry_factory(catalog_category="101")
    second = entry_factory(catalog_category="101")
    other = entry_factory(catalog_category="302015")
    assert first["resource_code"] == "101/000001"
    assert second["resource_code"] == "101/000002"
    assert other["resource_code"] == "302015/000001"


def test_name_is_derived_from_the_code_unless_given(entry_factory):
    entry = entry_factory(catalog_category="101")
    assert entry["name"] == "101-000001"
    named = entry_factory(catalog_category="101", name="qiye-dengji")
    assert named["name"] == "qiye-dengji"


def test_metadata_id_is_generated_and_unique(entry_factory):
    a, b = entry_factory(), entry_factory()
    assert re.fullmatch(r"430900-[0-9a-f]{32}", a["metadata_id"])
    assert a["metadata_id"] != b["metadata_id"]


def test_caller_cannot_choose_the_codes(sysadmin, make_unit, entry_data):
    data = entry_data(make_unit()["id"], resource_code="101/999999", metadata_id="mine")
    entry = tk.get_action("package_create")({"user": sysadmin["name"]}, data)
    assert entry["resource_code"] != "101/999999"
    assert entry["metadata_id"] != "mine"


@pytest.mark.parametrize("action", ["package_update", "package_patch"])
def test_codes_never_change_on_update(sysadmin, entry_factory, action):
    entry = entry_factory(catalog_category="101")
    change = {
        "id": entry["id"],
        "resource_code": "999/000001",
        "metadata_id": "changed",
        "release_date": "2001-01-01",
        "review_status": "published",
        "catalog_category": "203",
        "title": "改过的名称",
    }
    if action == "package_update":
        change = {**entry, **change}
    updated = tk.get_action(action)({"user": sysadmin["name"]}, change)
    assert updated["title"] == "改过的名称"
    assert updated["catalog_category"] == "203"
    assert updated["resource_code"] == entry["resource_code"]
    assert updated["metadata_id"] == entry["metadata_id"]
    assert updated["review_status"] == "draft"
    assert "release_date" not in updated


def test_a_deleted_entry_keeps_its_number(sysadmin, entry_factory):
    first = entry_factory(catalog_category="105")
    tk.get_action("package_delete")({"user": sysadmin["name"]}, {"id": first["id"]})
    second = entry_factory(catalog_category="105")
    assert second["resource_code"] == "105/000002"


def test_failed_creation_never_reuses_a_number(sysadmin, make_unit, entry_data):
    org = make_unit()["id"]
    with pytest.raises(tk.ValidationError):
        tk.get_action("package_create")(
            {"user": sysadmin["name"]}, entry_data(org, catalog_category="104", notes="")
        )
    entry = tk.get_action("package_create")(
        {"user": sysadmin["name"]}, entry_data(org, catalog_category="104")
    )
    assert entry["resource_code"] not in {"104/000000"}
    assert codes.package_id_by_code(entry["resource_code"]) == entry["id"]


def test_codes_are_unique_under_concurrent_creation(live_portal, sysadmin, make_unit, entry_data):
    """Forty entries created at once by eight clients of a real portal process: the portal's
    threads and the test share nothing but PostgreSQL."""
    org = make_unit()["id"]
    token = factories.APIToken(user=sysadmin["name"])["token"]

    def create(i: int) -> str:
        with ckanapi.RemoteCKAN(live_portal, apikey=token) as ckan:
            entry = ckan.action.package_create(
                **entry_data(org, title=f"并发创建的信息资源{i}", catalog_category="201")
            )
            return entry["resource_code"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(create, range(40)))
    assert len(set(made)) == 40
    assert sorted(made) == [f"201/{n:06d}" for n in range(1, 41)]


def test_refused_entries_leave_no_gap(sysadmin, make_unit, entry_data):
    org = make_unit()["id"]
    for _ in range(3):
        with pytest.raises(tk.ValidationError):
            tk.get_action("package_create")(
                {"user": sysadmin["name"]}, entry_data(org, catalog_category="202", notes="")
            )
    entry = tk.get_action("package_create")(
        {"user": sysadmin["name"]}, entry_data(org, catalog_category="202")
    )
    assert entry["resource_code"] == "202/000001"
