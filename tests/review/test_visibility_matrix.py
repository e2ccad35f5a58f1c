"""Who sees what (catalog-model §6): every viewer × 公开范围 × review state × path out.

One scenario is built (20 entries: 4 scopes × 5 review states, moved there through the review
actions) and every cell is checked; all mismatches are reported together.
"""

from __future__ import annotations

import itertools
import json

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

# The scenario is built once for the module (module_clean_db): the tests only read it.
pytestmark = pytest.mark.usefixtures("with_plugins")

SCOPES = ("public", "partial", "internal", "undisclosed")
STATES = ("draft", "submitted", "returned", "published", "withdrawn")
VIEWERS = ("anonymous", "registered", "other_unit", "own_unit", "reviewer", "sysadmin")
PATHS = (
    "page",
    "package_show",
    "search_results",
    "facet_counts",
    "activity",
    "recent_activity",
    "autocomplete",
    "package_list",
)


def expected(viewer: str, scope: str, state: str) -> bool:
    """§6, as a function."""
    if viewer in ("own_unit", "reviewer", "sysadmin"):
        return True
    if state != "published":
        return False
    if viewer == "other_unit":
        return scope != "undisclosed"
    return scope in ("public", "partial")  # anonymous, and accounts of no unit


def expected_on(path: str, viewer: str, scope: str, state: str) -> bool:
    # CKAN's own listing of dataset names knows only its `private` flag, which we keep to
    # "visible to the public"; it is a public listing for everyone but sysadmins' own use.
    if path == "package_list":
        return state == "published" and scope in ("public", "partial")
    return expected(viewer, scope, state)


