"""Issue 11, points 1–6: the paths that showed what §6 hides, each closed (the world of
``conftest``, entries draft and published)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("with_plugins")

OUTSIDERS = ("anonymous", "registered")


def _headers(world: Any, viewer: str) -> dict[str, str]:
    return {"Authorization": world.tokens[viewer]} if viewer in world.tokens else {}


def _api(app: Any, world: Any, viewer: str, action: str, **params: Any) -> tuple[int, Any]:
    response = app.post(f"/api/3/action/{action}", json=params, headers=_headers(world, viewer))
    body = response.json if (response.content_type or "").startswith("application/json") else {}
    return response.status_code, body


def _hidden_item(world: Any) -> str:
    """The non-public 信息项 marker of a published, partly public entry."""
    return world.by("partial", "unconditional", "published").marker("item")


# Point 1: the search parameters an outsider may use are an allow-list.

ATTACKS = [
    ({"facet.field": ["yiyang_gov_items"]}, "facet.field"),
    ({"q": "{p}*", "qf": "yiyang_gov_items"}, "qf"),
    ({"q": "{p}*", "defType": "edismax"}, "defType"),
    ({"q": "{p}*", "df": "yiyang_gov_items"}, "df"),
    ({"q": "{p}*", "pf": "yiyang_gov_items"}, "pf"),
    ({"q": "yiyang\\_gov_items:{p}*"}, "q"),
    ({"q": "yi\\u0079ang_gov_items:{p}*"}, "q"),
    ({"q": "yiyang_gov_items :{p}*"}, "q"),
    ({"q": "+title:x yiyang_gov_items:{p}*"}, "q"),
    ({"q": '_query_:"{{!lucene}}yiyang_gov_items:{p}*"'}, "q"),
    ({"q": "{{!lucene df=yiyang_gov_items}}{p}*"}, "q"),
    ({"fq": "yiyang_gov*:{p}*"}, "fq"),
    ({"fq": 'title:a\\" yiyang_gov_items:{p}* \\"'}, "fq"),
    ({"fl": "id,termfreq(yiyang_gov_items,'{p}')"}, "fl"),
    ({"sort": "termfreq(yiyang_gov_items,'{p}') desc"}, "sort"),
    ({"bf": "termfreq(yiyang_gov_items,'{p}')"}, "bf"),
    ({"boost": "termfreq(yiyang_gov_items,'{p}')"}, "boost"),
    ({"facet.query": "yiyang_gov_items:{p}*"}, "facet.query"),
]


def _fill(params: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k: (v.format(p=prefix) if isinstance(v, str) else v) for k, v in params.items()}


# CKAN sets ``df`` itself (``text``) whatever the caller sent: not refused, and no oracle
# (``test_a_hidden_item_is_no_prefix_oracle``).
REFUSED = [a for a in ATTACKS if a[1] != "df"]


@pytest.mark.parametrize("viewer", OUTSIDERS)
@pytest.mark.parametrize("attack,parameter", REFUSED, ids=[a[1] for a in REFUSED])
def test_outsiders_search_parameters_are_refused(app, small_world, viewer, attack, parameter):
    status, body = _api(
        app, small_world, viewer, "package_search", include_private=True, **_fill(attack, "mkitem")
    )
    assert status == 400, body
    assert parameter in body["error"]["message"]
    assert (
        "不允许使用此检索参数" in body["error"]["message"]
        or "not allowed" in body["error"]["message"]
    )


def test_a_hidden_item_is_no_prefix_oracle(app, small_world):
    """Character by character: a right prefix of a hidden 信息项 and a wrong one give the same
    answer, on the API, the search page, the export and the feed."""
    hidden = _hidden_item(small_world)
    right, wrong = hidden[:7], "mkqzwvu"
    for attack, _parameter in ATTACKS:
        answers = [
            _api(app, small_world, "anonymous", "package_search", **_fill(attack, p))
            for p in (right, wrong)
        ]
        counts = [(s, (b.get("result") or {}).get("count")) for s, b in answers]
        assert counts[0] == counts[1], attack
    for path in ("/dataset/", "/dataset/export.xlsx", "/feeds/custom.atom"):
        for template in (
            {"q": "yiyang_gov_items:{p}*"},
            {"q": "yiyang\\_gov_items:{p}*"},
            {"q": "*:*", "sort": "termfreq(yiyang_gov_items,'{p}') desc"},
            {"yiyang_gov_items": "{p}*"},
        ):
            statuses = [
                app.get(path, query_string=_fill(template, p)).status_code for p in (right, wrong)
            ]
            assert statuses[0] == statuses[1] == 400, (path, template, statuses)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "安全矩阵条目"},
        {"q": "title:安全矩阵条目"},
        {"q": "*:*", "fq": '+tags:"mkall" +dataset_type:dataset'},
        {"q": "*:*", "fq": "metadata_modified:[2000-01-01T00:00:00Z TO NOW]"},
        {"q": "*:*", "sort": "title_string asc, metadata_modified desc"},
        {"q": "*:*", "facet.field": ["tags", "share_type", "organization"], "facet.limit": -1},
        {"q": "*:*", "fl": "id,name,title"},
        {"q": "tags:mk*", "rows": 5, "start": 0},
    ],
)
def test_outsiders_ordinary_searches_still_work(app, small_world, params):
    status, body = _api(app, small_world, "anonymous", "package_search", **params)
    assert status == 200, body
    assert body["result"]["count"] > 0


def test_government_viewers_search_the_items_they_see(app, small_world):
    hidden = _hidden_item(small_world)
    status, body = _api(app, small_world, "b_editor", "package_search", q=hidden)
    assert status == 200
    assert body["result"]["count"] == 1
    status, body = _api(app, small_world, "anonymous", "package_search", q=hidden)
    assert (status, body["result"]["count"]) == (200, 0)


# Point 2: tag_show with include_datasets.


@pytest.mark.parametrize("viewer", [*OUTSIDERS, "b_editor"])
def test_tag_show_datasets_are_filtered_and_cut(app, small_world, viewer):
    status, body = _api(app, small_world, viewer, "tag_show", id="mkall", include_datasets=True)
    assert status == 200
    text = json.dumps(body, ensure_ascii=False)
    shown = {p["id"] for p in body["result"]["packages"]}
    for entry in small_world.entries:
        assert (entry.id in shown) == (
            entry.state == "published" and entry.scope in ("public", "partial")
        )
        for kind in ("item", "url", "res", "fmt"):
            want = small_world.entitled(viewer, entry, kind) and entry.id in shown
            assert (entry.marker(kind) in text) == want, (entry, kind)


# Point 3: resource_search.


@pytest.mark.parametrize("viewer", [*OUTSIDERS, "b_editor", "a_member", "reviewer"])
def test_resource_search_finds_only_data_the_viewer_may_see(app, small_world, viewer):
    status, body = _api(app, small_world, viewer, "resource_search", query="url:mkurl")
    assert status == 200
    found = {r["package_id"] for r in body["result"]["results"]}
    assert body["result"]["count"] == len(found)
    for entry in small_world.entries:
        # CKAN's own search leaves out entries not public to all (``private``) for everyone
        public = entry.state == "published" and entry.scope in ("public", "partial")
        want = public and small_world.entitled(viewer, entry, "url")
        assert (entry.id in found) == want, entry


def test_resource_search_pages_count_what_is_seen(app, small_world):
    everything = _api(app, small_world, "anonymous", "resource_search", query="url:mkurl")[1]
    page = _api(
        app, small_world, "anonymous", "resource_search", query="url:mkurl", offset=1, limit=1
    )[1]
    assert page["result"]["count"] == everything["result"]["count"]
    assert page["result"]["results"] == everything["result"]["results"][1:2]


# Point 4: keywords and formats.


@pytest.mark.parametrize("viewer", [*OUTSIDERS, "b_editor", "a_member"])
def test_keywords_and_formats_only_of_entries_seen(app, small_world, viewer):
    world = small_world
    answers = [
        _api(app, world, viewer, "tag_list")[1],
        _api(app, world, viewer, "tag_list", all_fields=True)[1],
        _api(app, world, viewer, "tag_search", query="mk", limit=1000)[1],
        _api(app, world, viewer, "tag_autocomplete", q="mk", limit=1000)[1],
        _api(app, world, viewer, "format_autocomplete", q="mkfmt", limit=1000)[1],
    ]
    headers = _headers(world, viewer)
    for path, incomplete in (
        ("/api/2/util/tag/autocomplete", "mk"),
        ("/api/2/util/resource/format_autocomplete", "mkfmt"),
    ):
        response = app.get(path, query_string={"incomplete": incomplete}, headers=headers)
        assert response.status_code == 200
        answers.append(response.json)
    text = json.dumps(answers).lower()
    for entry in world.entries:
        assert (entry.marker("tag") in text) == world.entitled(viewer, entry, "tag"), entry
        # formats are not indexed for entries shared on application (their data is hidden)
        want = world.entitled(viewer, entry, "fmt") and entry.share == "unconditional"
        assert (entry.marker("fmt") in text) == want, entry


# Point 5: unit contacts in activity streams.


@pytest.mark.parametrize("viewer,sees", [*((v, False) for v in OUTSIDERS), ("b_editor", True)])
def test_unit_contacts_in_activities(app, small_world, viewer, sees):
    world = small_world
    answers = [
        _api(app, world, viewer, "organization_activity_list", id=world.unit_a["id"])[1],
        _api(app, world, viewer, "user_activity_list", id=world.users["sysadmin"]["name"])[1],
        _api(app, world, viewer, "organization_show", id=world.unit_a["id"])[1],
    ]
    for object_type, activity_id in world.activities:
        # CKAN's auth function wanted include_data (a 500 without it)
        assert _api(app, world, viewer, "activity_show", id=activity_id)[0] in (200, 403)
        if object_type == "organization":
            answers.append(_api(app, world, viewer, "activity_show", id=activity_id)[1])
            answers.append(_api(app, world, viewer, "activity_data_show", id=activity_id)[1])
    text = json.dumps(answers, ensure_ascii=False)
    assert "联络人甲" in text
    for marker in world.contact_markers:
        assert (marker in text) is sees, marker


# Point 6: member_list, and 404 for what exists but is hidden.


@pytest.mark.parametrize("viewer", [*OUTSIDERS, "b_editor", "a_member"])
def test_member_list_lists_only_entries_seen(app, small_world, viewer):
    status, body = _api(
        app, small_world, viewer, "member_list", id=small_world.unit_a["id"], object_type="package"
    )
    assert status == 200
    listed = {m[0] for m in body["result"]}
    for entry in small_world.entries:
        assert (entry.id in listed) == small_world.entry_visible(viewer, entry), entry


@pytest.mark.parametrize("viewer", [*OUTSIDERS, "b_editor"])
def test_a_hidden_entry_is_not_found_like_a_missing_one(app, small_world, viewer):
    world = small_world
    hidden = world.by("undisclosed", "conditional", "draft")
    headers = _headers(world, viewer)
    missing = _api(app, world, viewer, "package_show", id="no-such-entry")
    assert _api(app, world, viewer, "package_show", id=hidden.id) == missing
    assert _api(app, world, viewer, "package_show", id=hidden.name) == missing
    assert missing[0] == 404
    missing_activity = _api(app, world, viewer, "package_activity_list", id="no-such-entry")
    assert _api(app, world, viewer, "package_activity_list", id=hidden.id) == missing_activity
    assert missing_activity[0] == 404
    missing = _api(app, world, viewer, "resource_show", id="no-such-resource")
    assert _api(app, world, viewer, "resource_show", id=hidden.resource_id) == missing
    assert missing[0] == 404
    for path in (
        f"/dataset/{hidden.name}",
        f"/dataset/{hidden.id}",
        f"/dataset/{hidden.name}/resource/{hidden.resource_id}",
    ):
        assert app.get(path, headers=headers).status_code == 404, path
    assert app.get("/dataset/no-such-entry", headers=headers).status_code == 404
