"""A small world for the desk: a providing unit (editor, admin, member), an applying unit, the
office's reviewer; entries in each review state, an application and demands."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config


@pytest.fixture
def desk_world(make_unit, entry_factory):
    """The world, afresh for a test that changes it."""
    return build_world(make_unit, entry_factory)


@pytest.fixture(scope="module")
def module_desk_world(module_clean_db, make_unit, module_entry_factory):
    """The world, built once for a module whose tests only read it."""
    return build_world(make_unit, module_entry_factory)


def build_world(make_unit, entry_factory):
    users = {
        n: factories.User(fullname=f"测试{n}", email=f"{n}@yiyang.test")
        for n in ("editor", "admin", "member", "applicant", "reviewer", "loner")
    }
    unit = make_unit(
        title="市国土资源局",
        users=[{"name": users[r]["name"], "capacity": r} for r in ("editor", "admin", "member")],
    )
    applicant_unit = make_unit(
        title="市税务局", users=[{"name": users["applicant"]["name"], "capacity": "admin"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )

    def as_user(name: str, action: str, **data):
        return tk.get_action(action)({"user": users[name]["name"]}, data)

    drafts = [entry_factory(unit["id"], title=f"草稿资源{i}") for i in range(3)]
    returned = entry_factory(unit["id"], title="退回的资源")
    as_user("editor", "yiyang_review_submit", id=returned["id"])
    as_user("reviewer", "yiyang_review_return", id=returned["id"], opinion="请补充信息项")
    submitted = entry_factory(unit["id"], title="待审核的资源")
    as_user("editor", "yiyang_review_submit", id=submitted["id"])
    published = entry_factory(
        unit["id"],
        published=True,
        title="已发布的资源",
        share_type="conditional",
        disclosure_scope="public",
    )
    application = as_user(
        "applicant",
        "yiyang_subscription_create",
        dataset_id=published["id"],
        purpose="business_collaboration",
        purpose_detail="税收征管中核对",
    )
    demand = as_user(
        "applicant",
        "yiyang_demand_create",
        title="不动产登记信息",
        content="全市不动产登记信息，用于税收征管。",
        purpose="税收征管",
        update_frequency="monthly",
        provider_org=unit["name"],
    )
    unrouted = as_user(
        "applicant",
        "yiyang_demand_create",
        title="无人认领的需求",
        content="不知道哪个单位有的数据。",
        purpose="税收征管",
        update_frequency="monthly",
    )
    return {
        "users": users,
        "unit": unit,
        "applicant_unit": applicant_unit,
        "drafts": drafts,
        "returned": returned,
        "submitted": submitted,
        "published": published,
        "application": application,
        "demand": demand,
        "unrouted": unrouted,
        "as_user": as_user,
    }
