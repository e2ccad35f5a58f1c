"""People of the demand tests: a requesting unit, a providing unit, a third unit, the office."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config


@pytest.fixture
def people(make_unit):
    """The requesting unit (市教育局: a member), the providing unit (市公安局: member, editor,
    admin), a third unit's editor, a reviewer (member of the e-government office), a sysadmin."""
    names = ("requester", "member", "editor", "admin", "outsider", "reviewer")
    users = {n: factories.User(email=f"{n}@yiyang.test") for n in names}
    requester_unit = make_unit(
        title="市教育局", users=[{"name": users["requester"]["name"], "capacity": "member"}]
    )
    provider_unit = make_unit(
        title="市公安局",
        users=[{"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")],
    )
    third_unit = make_unit(
        title="市统计局", users=[{"name": users["outsider"]["name"], "capacity": "editor"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    users["sysadmin"] = factories.Sysadmin()
    return {
        "requester_unit": requester_unit,
        "provider_unit": provider_unit,
        "third_unit": third_unit,
        **users,
    }


DEMAND = {
    "title": "户籍人口信息",
    "content": "全市户籍人口的姓名、身份证号和户籍地址，用于入学资格审核。",
    "purpose": "义务教育入学资格审核",
    "update_frequency": "monthly",
}


@pytest.fixture
def raise_demand(people):
    def make(provider=True, **overrides):
        if provider:
            overrides.setdefault("provider_org", people["provider_unit"]["name"])
        return tk.get_action("yiyang_demand_create")(
            {"user": people["requester"]["name"]}, {**DEMAND, **overrides}
        )

    return make
