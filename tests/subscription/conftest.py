"""A small world for subscriptions: a providing unit and an applicant unit, each with a
member, an editor and an admin; the office with a reviewer; a sysadmin; an account of no unit;
and three published entries, one per share type, each with one data resource."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

ROLES = ("member", "editor", "admin")


@pytest.fixture
def world(make_unit, entry_factory):
    return build_world(make_unit, entry_factory)


def build_world(make_unit, entry_factory) -> dict:
    """The world, made with the given factories (a module builds it once with the
    module-scoped ones)."""
    users = {}
    for side in ("provider", "applicant"):
        for role in ROLES:
            users[f"{side}_{role}"] = factories.User(email=f"{side}_{role}@yiyang.test")
    users["reviewer"] = factories.User(email="reviewer@yiyang.test")
    users["registered"] = factories.User(email="registered@yiyang.test")
    users["other_unit"] = factories.User(email="other@yiyang.test")
    users["sysadmin"] = factories.Sysadmin(email="sysadmin@yiyang.test")
    provider = make_unit(
        title="市市场监督管理局",
        users=[{"name": users[f"provider_{r}"]["name"], "capacity": r} for r in ROLES],
    )
    applicant = make_unit(
        title="市税务局",
        users=[{"name": users[f"applicant_{r}"]["name"], "capacity": r} for r in ROLES],
    )
    other = make_unit(
        title="市统计局", users=[{"name": users["other_unit"]["name"], "capacity": "member"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    entries = {}
    for share in ("unconditional", "conditional", "none"):
        extra = {"share_condition": "依据《数据安全法》不予共享"} if share == "none" else {}
        if share == "unconditional":
            extra = {"share_condition": ""}
        entry = entry_factory(
            provider["id"],
            published=True,
            title=f"企业登记信息{share}",
            share_type=share,
            disclosure_scope="public",
            **extra,
        )
        tk.get_action("resource_create")(
            {"user": users["sysadmin"]["name"]},
            {
                "package_id": entry["id"],
                "name": f"数据文件{share}",
                "url": f"https://data.yiyang.test/{share}-secret.csv",
                "format": "CSV",
            },
        )
        entries[share] = tk.get_action("package_show")({"ignore_auth": True}, {"id": entry["id"]})
    return {
        "users": users,
        "provider": provider,
        "applicant": applicant,
        "other": other,
        "entries": entries,
    }


def act(action: str, user: dict | None, **data):
    context = {"user": user["name"] if user else None}
    return tk.get_action(f"yiyang_subscription_{action}")(context, data)


def apply(world, share: str = "conditional", user: str = "applicant_member", **data):
    data.setdefault("purpose", "business_collaboration")
    data.setdefault("purpose_detail", "税收征管中核对企业登记信息")
    return act("create", world["users"][user], dataset_id=world["entries"][share]["id"], **data)


@pytest.fixture(name="act")
def act_fixture():
    """``act(action, user_dict_or_None, **data)``: call ``yiyang_subscription_<action>``."""
    return act


@pytest.fixture(name="apply")
def apply_fixture(world):
    """``apply(share="conditional", user="applicant_member", **data)``."""

    def make(share: str = "conditional", user: str = "applicant_member", **data):
        return apply(world, share, user, **data)

    return make
