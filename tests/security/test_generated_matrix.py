"""The visibility matrix, generated: every registered read action and every GET route of the
kinds that return catalog data, for every kind of viewer, over the world of ``conftest`` (every
公开范围 × share type × review state, markers wherever §6 hides something).

The paths come from CKAN's action registry and the app's URL map after the plugins loaded, not
from a list written here: an action or route matching ``ACTION_PATTERN``/``ROUTE_PATTERN``
needs a recipe (how to call it) or a reason it does not apply, or the test fails — so a path
added later is probed without anyone remembering it. A cell is one viewer on one request; it
leaks when the answer holds a marker the viewer is not entitled to (``conftest.entitled``).
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import VIEWERS

pytestmark = pytest.mark.usefixtures("with_plugins")

ACTION_PATTERN = re.compile(r"(_show|_list|_search|_autocomplete)$|activity")
ROUTE_PATTERN = re.compile(
    r"^/api/(<[^>]+>/)?util/|^/util/|^/feeds/|export|^/dataset/(<id>)?$|^/organization/<id>$"
    r"|\.<_format>$|gbt21063|^/vocab/"
)

Params = dict[str, Any]
Recipe = Callable[[Any], list[Params]]


def _per_entry(make: Callable[[Any], Params], sample: bool = True) -> Recipe:
    """One call per entry (those of ``world.sample`` when ``sample``)."""

    def recipe(world: Any) -> list[Params]:
        return [make(e) for e in (world.sample if sample else world.entries)]

    return recipe


def _one(**params: Any) -> Recipe:
    return lambda world: [dict(params)]


def _with(make: Callable[[Any], Params]) -> Recipe:
    return lambda world: [make(world)]


def _activities(kind: str) -> Recipe:
    """One call per activity of the sampled entries (``world.activities``) and of unit A."""

    def recipe(world: Any) -> list[Params]:
        calls: list[Params] = []
        for object_type, activity_id in world.activities:
            params: Params = {"id": activity_id}
            if kind == "diff":
                params.update(object_type=object_type, diff_type="unified")
            calls.append(params)
        return calls

    return recipe


# Solr parameters an outsider might try on the search paths: each must be refused or give
# nothing the viewer may not see.
SOLR_ATTACKS: list[Params] = [
    {"q": "*:*", "facet.field": ["yiyang_gov_items"], "facet.limit": -1},
    {"q": "mkitem*", "qf": "yiyang_gov_items"},
    {"q": "mkitem*", "defType": "edismax", "qf": "yiyang_gov_items"},
    {"q": "mkitem*", "df": "yiyang_gov_items"},
    {"q": "yiyang\\_gov_items:mkitem*"},
    {"q": "{!lucene df=yiyang_gov_items}mkitem*"},
    {"q": "*:*", "fl": "id,termfreq(yiyang_gov_items,'mkitem18x')"},
    {"q": "*:*", "sort": "termfreq(yiyang_gov_items,'mkitem18x') desc"},
    {"q": "*:*", "defType": "edismax", "bf": "termfreq(yiyang_gov_items,'mkitem18x')"},
    {"q": '_query_:"{!lucene}yiyang_gov_items:mkitem*"'},
    {"q": "*:*", "fq": "yiyang_gov*:mkitem*"},
    {"q": "*:*", "fl": "*", "rows": 1000},
]

#: How to call each action: a recipe, or a string saying why it does not apply.
ACTIONS: dict[str, Recipe | str] = {
    "activity_create": "a write; sysadmins only",
    "activity_delete": "a write; sysadmins only",
    "activity_delete_all": "a write; sysadmins only",
    "activity_delete_counts": "counts per type, no content; sysadmins only",
    "activity_data_show": _activities("data"),
    "activity_show": _activities("show"),
    "activity_diff": _activities("diff"),
    # ckanext-harvest: the office's harvest sources and their runs (tests/harvest/ holds the
    # harvest worlds and the office-only auth); the world here has none, so the lists are
    # probed for what they give each viewer and the per-id shows have nothing to name
    "harvest_source_list": _one(),
    "harvest_job_list": _one(),
    "harvest_object_list": _one(),
    "harvest_log_list": _one(),
    "harvesters_info_show": _one(),
    "harvest_source_show": "the world has no harvest source (tests/harvest/test_harvest_ui.py)",
    "harvest_job_show": "the world has no harvest job (tests/harvest/test_harvest_ui.py)",
    "harvest_object_show": "the world has no harvest object (tests/harvest/test_harvest_ui.py)",
    "api_token_list": _with(lambda w: {"user_id": w.users["a_admin"]["name"]}),
    "config_option_list": _one(),
    "config_option_show": _one(key="ckan.site_title"),
    "dashboard_activity_list": _one(limit=100),
    "datastore_search": _per_entry(lambda e: {"resource_id": e.resource_id}),
    "dcat_catalog_search": lambda w: [
        {"format": "ttl"},
        {"format": "jsonld", "q": "mkitem18x"},
        {"format": "ttl", "fq": "yiyang_gov_items:mkitem*"},
    ],
    "dcat_catalog_show": lambda w: [
        {"format": "ttl"},
        {"format": "xml", "modified_since": "2000-01-01"},
        {"format": "ttl", "q": "yiyang_gov_items:mkitem*"},
    ],
    "dcat_dataset_show": _per_entry(lambda e: {"id": e.id, "format": "ttl"}),
    "dataset_followee_list": _with(lambda w: {"id": w.users["a_admin"]["name"]}),
    "dataset_follower_list": _per_entry(lambda e: {"id": e.id}),
    "file_show": "CKAN's file store; the world uploads no file",
    "followee_list": _with(lambda w: {"id": w.users["a_admin"]["name"]}),
    "format_autocomplete": _one(q="mkfmt", limit=100),
    "group_activity_list": _with(lambda w: {"id": w.unit_a["id"], "limit": 100}),
    "group_autocomplete": _one(q="市"),
    "group_followee_list": _with(lambda w: {"id": w.users["a_admin"]["name"]}),
    "group_follower_list": _with(lambda w: {"id": w.unit_a["id"]}),
    "group_list": _one(all_fields=True, include_extras=True),
    "group_package_show": _with(lambda w: {"id": w.unit_a["id"], "limit": 1000}),
    "group_show": _with(lambda w: {"id": w.unit_a["id"], "include_datasets": True}),
    "help_show": _one(name="package_show"),
    "job_list": _one(),
    "job_show": _one(id="no-such-job"),
    "license_list": _one(),
    "member_list": _with(lambda w: {"id": w.unit_a["id"], "object_type": "package"}),
    "member_roles_list": _one(group_type="organization"),
    "organization_activity_list": _with(lambda w: {"id": w.unit_a["id"], "limit": 100}),
    "organization_autocomplete": _one(q="市"),
    "organization_followee_list": _with(lambda w: {"id": w.users["a_admin"]["name"]}),
    "organization_follower_list": _with(lambda w: {"id": w.unit_a["id"]}),
    "organization_list": _one(all_fields=True, include_extras=True),
    "organization_show": _with(lambda w: {"id": w.unit_a["id"], "include_datasets": True}),
    "package_activity_list": _per_entry(lambda e: {"id": e.id, "limit": 100}),
    "package_autocomplete": _one(q="安全矩阵条目", limit=100),
    "package_collaborator_list": _per_entry(lambda e: {"id": e.id}),
    "package_list": _one(),
    "package_relationships_list": _per_entry(lambda e: {"id": e.id}),
    "package_search": lambda w: [
        {
            "q": "*:*",
            "rows": 1000,
            "include_private": True,
            "include_drafts": True,
            "facet.field": ["tags", "res_format"],
            "facet.limit": -1,
        },
        {"q": "*:*", "rows": 1000, "include_private": True, "use_default_schema": True},
        {
            "q": "*:*",
            "rows": 1000,
            "include_private": True,
            "fl": "id,name,validated_data_dict,data_dict",
        },
        {"q": "mkitem18x", "include_private": True},
        *SOLR_ATTACKS,
    ],
    "package_show": _per_entry(lambda e: {"id": e.id}, sample=False),
    "recently_changed_packages_activity_list": _one(limit=100),
    "resource_search": lambda w: [{"query": "name:mkres"}, {"query": "url:mkurl"}],
    "resource_show": _per_entry(lambda e: {"id": e.resource_id}, sample=False),
    "resource_view_list": _per_entry(lambda e: {"id": e.resource_id}),
    "resource_view_show": "the world's resources have no views",
    "scheming_dataset_schema_list": _one(),
    "scheming_dataset_schema_show": _one(type="dataset"),
    "scheming_organization_schema_list": _one(),
    "scheming_organization_schema_show": _one(type="organization"),
    "status_show": _one(),
    "tag_autocomplete": _one(q="mk", limit=1000),
    "tag_list": lambda w: [{}, {"all_fields": True}, {"query": "mk"}],
    "tag_search": _one(query="mk", limit=1000),
    "tag_show": _one(id="mkall", include_datasets=True),
    "task_status_show": _one(id="no-such-task"),
    "term_translation_show": _one(terms=["mkall"]),
    "user_activity_list": lambda w: [
        {"id": w.users[name]["name"], "limit": 100} for name in ("sysadmin", "a_admin")
    ],
    "user_autocomplete": _one(q="test"),
    "user_followee_list": _with(lambda w: {"id": w.users["a_admin"]["name"]}),
    "user_follower_list": _with(lambda w: {"id": w.users["a_admin"]["name"]}),
    "user_list": _one(),
    "user_show": _with(lambda w: {"id": w.users["a_admin"]["name"], "include_datasets": True}),
    "vocabulary_list": _one(),
    "vocabulary_show": _one(id="no-such-vocabulary"),
    "yiyang_access_log_list": _one(limit=500),
    "yiyang_book_list": _one(),
    "yiyang_data_consistency_show": _per_entry(lambda e: {"id": e.id}),
    "yiyang_data_status_show": _per_entry(lambda e: {"id": e.id}),
    "yiyang_book_show": lambda w: [
        {"edition": edition, "format": "xlsx"} for edition in ("public", "internal")
    ],
    "yiyang_demand_list": _one(),
    "yiyang_desk_show": _one(),
    "yiyang_notice_list": _one(),
    "yiyang_notification_preference_show": _one(),
    "yiyang_portal_stats_show": _one(),
    "yiyang_subscription_basis_show": _one(id="no-such-subscription"),
    "yiyang_demand_show": _one(id="no-such-demand"),
    "yiyang_feedback_show": _one(subscription_id="no-such-subscription"),
    "yiyang_objection_list": lambda w: [{}, {"scope": "office"}, {"status": "open"}],
    "yiyang_objection_show": _one(id="no-such-objection"),
    "yiyang_import_list": _one(),
    "yiyang_import_show": _one(id="no-such-import"),
    "yiyang_notification_list": _one(),
    "yiyang_progress_list": _one(),
    "yiyang_review_list": lambda w: [
        {"status": status, "limit": 500}
        for status in ("submitted", "returned", "draft", "published", "withdrawn")
    ],
    "yiyang_revision_show": _per_entry(lambda e: {"id": e.id}),
    "yiyang_service_account_list": lambda w: [{"org_id": w.unit_a["id"]}, {}],
    "yiyang_subscription_list": lambda w: [{"scope": "applied"}, {"scope": "received"}],
    "yiyang_subscription_show": _one(id="no-such-subscription"),
}

_UTIL = "/api/2/util"
#: How to call each GET route: (path, query) pairs, or why it does not apply.
ROUTES: dict[str, Callable[[Any], list[tuple[str, Params]]] | str] = {
    "/api/<int(min=1, max=2):ver>/util/dataset/autocomplete": lambda w: [
        (f"{_UTIL}/dataset/autocomplete", {"incomplete": "安全矩阵条目", "limit": 100})
    ],
    "/api/<int(min=1, max=2):ver>/util/group/autocomplete": lambda w: [
        (f"{_UTIL}/group/autocomplete", {"q": "市"})
    ],
    "/api/<int(min=1, max=2):ver>/util/organization/autocomplete": lambda w: [
        (f"{_UTIL}/organization/autocomplete", {"q": "市"})
    ],
    "/api/<int(min=1, max=2):ver>/util/resource/format_autocomplete": lambda w: [
        (f"{_UTIL}/resource/format_autocomplete", {"incomplete": "mkfmt"})
    ],
    "/api/<int(min=1, max=2):ver>/util/tag/autocomplete": lambda w: [
        (f"{_UTIL}/tag/autocomplete", {"incomplete": "mk"})
    ],
    "/api/<int(min=1, max=2):ver>/util/user/autocomplete": lambda w: [
        (f"{_UTIL}/user/autocomplete", {"q": "test"})
    ],
    "/api/util/dataset/autocomplete": "the same view as /api/2/util/dataset/autocomplete",
    "/api/util/group/autocomplete": "the same view as /api/2/util/group/autocomplete",
    "/api/util/organization/autocomplete": "the same view as /api/2/util/organization/…",
    "/api/util/resource/format_autocomplete": "the same view as /api/2/util/resource/…",
    "/api/util/tag/autocomplete": "the same view as /api/2/util/tag/autocomplete",
    "/api/util/user/autocomplete": "the same view as /api/2/util/user/autocomplete",
    "/util/redirect": "redirects to a path of the site; no data",
    "/dataset/": lambda w: [
        ("/dataset/", {"q": ""}),
        ("/dataset/", {"q": "mkitem18x"}),
        ("/dataset/", {"q": "yiyang_gov_items:mkitem*"}),
        ("/dataset/", {"q": "*:*", "sort": "termfreq(yiyang_gov_items,'mkitem18x') desc"}),
        ("/dataset/", {"yiyang_gov_items": "mkitem18x"}),
    ],
    "/dataset/<id>": lambda w: [(f"/dataset/{e.name}", {}) for e in w.sample],
    "/dataset/export.xlsx": lambda w: [
        ("/dataset/export.xlsx", {}),
        ("/dataset/export.xlsx", {"q": "yiyang_gov_items:mkitem*"}),
        ("/dataset/export.xlsx", {"sort": "termfreq(yiyang_gov_items,'mkitem18x') desc"}),
    ],
    "/feeds/custom.atom": lambda w: [
        ("/feeds/custom.atom", {"q": "安全矩阵条目"}),
        ("/feeds/custom.atom", {"q": "yiyang_gov_items:mkitem*"}),
        ("/feeds/custom.atom", {"yiyang_gov_items": "mkitem18x"}),
        ("/feeds/custom.atom", {"sort": "termfreq(yiyang_gov_items,'mkitem18x') desc"}),
    ],
    "/feeds/dataset.atom": lambda w: [("/feeds/dataset.atom", {})],
    "/feeds/group/<string:id>.atom": lambda w: [(f"/feeds/group/{w.unit_a['name']}.atom", {})],
    "/feeds/organization/<string:id>.atom": lambda w: [
        (f"/feeds/organization/{w.unit_a['name']}.atom", {})
    ],
    "/feeds/tag/<string:id>.atom": lambda w: [("/feeds/tag/mkall.atom", {})],
    "/organization/<id>": lambda w: [(f"/organization/{w.unit_a['name']}", {})],
    "/organization/<id>/export.xlsx": lambda w: [
        (f"/organization/{w.unit_a['name']}/export.xlsx", {})
    ],
    "/progress/export.xlsx": lambda w: [("/progress/export.xlsx", {})],
    "/access-log/export.xlsx": lambda w: [("/access-log/export.xlsx", {})],
    # the exchange (DCAT, GB/T 21063 XML, concept schemes)
    "/catalog.<_format>": lambda w: [
        ("/catalog.ttl", {}),
        ("/catalog.jsonld", {}),
        ("/catalog.xml", {"modified_since": "2000-01-01"}),
        ("/catalog.ttl", {"q": "yiyang_gov_items:mkitem*"}),
        ("/catalog.ttl", {"fq": "yiyang_gov_items:mkitem*"}),
    ],
    "/dataset/<_id>.<_format>": lambda w: [
        (f"/dataset/{e.name}.{fmt}", {}) for e in w.sample for fmt in ("ttl", "jsonld")
    ],
    "/dataset_series/<_id>.<_format>": lambda w: [
        (f"/dataset_series/{e.name}.ttl", {}) for e in w.sample
    ],
    "/dataset/<id>/gbt21063.xml": lambda w: [
        (f"/dataset/{e.name}/gbt21063.xml", {}) for e in w.sample
    ],
    "/catalog/gbt21063.xml": lambda w: [
        ("/catalog/gbt21063.xml", {}),
        ("/catalog/gbt21063.xml", {"modified_since": "2000-01-01"}),
        ("/catalog/gbt21063.xml", {"q": "yiyang_gov_items:mkitem*"}),
    ],
    "/vocab/<scheme>.<fmt>": lambda w: [("/vocab/catalog-category.ttl", {})],
}


#: 500s of CKAN's own that issue 11 point 12 (bad input) closes elsewhere: (path, viewer).
KNOWN_ERRORS: frozenset[tuple[str, str]] = frozenset()


def registered_actions() -> list[str]:
    import ckan.logic as logic

    logic.get_action("package_show")  # fills the registry
    return sorted(name for name in logic._actions if ACTION_PATTERN.search(name))


def registered_routes(app: Any) -> list[str]:
    return sorted(
        {
            rule.rule
            for rule in app.flask_app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and ROUTE_PATTERN.search(rule.rule)
        }
    )


def _text(body: bytes, content_type: str) -> str:
    """Everything readable in an answer: JSON with the JSON strings inside it decoded, the
    cells of a workbook, pages and feeds as they are."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return _strings(json.loads(text))
        except ValueError:
            return text
    return text


