"""Bad input is refused with 4xx, never a 500, never a partial write (issue 11 point 12).

Every registered ``yiyang_*`` action — read from CKAN's action registry, so an action added
later is fuzzed without anyone listing it — and the core actions the probe named are called
through the HTTP action API (GET with a query string, POST with a JSON body), as an anonymous
reader, a unit's editor (API token) and a sysadmin (API token), with parameters named by each
action's docstring (``:param x:``) and a few every action may be sent, holding wrong types
(lists and dicts for numbers, negative and huge numbers, non-boolean flags), huge strings,
NUL and other control characters, nested data and ids that exist or do not. Hypothesis draws
the cases (``derandomize``: the same cases every run).

A 500 (or an exception out of the app) is a failure; so is a refused POST that left any table
with another number of rows than before it.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import ckan.logic
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib import search
from ckan.tests import factories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.yiyang.maintenance import index_check

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "mail_sink")

# Core actions the probe found answering 500, or writing before failing.
CORE = (
    "package_collaborator_list",
    "package_create",
    "package_patch",
    "resource_create",
    "resource_patch",
    "package_show",
)
# Parameters any action may be sent, whatever its docstring says.
COMMON = ("id", "limit", "offset", "all", "with_counts", "title", "data_items", "q")
EXAMPLES_PER_ACTION = int(os.environ.get("YIYANG_FUZZ_EXAMPLES", "24"))

HUGE = "长" * 40_000
CONTROL = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=8)

scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([-1, 0, 1, 10**9, 2**31, 2**63, -(2**63) - 1, 1.5, -0.0, 1e308]),
    st.booleans(),
    st.none(),
    st.text(max_size=30),
    CONTROL,
    st.sampled_from(
        [
            "",
            "maybe",
            "true",
            "False",
            "1",
            "-1",
            "null",
            "\x00",
            "a\x00b",
            "\x07\x1b[31m",
            "javascript:alert(1)",
            "../../etc/passwd",
            "' OR 1=1 --",
            HUGE,
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def registered_actions() -> list[str]:
    tk.get_action("package_show")  # fills the registry
    names = sorted(name for name in ckan.logic._actions if name.startswith("yiyang_"))
    assert len(names) > 20, names
    return [*names, *CORE]


def params_of(name: str) -> list[str]:
    doc = ckan.logic._actions[name].__doc__ or ""
    named = re.findall(r":param (?:[\w\[\], ]+ )?(\w+):", doc)
    return sorted({*named, *COMMON})


def _token(user: str) -> str:
    return tk.get_action("api_token_create")(
        {"user": user, "ignore_auth": True}, {"user": user, "name": "fuzz"}
    )["token"]


@pytest.fixture
def scenario(make_unit, entry_factory) -> dict[str, Any]:
    """A unit with an editor, a published and a draft entry, a demand; tokens of the callers
    and the ids a case may use."""
    sysadmin = factories.Sysadmin()
    editor = factories.User()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    other = make_unit()
    published = entry_factory(owner_org=unit["id"], published=True)
    draft = entry_factory(owner_org=unit["id"])
    ids = [unit["id"], other["id"], published["id"], draft["id"], published["name"]]
    try:
        demand = tk.get_action("yiyang_demand_create")(
            {"user": editor["name"]},
            {
                "title": "需要企业信息",
                "content": "说明",
                "purpose": "监管",
                "provider_org": other["id"],
            },
        )
        ids.append(demand["id"])
    except tk.ValidationError:
        pass
    return {
        "callers": {
            "anonymous": {},
            "editor": {"Authorization": _token(editor["name"])},
            "sysadmin": {"Authorization": _token(sysadmin["name"])},
        },
        "ids": ids,
    }


def _row_counts() -> dict[str, int]:
    engine = model.Session.get_bind()
    tables = [t for t in sa.inspect(engine).get_table_names() if not t.endswith("alembic_version")]
    query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    with engine.connect() as conn:
        return {name: count for name, count in conn.execute(sa.text(query))}


def _query(params: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((key, one if isinstance(one, str) else json.dumps(one)))
    return pairs


class Findings:
    """The failures, one example of each (method, action, kind of failure)."""

    def __init__(self) -> None:
        self.cases = 0
        self.failures = 0
        self.server_errors = 0
        self.partial_writes = 0
        self.examples: dict[tuple[str, str, str], str] = {}

    def add(self, method: str, name: str, kind: str, params: dict[str, Any]) -> None:
        self.failures += 1
        if kind.startswith("refused but wrote"):
            self.partial_writes += 1
        else:
            self.server_errors += 1
        self.examples.setdefault((method, name, kind[:120]), repr(params)[:200])

    def summary(self) -> str:
        """One line benchmarks/fuzz.py reads."""
        return (
            f"fuzz: {self.cases} cases, {self.failures} failures "
            f"({self.server_errors} answers of 500 or more, {self.partial_writes} partial writes)"
        )

    def report(self) -> str:
        return "\n".join(
            f"{m} {n}: {k}\n    {p}" for (m, n, k), p in sorted(self.examples.items())
        )


def _call(app, findings: Findings, name: str, method: str, headers, params) -> None:
    findings.cases += 1
    url = f"/api/3/action/{name}"
    before = _row_counts() if method == "POST" else None
    try:
        if method == "GET":
            response = app.get(url, query_string=_query(params), headers=headers)
        else:
            response = app.post(
                url,
                data=json.dumps(params),
                content_type="application/json",
                headers=headers,
            )
    except Exception as error:  # the app let an exception out: what a 500 is in production
        model.Session.rollback()
        model.Session.remove()
        findings.add(method, name, f"{type(error).__name__}: {error}", params)
        return
    if response.status_code >= 500:
        findings.add(method, name, str(response.status_code), params)
    elif before is not None and response.status_code >= 400:
        after = _row_counts()
        changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
        if changed:
            findings.add(method, name, f"refused but wrote {changed}", params)


def _fuzz(app, findings: Findings, name: str, callers: dict[str, Any], ids: Any) -> None:
    """Hypothesis' cases for one action."""

    @settings(
        max_examples=EXAMPLES_PER_ACTION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        caller=st.sampled_from(sorted(callers)),
        method=st.sampled_from(["GET", "POST"]),
        params=st.fixed_dictionaries(
            {}, optional={k: (ids if k.endswith("id") else values) for k in params_of(name)}
        ),
    )
    def run(caller: str, method: str, params: dict[str, Any]) -> None:
        _call(app, findings, name, method, callers[caller], params)

    run()


