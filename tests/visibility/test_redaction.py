"""Redaction of 信息项, data resources and contacts in every shape an entry leaves in: no
database (every dict names its entry's id, unit and share type)."""

from __future__ import annotations

import copy
import json

import pytest

from ckanext.yiyang.visibility import grants, index, redaction

PUBLIC_ITEM = {"name": "公开字段甲", "data_type": "integer", "disclosure_scope": "public"}
INTERNAL_ITEM = {"name": "内部字段乙", "data_type": "integer", "disclosure_scope": "internal"}
RESOURCE = {"id": "r1", "name": "数据文件", "url": "http://example.com/data.xlsx"}


def scheming(scope: str = "partial", share: str = "conditional") -> dict:
    return {
        "id": "entry-1",
        "name": "entry-1",
        "type": "dataset",
        "owner_org": "unit-1",
        "share_type": share,
        "disclosure_scope": scope,
        "data_items": [dict(PUBLIC_ITEM), dict(INTERNAL_ITEM)],
        "resources": [dict(RESOURCE)],
        "num_resources": 1,
    }


def default_schema(scope: str = "partial", share: str = "conditional") -> dict:
    return {
        "id": "entry-1",
        "name": "entry-1",
        "type": "dataset",
        "owner_org": "unit-1",
        "extras": [
            {"key": "disclosure_scope", "value": scope},
            {"key": "share_type", "value": share},
            {"key": "data_items", "value": json.dumps([PUBLIC_ITEM, INTERNAL_ITEM])},
        ],
        "resources": [dict(RESOURCE)],
        "num_resources": 1,
    }


def raw(scope: str = "partial", share: str = "conditional") -> dict:
    return {
        "name": "entry-1",
        "validated_data_dict": json.dumps(scheming(scope, share)),
        "data_dict": json.dumps(default_schema(scope, share)),
        "res_url": ["http://example.com/data.xlsx"],
        "res_name": ["数据文件"],
    }


SHAPES = {"scheming": scheming, "default_schema": default_schema, "raw": raw}


def _text(pkg_dict: dict) -> str:
    """Everything in the dict, JSON strings unpacked (as a client would read them)."""
    out = json.dumps(pkg_dict, ensure_ascii=False)
    for key in redaction.RAW_SHAPES:
        if isinstance(pkg_dict.get(key), str):
            out += _text(json.loads(pkg_dict[key]))
    for extra in pkg_dict.get("extras") or []:
        out += str(json.loads(extra["value"])) if extra["key"] == "data_items" else ""
    return out


@pytest.mark.parametrize("shape", SHAPES)
def test_items_of_a_partly_public_entry(shape):
    pkg = SHAPES[shape]()
    assert "内部字段乙" in _text(pkg)
    assert redaction.redact(pkg, items=True) is pkg
    assert "内部字段乙" not in _text(pkg)
    assert "公开字段甲" in _text(pkg)
    assert "数据文件" in _text(pkg)  # the resources stay


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scope", ["public", "internal", "undisclosed"])
def test_items_of_other_scopes_stay(shape, scope):
    pkg = SHAPES[shape](scope)
    before = copy.deepcopy(pkg)
    redaction.redact(pkg, items=True)
    assert pkg == before


@pytest.mark.parametrize("shape", SHAPES)
def test_resources(shape):
    pkg = SHAPES[shape]()
    redaction.redact(pkg, resources=True)
    text = _text(pkg)
    assert "数据文件" not in text and "data.xlsx" not in text
    assert "内部字段乙" in text  # the items stay
    assert not any(key.startswith("res_") for key in pkg)
    if "resources" in pkg:
        assert pkg["resources"] == [] and pkg["num_resources"] == 0


@pytest.mark.parametrize("shape", SHAPES)
def test_nothing_asked_nothing_changed(shape):
    pkg = SHAPES[shape]()
    before = copy.deepcopy(pkg)
    redaction.redact(pkg)
    assert pkg == before


def test_contact():
    contact = {
        "name": "张三",
        "position": "科长",
        "office_phone": "0737-6206182",
        "mobile": "13800000000",
        "email": "zhang@example.com",
    }
    redacted = redaction.redact_contact(contact)
    assert redacted == {**contact, "office_phone": "", "mobile": "", "email": ""}
    assert contact["mobile"] == "13800000000"  # a copy
    assert set(redaction.PRIVATE_CONTACT_FIELDS) == {"office_phone", "mobile", "email"}


def test_trusted_calls_see_contact_details():
    assert redaction.sees_contact_details({"ignore_auth": True})
    assert not redaction.sees_contact_details({})
    assert not redaction.sees_contact_details({"user": ""})


@pytest.mark.parametrize("shape", SHAPES)
def test_facts_of_an_entry_in_every_shape(shape):
    assert redaction.entry_facts(SHAPES[shape]()) == ("entry-1", "unit-1", "conditional")


def test_other_types_have_no_facts():
    assert redaction.entry_facts({"id": "x", "type": "showcase"}) is None


def test_anonymous_viewers_see_the_data_of_open_entries_only():
    entries = [("a", "u", "unconditional"), ("b", "u", "conditional"), ("c", "u", "none")]
    assert grants.granted(None, entries) == {"a"}
    assert grants.granted(None, []) == set()


@pytest.mark.parametrize("share", ["unconditional", "conditional", "none"])
def test_for_an_anonymous_viewer(share):
    pkg = scheming(share=share)
    redaction.for_viewer([pkg], None)
    assert [i["name"] for i in pkg["data_items"]] == ["公开字段甲"]
    assert bool(pkg["resources"]) is (share == "unconditional")


def test_index_splits_the_items_of_a_partly_public_entry():
    pkg = raw()
    index.index_fields(pkg)
    assert pkg[index.ITEMS_FIELD] == ["公开字段甲"]
    assert pkg[index.GOV_ITEMS_FIELD] == ["内部字段乙"]
    assert not any(key.startswith("res_") for key in pkg)  # shared on application


def test_index_keeps_everything_of_an_open_entry():
    pkg = raw(scope="internal", share="unconditional")
    index.index_fields(pkg)
    assert pkg[index.ITEMS_FIELD] == ["公开字段甲", "内部字段乙"]
    assert pkg[index.GOV_ITEMS_FIELD] == []
    assert pkg["res_name"] == ["数据文件"]


@pytest.mark.parametrize("key", ["q", "fq"])
def test_outsiders_may_not_name_the_government_fields(key):
    from ckan.lib.search.common import SearchQueryError

    with pytest.raises(SearchQueryError):
        index.check_query({key: "yiyang_gov_items:内部字段乙"}, government=False)
    with pytest.raises(SearchQueryError):
        index.check_query({"fq_list": ["YIYANG_GOV_items:x"]}, government=False)
    index.check_query({key: "yiyang_gov_items:内部字段乙"}, government=True)
    index.check_query({key: "title:内部字段乙"}, government=False)


def test_query_fields():
    assert index.query_fields(True) == f" {index.GOV_ITEMS_FIELD}^1"
    assert index.query_fields(False) == ""
