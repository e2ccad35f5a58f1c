"""The catalog's conditional rules (catalog/logic/validators.py) as functions on flattened
data, the shape navl hands them: no database, no index, no action."""

from __future__ import annotations

import types

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.navl.dictization_functions import StopOnError

from ckanext.yiyang.catalog.logic import validators as v

pytestmark = pytest.mark.usefixtures("with_request_context")


def run(validator, key: str, data: dict, context: dict | None = None):
    """(errors, data after, whether the validator stopped the field's chain)."""
    flat = {(k,): value for k, value in data.items()}
    errors: dict = {}
    try:
        validator((key,), flat, errors, context or {})
        stopped = False
    except StopOnError:
        stopped = True
    return errors.get((key,), []), {k[0]: value for k, value in flat.items()}, stopped


def test_required_except_in_a_draft():
    errors, data, stopped = run(v.yiyang_required, "title", {"title": ""})
    assert errors and stopped and "title" not in data
    errors, data, stopped = run(v.yiyang_required, "title", {"title": "", "state": "draft"})
    assert errors == [] and stopped and "title" not in data
    # a draft already saved: its state comes from the package being updated
    draft = {"package": types.SimpleNamespace(state="draft")}
    assert run(v.yiyang_required, "title", {"title": None}, draft)[0] == []
    assert run(v.yiyang_required, "title", {"title": "目录"}) == ([], {"title": "目录"}, False)


def test_a_blank_rows_hidden_template_fields_are_empty():
    assert run(v.yiyang_required, "x", {"x": {"name": "", "length": None}})[0]


@pytest.mark.parametrize(
    "share_type,condition,state,wanted",
    [
        ("conditional", "", None, True),
        ("conditional", "用于税务征管", None, False),
        ("none", "", None, True),
        ("unconditional", "", None, False),
        ("conditional", "", "draft", False),
    ],
)
def test_share_condition(share_type, condition, state, wanted):
    data = {"share_type": share_type, "share_condition": condition}
    if state:
        data["state"] = state
    assert bool(run(v.yiyang_share_condition, "share_condition", data)[0]) is wanted


def test_not_sharing_and_not_sharing_basis_have_different_messages():
    conditional = run(v.yiyang_share_condition, "c", {"share_type": "conditional", "c": ""})[0]
    none = run(v.yiyang_share_condition, "c", {"share_type": "none", "c": ""})[0]
    assert conditional and none and conditional != none


def test_share_method_dropped_when_not_shared_required_otherwise():
    errors, data, stopped = run(
        v.yiyang_share_method, "share_method", {"share_type": "none", "share_method": "x"}
    )
    assert errors == [] and stopped and "share_method" not in data
    errors, data, stopped = run(
        v.yiyang_share_method, "share_method", {"share_type": "conditional", "share_method": ""}
    )
    assert errors and stopped
    draft = {"share_type": "conditional", "share_method": "", "state": "draft"}
    assert run(v.yiyang_share_method, "share_method", draft)[0] == []
    kept = {"share_type": "conditional", "share_method": "platform_api"}
    assert run(v.yiyang_share_method, "share_method", kept) == ([], kept, False)


def test_open_condition_only_when_open_to_the_public():
    key = "open_condition"
    assert run(v.yiyang_open_condition, key, {"open_to_public": "yes", key: ""})[0]
    assert run(v.yiyang_open_condition, key, {"open_to_public": "no", key: ""})[0] == []
    assert run(v.yiyang_open_condition, key, {"open_to_public": "yes", key: "注册后下载"})[0] == []


def test_keywords_as_tag_string_or_as_tags():
    assert run(v.yiyang_keywords, "tag_string", {"tag_string": ""})[0]
    flat = {("tag_string",): "", ("tags", 0, "name"): "企业"}
    errors: dict = {}
    v.yiyang_keywords(("tag_string",), flat, errors, {})
    assert errors == {}


def test_positive_whole_numbers():
    assert v.yiyang_positive_int(" 12 ", {}) == 12
    assert v.yiyang_positive_int("", {}) == ""
    for bad in ("0", "-3", "1.5", "十二"):
        with pytest.raises(tk.Invalid):
            v.yiyang_positive_int(bad, {})
