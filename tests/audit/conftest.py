"""A small city for the access log: unit A provides a conditional entry and an unconditional
one (each with a data resource), unit B reads them, unit C reads nothing; a user of every role,
each with an API token; the reads made through the real routes."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

ROLES = ("a_member", "a_editor", "a_admin", "b_member", "c_member", "reviewer", "registered")
#: A token name that begins like a formula: the export must keep it text.
B_TOKEN = '=HYPERLINK("http://evil")'


def act(action: str, user: str | None, /, **data: Any) -> Any:
    return tk.get_action(action)({"user": user}, data)


def token_of(name: str, token_name: str = "audit-test") -> str:
    return tk.get_action("api_token_create")(
        {"user": name, "ignore_auth": True}, {"user": name, "name": token_name}
    )["token"]


def build_city(make_unit: Any, entry_factory: Any) -> dict[str, Any]:
    users = {role: factories.User(name=f"audit_{role}") for role in ROLES}
    users["sysadmin"] = factories.Sysadmin(name="audit_sysadmin")
    names = {role: user["name"] for role, user in users.items()}
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": names["reviewer"], "capacity": "member"}],
    )
    unit_a = make_unit(
        title="审计提供单位",
        users=[
            {"name": names["a_member"], "capacity": "member"},
            {"name": names["a_editor"], "capacity": "editor"},
            {"name": names["a_admin"], "capacity": "admin"},
        ],
    )
    unit_b = make_unit(
        title="审计申请单位", users=[{"name": names["b_member"], "capacity": "member"}]
    )
    unit_c = make_unit(
        title="审计其他单位", users=[{"name": names["c_member"], "capacity": "member"}]
    )
    resource = {"name": "数据文件", "url": "https://data.example.org/secret.csv", "format": "CSV"}
    conditional = entry_factory(
        owner_org=unit_a["id"],
        published=True,
        title="审计有条件共享条目",
        share_type="conditional",
        resources=[resource],
    )
    unconditional = entry_factory(
        owner_org=unit_a["id"],
        published=True,
        title="审计无条件共享条目",
        share_type="unconditional",
        share_condition="",
        resources=[resource],
    )
    tokens = {role: token_of(name) for role, name in names.items()}
    tokens["b_member"] = token_of(names["b_member"], B_TOKEN)
    return {
        "users": names,
        "tokens": tokens,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "unit_c": unit_c,
        "conditional": conditional,
        "unconditional": unconditional,
    }


def download(app: Any, entry: dict[str, Any], token: str | None, **headers: str) -> Any:
    resource = entry["resources"][0]
    if token:
        headers["Authorization"] = token
    return app.get(
        f"/dataset/{entry['name']}/resource/{resource['id']}/download",
        headers=headers,
        follow_redirects=False,
    )


@pytest.fixture(scope="module")
def city(module_clean_db: None, make_unit: Any, module_entry_factory: Any) -> dict[str, Any]:
    return build_city(make_unit, module_entry_factory)


@pytest.fixture(scope="module")
def reads(city: dict[str, Any]) -> dict[str, Any]:
    """Three reads through CKAN's download route: B refused the conditional entry's file
    (with its formula-like token), A's member served it, B served the unconditional one."""
    from ckan.tests.helpers import _get_test_app

    app = _get_test_app()
    tokens = city["tokens"]
    return {
        "refused": download(app, city["conditional"], tokens["b_member"]),
        "own": download(app, city["conditional"], tokens["a_member"]),
        "open": download(app, city["unconditional"], tokens["b_member"]),
    }