@pytest.fixture(scope="module")
def scenario(module_clean_db, make_unit, module_entry_factory):
    users = {
        name: factories.User() for name in ("registered", "other_unit", "own_unit", "reviewer")
    }
    users["sysadmin"] = factories.Sysadmin()
    unit = make_unit(
        title="市国土资源局", users=[{"name": users["own_unit"]["name"], "capacity": "editor"}]
    )
    make_unit(
        title="市统计局", users=[{"name": users["other_unit"]["name"], "capacity": "member"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    admin = {"user": users["sysadmin"]["name"]}
    entries = {}
    for scope, state in itertools.product(SCOPES, STATES):
        tag = f"mx-{scope}-{state}"
        entry = module_entry_factory(
            unit["id"],
            title=f"矩阵条目{scope}{state}",
            tag_string=tag,
            disclosure_scope=scope,
            data_items=[
                {"name": "公开字段甲", "data_type": "integer", "disclosure_scope": "public"},
                {"name": "内部字段乙", "data_type": "integer", "disclosure_scope": "internal"},
            ],
        )
        steps = {
            "draft": [],
            "submitted": ["submit"],
            "returned": ["submit", "return"],
            "published": ["submit", "approve"],
            "withdrawn": ["submit", "approve", "withdraw"],
        }[state]
        for step in steps:
            tk.get_action(f"yiyang_review_{step}")(
                dict(admin), {"id": entry["id"], "opinion": "意见", "reason": "撤销原因"}
            )
        entries[(scope, state)] = {
            "id": entry["id"],
            "name": entry["name"],
            "tag": tag,
            "title": entry["title"],
        }
    tokens = {name: factories.APIToken(user=user["name"])["token"] for name, user in users.items()}
    return entries, tokens


def _get(app, url, token, **params):
    headers = {"Authorization": token} if token else {}
    return app.get(url, headers=headers, query_string=params)


def _api(app, action, token, **params):
    headers = {"Authorization": token} if token else {}
    response = app.post(f"/api/3/action/{action}", json=params, headers=headers)
    return response.status_code, (
        response.json if response.content_type.startswith("application/json") else {}
    )


# One test per viewer, so that a parallel run spreads the 960 cells over its workers
# (tests/conftest.py's scheduler gives each its own scope).
@pytest.mark.parametrize("viewer", VIEWERS)
def test_visibility_matrix(app, scenario, viewer):
    entries, tokens = scenario
    mismatches: list[str] = []
    checked = 0
    token = tokens.get(viewer)
    _status, search = _api(
        app,
        "package_search",
        token,
        q="*:*",
        rows=100,
        include_private=True,
        include_drafts=True,
        **{"facet.field": ["tags"], "facet.limit": -1},
    )
    found = {r["name"] for r in search["result"]["results"]}
    facet = {i["name"]: i["count"] for i in search["result"]["search_facets"]["tags"]["items"]}
    _status, recent = _api(app, "recently_changed_packages_activity_list", token, limit=100)
    recent_ids = {a["object_id"] for a in recent.get("result", [])}
    _status, listed = _api(app, "package_list", token)
    listed_names = set(listed["result"])
    for (scope, state), entry in entries.items():
        seen = {
            "page": _get(app, f"/dataset/{entry['name']}", token).status_code == 200,
            "package_show": _api(app, "package_show", token, id=entry["id"])[0] == 200,
            "search_results": entry["name"] in found,
            "facet_counts": facet.get(entry["tag"], 0) == 1,
            "activity": _api(app, "package_activity_list", token, id=entry["id"])[0] == 200,
            "recent_activity": entry["id"] in recent_ids,
            "autocomplete": any(
                r["name"] == entry["name"]
                for r in _api(app, "package_autocomplete", token, q=entry["title"])[1].get(
                    "result", []
                )
            ),
            "package_list": entry["name"] in listed_names,
        }
        for path in PATHS:
            want = expected_on(path, viewer, scope, state)
            if path == "recent_activity" and viewer != "sysadmin" and want:
                # the stream holds activities made while the entry was visible to the
                # viewer; a draft's own history stays with its unit
                want = state == "published" or viewer in ("own_unit", "reviewer")
            checked += 1
            if seen[path] != want:
                mismatches.append(
                    f"{viewer:10} {scope:11} {state:9} {path:15} saw={seen[path]} want={want}"
                )
    print(f"visibility matrix, {viewer}: {checked} cells checked")
    assert not mismatches, f"{len(mismatches)} of {checked} cells wrong:\n" + "\n".join(mismatches)
    # the six tests check len(VIEWERS) * len(SCOPES) * len(STATES) * len(PATHS)
    assert checked == len(SCOPES) * len(STATES) * len(PATHS)


@pytest.mark.parametrize(
    "viewer,sees_internal_item",
    [
        ("anonymous", False),
        ("registered", False),
        ("other_unit", True),
        ("own_unit", True),
        ("reviewer", True),
        ("sysadmin", True),
    ],
)
def test_partial_entries_hide_non_public_items(app, scenario, viewer, sees_internal_item):
    entries, tokens = scenario
    entry = entries[("partial", "published")]
    token = tokens.get(viewer)
    shown = _api(app, "package_show", token, id=entry["id"])[1]["result"]
    names = [i["name"] for i in shown["data_items"]]
    assert ("内部字段乙" in names) is sees_internal_item
    assert "公开字段甲" in names
    page = _get(app, f"/dataset/{entry['name']}", token).body
    assert ("内部字段乙" in page) is sees_internal_item
    # every shape package_search can return, and the search itself
    for params in ({}, {"use_default_schema": True}, {"fl": "name,validated_data_dict,data_dict"}):
        _s, result = _api(app, "package_search", token, q=f"name:{entry['name']}", **params)
        assert ("内部字段乙" in _all_text(result)) is sees_internal_item, params
    _s, by_item = _api(app, "package_search", token, q="内部字段乙")
    assert (
        entry["name"] in {r["name"] for r in by_item["result"]["results"]}
    ) is sees_internal_item
    _s, activity = _api(app, "package_activity_list", token, id=entry["id"])
    assert ("内部字段乙" in _all_text(activity)) is sees_internal_item


def _all_text(value) -> str:
    """Every string inside a JSON answer, JSON strings inside it decoded too."""
    if isinstance(value, dict):
        return " ".join(_all_text(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_all_text(v) for v in value)
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return _all_text(json.loads(value))
        except ValueError:
            return value
    return str(value)
