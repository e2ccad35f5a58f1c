"""Demands commit as CKAN's actions do: not with ``defer_commit`` (the caller commits or
rolls back, and a rollback leaves no trace, notices included), else at once."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from ckanext.yiyang.demand.model import Demand, DemandComment
from ckanext.yiyang.notify.model import Notification

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _call(action: str, user: dict, defer: bool, **data):
    context = {"user": user["name"], "defer_commit": defer}
    return tk.get_action(f"yiyang_demand_{action}")(context, data)


def _notices() -> int:
    return model.Session.query(Notification).count()


@pytest.mark.parametrize("defer", [True, False])
def test_create(people, defer):
    notices = _notices()
    demand = _call(
        "create",
        people["requester"],
        defer,
        provider_org=people["provider_unit"]["name"],
        title="户籍人口信息",
        content="全市户籍人口的姓名和户籍地址",
        purpose="义务教育入学资格审核",
        update_frequency="monthly",
    )
    assert demand["status"] == "submitted"
    model.Session.rollback()
    assert (model.Session.get(Demand, demand["id"]) is not None) is not defer
    assert (_notices() > notices) is not defer


@pytest.mark.parametrize("defer", [True, False])
@pytest.mark.parametrize(
    "action,user,data",
    [
        ("accept", "editor", {}),
        ("reject", "editor", {"reason": "数据尚未采集"}),
        ("close", "requester", {"reason": "不再需要"}),
    ],
)
def test_transitions(people, raise_demand, action, user, data, defer):
    demand = raise_demand()
    notices = _notices()
    changed = _call(action, people[user], defer, id=demand["id"], **data)
    assert changed["status"] != "submitted"
    model.Session.rollback()
    stored = model.Session.get(Demand, demand["id"])
    assert stored.status == ("submitted" if defer else changed["status"])
    if action != "close":  # the requester is told (closing tells nobody)
        assert (_notices() > notices) is not defer


@pytest.mark.parametrize("defer", [True, False])
def test_route(people, raise_demand, defer):
    demand = raise_demand(provider=False)
    routed = _call(
        "route",
        people["reviewer"],
        defer,
        id=demand["id"],
        provider_org=people["third_unit"]["id"],
    )
    assert routed["provider_org"] == people["third_unit"]["id"]
    model.Session.rollback()
    stored = model.Session.get(Demand, demand["id"])
    assert (stored.provider_org is None) is defer


@pytest.mark.parametrize("defer", [True, False])
def test_comment(people, raise_demand, defer):
    demand = raise_demand()
    comment = _call("comment", people["requester"], defer, id=demand["id"], body="请尽快提供")
    assert comment["demand_id"] == demand["id"] and comment["body"] == "请尽快提供"
    model.Session.rollback()
    assert (model.Session.get(DemandComment, comment["id"]) is not None) is not defer
