"""What counts as a change of an entry's metadata (review/diff.py), as functions: no database,
no index — only the dataset schema, which the loaded plugins provide."""

from __future__ import annotations

import pytest

from ckanext.yiyang.review import diff

pytestmark = pytest.mark.usefixtures("with_plugins")

ENTRY = {
    "title": "企业注册登记信息",
    "notes": "全市企业的注册登记信息。",
    "tag_string": "企业,注册登记",
    "update_cycle": "daily",
    "data_items": [{"name": "企业名称", "data_type": "string", "length": 200}],
}


def test_the_same_entry_in_the_shapes_the_form_the_api_and_package_show_write():
    shown = {
        **ENTRY,
        "tag_string": None,
        "tags": [{"name": "注册登记"}, {"name": "企业"}],
        "notes": " 全市企业的注册登记信息。 ",
        "data_items": [
            {"name": "企业名称", "data_type": "string", "length": "200", "__extras": {}}
        ],
        "share_condition": "",
    }
    assert diff.changes(ENTRY, shown) == []
    assert diff.snapshot(ENTRY) == diff.snapshot(shown)


def test_each_changed_field_once_with_both_values():
    changed = {**ENTRY, "title": "企业登记信息", "tag_string": "企业", "update_cycle": None}
    assert diff.changes(ENTRY, changed) == [
        {"field": "title", "old": "企业注册登记信息", "new": "企业登记信息"},
        {"field": "tags", "old": ["企业", "注册登记"], "new": ["企业"]},
        {"field": "update_cycle", "old": "daily", "new": None},
    ]


def test_a_changed_data_item_is_a_change_of_data_items():
    changed = {**ENTRY, "data_items": [{**ENTRY["data_items"][0], "length": 100}]}
    (change,) = diff.changes(ENTRY, changed)
    assert change["field"] == "data_items"
    assert change["old"][0]["length"] == "200" and change["new"][0]["length"] == "100"


def test_the_systems_own_fields_are_no_change():
    stamped = {
        **ENTRY,
        "resource_code": "002006-102-02-0001",
        "metadata_id": "x",
        "release_date": "2026-01-01",
        "review_status": "published",
    }
    assert diff.changes(ENTRY, stamped) == []
    assert not set(diff.snapshot(stamped)) & diff.SYSTEM_FIELDS