def test_no_action_answers_500_or_writes_on_refusal(app, scenario):
    findings = Findings()
    ids = st.sampled_from(scenario["ids"]) | values
    for name in registered_actions():
        _fuzz(app, findings, name, scenario["callers"], ids)
    print(findings.summary())
    # what the cases wrote, the index holds as the database does (nothing half-indexed)
    agreed = index_check.check()
    print(f"fuzz: index {'agrees with the database' if agreed.ok else 'differs'}")
    assert not findings.failures, findings.report()
    assert agreed.ok, agreed.lines()


def _post(app, name: str, params: dict[str, Any], headers=None):
    return app.post(
        f"/api/3/action/{name}",
        data=json.dumps(params),
        content_type="application/json",
        headers=headers or {},
    )


def _last_code(category: str) -> int | None:
    with model.Session.get_bind().connect() as conn:
        return conn.execute(
            sa.text("SELECT last_value FROM yiyang_code_sequence WHERE category = :c"),
            {"c": category},
        ).scalar()


def test_a_huge_title_is_refused_before_a_code_is_taken(app, scenario, entry_data, make_unit):
    sysadmin = scenario["callers"]["sysadmin"]
    unit = make_unit()
    data = entry_data(unit["id"])
    before, rows = _last_code(data["catalog_category"]), _row_counts()
    response = _post(app, "package_create", {**data, "title": "长" * 40_000}, sysadmin)
    assert response.status_code == 409
    assert "最多 200 个字符" in response.json["error"]["title"][0]
    assert _last_code(data["catalog_category"]) == before
    assert _row_counts() == rows
    # a long description still within the limit is kept and indexed
    response = _post(app, "package_create", {**data, "notes": "说明" * 4_000}, sysadmin)
    assert response.status_code == 200, response.json


