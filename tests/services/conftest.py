"""A world for the data service accounts: the subscription suite's (a providing and an
applicant unit with a member, an editor and an admin each, the office's reviewer, a sysadmin,
an account of no unit, a published entry per share type with one data file), plus a second
conditional entry of the provider, a draft of each unit, and the applicant's approved
application to the first conditional entry."""

from __future__ import annotations

import itertools

import ckan.plugins.toolkit as tk
import pytest

from tests.subscription.conftest import act, apply, build_world

_names = itertools.count(1)


@pytest.fixture(scope="module")
def world(module_clean_db, make_unit, module_entry_factory):
    world = build_world(make_unit, module_entry_factory)
    users = world["users"]
    other = module_entry_factory(
        world["provider"]["id"],
        published=True,
        title="企业登记信息未获批",
        share_type="conditional",
        disclosure_scope="public",
    )
    tk.get_action("resource_create")(
        {"user": users["sysadmin"]["name"]},
        {
            "package_id": other["id"],
            "name": "数据文件未获批",
            "url": "https://data.yiyang.test/not-granted-secret.csv",
            "format": "CSV",
        },
    )
    world["entries"]["not_granted"] = tk.get_action("package_show")(
        {"ignore_auth": True}, {"id": other["id"]}
    )
    world["drafts"] = {
        side: module_entry_factory(world[side]["id"], title=f"未发布草稿{side}")
        for side in ("applicant", "provider")
    }
    sub = apply(world, "conditional", "applicant_member")
    act("approve", users["provider_admin"], id=sub["id"])
    return world


@pytest.fixture
def new_name():
    """A fresh short name for an account (the world lives for the whole module)."""
    return lambda: f"sys{next(_names)}"


def service(action: str, user: dict | None, **data):
    context = {"user": user["name"] if user else None}
    return tk.get_action(f"yiyang_service_account_{action}")(context, data)


@pytest.fixture(name="service")
def service_fixture():
    """``service(action, user_dict_or_None, **data)``: call ``yiyang_service_account_<action>``."""
    return service