def _strings(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k} {_strings(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_strings(v) for v in value)
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return _strings(json.loads(value))
        except ValueError:
            return value
    return str(value)


MARKERS = re.compile(r"(?=(mk[a-z]+\d\dx))")
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID = re.compile(_UUID)
UUIDS = re.compile(f"(?=({_UUID}))")


def _leaks(world: Any, viewer: str, text: str, asked: str = "") -> list[str]:
    """The markers in ``text`` that ``viewer`` is not entitled to, but for those the request
    (``asked``) carried itself: a page shows its search terms, an error the id it was given."""
    found = []
    lowered = text.lower()
    for echoed in re.findall(r"mk[a-z]+\d\dx|[0-9a-f]{8}-[0-9a-f-]{27}", asked.lower()):
        lowered = lowered.replace(echoed, " ")
    # Every marker and id in the answer, found in one pass (the lookahead finds overlapping
    # ones too: the same as asking ``marker in lowered`` of each of the world's markers).
    markers = set(MARKERS.findall(lowered)) if "mk" in lowered else set()
    for entry in world.entries:
        for kind in world.kinds:
            if entry.marker(kind) in markers and not world.entitled(viewer, entry, kind):
                found.append(f"{entry.marker(kind)} ({entry.scope}/{entry.share}/{entry.state})")
    if viewer not in world.government:
        found += [m for m in world.contact_markers if m in lowered]
    ids = set(UUIDS.findall(lowered))
    for entry in world.entries:
        seen = entry.id in ids if UUID.fullmatch(entry.id) else entry.id in lowered
        if seen and not world.entry_visible(viewer, entry):
            found.append(f"id of {entry.marker('title')} ({entry.scope}/{entry.state})")
    return found


def test_every_path_has_a_recipe(app):
    actions = set(registered_actions())
    routes = set(registered_routes(app))
    assert not actions - set(ACTIONS), (
        f"actions without a recipe: {sorted(actions - set(ACTIONS))}"
    )
    assert not routes - set(ROUTES), f"routes without a recipe: {sorted(routes - set(ROUTES))}"


#: The matrix is one test per viewer and kind of path (actions, routes): xdist spreads them
#: over its workers, each building the world once (module scope) and probing its share of it.
PARTS = ("actions", "routes")


def _calls(app: Any, world: Any, part: str) -> list[tuple[str, Callable[[Any, dict], Any]]]:
    """The requests of one part of the matrix: (label, call)."""
    calls: list[tuple[str, Callable[[Any, dict[str, str]], Any]]] = []
    if part == "actions":
        for name in registered_actions():
            recipe = ACTIONS.get(name)
            if callable(recipe):
                for params in recipe(world):
                    calls.append((f"{name} {params}", _action_call(name, params)))
    else:
        for rule in registered_routes(app):
            route = ROUTES.get(rule)
            if callable(route):
                for path, query in route(world):
                    calls.append((f"{path} {query}", _route_call(path, query)))
    return calls


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_generated_visibility_matrix(app, world, viewer, part):
    started = time.monotonic()
    leaks: list[str] = []
    errors: list[str] = []
    cells = 0
    seen_markers: set[str] = set()
    calls = _calls(app, world, part)
    progress = os.environ.get("YIYANG_MATRIX_PROGRESS")  # a file to follow a slow run in
    headers = {"Authorization": world.tokens[viewer]} if viewer in world.tokens else {}
    for label, call in calls:
        response = call(app, headers)
        cells += 1
        text = _text(response.data, response.content_type or "")
        found = _leaks(world, viewer, text, label)
        if progress:
            with open(progress, "a", encoding="utf-8") as log:
                log.write(f"{response.status_code} {viewer} {label[:150]} {found[:3]}\n")
        if response.status_code >= 500:
            if (label.split()[0], viewer) not in KNOWN_ERRORS:
                errors.append(f"{viewer:10} {label}: {response.status_code}")
            continue
        leaks += [f"{viewer:10} {label}: {leak}" for leak in found]
        seen_markers.update(re.findall(r"mk[a-z]+\d\dx", text.lower()))
    elapsed = time.monotonic() - started
    print(
        f"generated matrix, {viewer} on the {part}: {cells} cells, {len(leaks)} leaks, "
        f"{len(errors)} errors, {elapsed:.0f} s"
    )
    assert not leaks, f"{len(leaks)} leaks in {cells} cells:\n" + "\n".join(leaks[:200])
    assert not errors, "\n".join(errors[:100])
    if (viewer, part) == ("sysadmin", "routes"):
        # The probe sees what it looks for: every kind of marker reached someone entitled to
        # it (the sysadmin is entitled to every one, and the pages show them all).
        kinds = {re.sub(r"\d\dx$", "", m)[2:] for m in seen_markers}
        assert kinds >= set(world.kinds), kinds


def _action_call(name: str, params: Params) -> Callable[[Any, dict[str, str]], Any]:
    return lambda app, headers: app.post(f"/api/3/action/{name}", json=params, headers=headers)


def _route_call(path: str, query: Params) -> Callable[[Any, dict[str, str]], Any]:
    return lambda app, headers: app.get(path, query_string=query, headers=headers)