def test_a_script_address_is_refused_and_never_linked(app, scenario, entry_factory):
    sysadmin = scenario["callers"]["sysadmin"]
    entry = entry_factory(published=True)
    for url in ("javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,<script>"):
        response = _post(
            app,
            "resource_create",
            {"package_id": entry["id"], "url": url, "name": "脚本"},
            sysadmin,
        )
        assert response.status_code == 409, url
        assert "必须是网址" in response.json["error"]["url"][0]
    ok = _post(
        app,
        "resource_create",
        {"package_id": entry["id"], "url": "https://data.yiyang.gov.cn/a.csv", "name": "数据"},
        sysadmin,
    )
    assert ok.status_code == 200
    # one stored before the rule (straight into the table) is shown without its address
    resource = model.Resource.get(ok.json["result"]["id"])
    resource.url = "javascript:alert(document.cookie)"
    model.Session.commit()
    search.rebuild(entry["id"])
    shown = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource.id})
    assert shown["url"] == ""
    for path in (f"/dataset/{entry['name']}", f"/dataset/{entry['name']}/resource/{resource.id}"):
        page = app.get(path, headers=sysadmin)
        assert page.status_code == 200
        assert "alert(document.cookie)" not in page.get_data(as_text=True)
    download = app.get(
        f"/dataset/{entry['name']}/resource/{resource.id}/download",
        headers=sysadmin,
        follow_redirects=False,
    )
    assert download.status_code == 404
    assert "javascript:" not in download.headers.get("Location", "").lower()


@pytest.mark.parametrize(
    "method, path, params",
    [
        ("GET", "/api/3/action/yiyang_demand_show", {"id": "a\x00b"}),
        ("POST", "/api/3/action/yiyang_demand_create", {"title": "需\x00求"}),
        ("GET", "/dataset/", {"q": "\x00"}),
        ("GET", "/dataset/a%00b", {}),
    ],
)
def test_nul_characters_are_refused_with_400(app, scenario, method, path, params):
    headers = scenario["callers"]["editor"]
    if method == "GET":
        response = app.get(path, query_string=params, headers=headers)
    else:
        response = app.post(
            path, data=json.dumps(params), content_type="application/json", headers=headers
        )
    assert response.status_code == 400
    assert "空字符" in response.get_data(as_text=True)


def test_ids_must_be_text(app, scenario):
    response = _post(
        app,
        "resource_create",
        {"package_id": 3260345473362, "url": "https://a.cn"},
        scenario["callers"]["sysadmin"],
    )
    assert response.status_code == 409
    assert response.json["error"]["package_id"] == ["必须是文本（ID 或名称）"]
    twice = app.get(
        "/api/3/action/package_show",
        query_string=[("id", "a"), ("id", "b")],
        headers=scenario["callers"]["sysadmin"],
    )
    assert twice.status_code == 409
    assert twice.json["error"]["id"] == ["必须是文本（ID 或名称）"]


def test_a_resource_field_is_one_value(app, scenario):
    rows = _row_counts()
    response = _post(
        app,
        "resource_create",
        {"package_id": scenario["ids"][2], "url": "https://a.cn", "description": {"a": [1]}},
        scenario["callers"]["sysadmin"],
    )
    assert response.status_code == 409
    assert response.json["error"]["description"] == ["必须是单个值，不能是列表或对象"]
    assert _row_counts() == rows


def test_anonymous_collaborator_list_is_refused_not_a_500(app, scenario):
    entry_id = scenario["ids"][2]
    assert _post(app, "package_collaborator_list", {"id": entry_id}).status_code == 403
    assert (
        app.get("/api/3/action/package_collaborator_list", query_string={"id": entry_id})
    ).status_code == 403


def test_collaborator_list_refuses_an_id_that_is_not_one_text(app, scenario):
    """Found by the fuzz run at scale (benchmarks/fuzz.py, 18,960 cases): core looked the list
    up as a composite key and answered 500."""
    sysadmin = scenario["callers"]["sysadmin"]
    for bad in (["\U00040dbc", "\U00040dbc", ""], {"a": 1}, 7, None):
        response = _post(app, "package_collaborator_list", {"id": bad}, sysadmin)
        assert response.status_code == 409, (bad, response.get_data(as_text=True))
        assert response.json["error"]["id"]
