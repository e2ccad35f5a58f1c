"""Subscriptions commit as CKAN's actions do: not with ``defer_commit`` (the caller commits or
rolls back, and a rollback leaves no trace, notices included), else at once."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from ckanext.yiyang.notify.model import Notification
from ckanext.yiyang.subscription.model import Subscription

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _call(action: str, user: dict, defer: bool, **data):
    context = {"user": user["name"], "defer_commit": defer}
    return tk.get_action(f"yiyang_subscription_{action}")(context, data)


def _notices() -> int:
    return model.Session.query(Notification).count()


def _application(world) -> dict:
    return {
        "dataset_id": world["entries"]["conditional"]["id"],
        "purpose": "business_collaboration",
        "purpose_detail": "核对企业登记信息",
    }


@pytest.mark.parametrize("defer", [True, False])
def test_create(world, defer):
    notices = _notices()
    sub = _call("create", world["users"]["applicant_member"], defer, **_application(world))
    model.Session.rollback()
    kept = model.Session.get(Subscription, sub["id"]) is not None
    assert kept is not defer
    assert (_notices() > notices) is not defer  # the provider's admins are told


@pytest.mark.parametrize("defer", [True, False])
@pytest.mark.parametrize("action", ["approve", "reject", "cancel"])
def test_decisions(world, apply, action, defer):
    sub = apply()
    user = world["users"]["applicant_member" if action == "cancel" else "provider_admin"]
    decided = _call(action, user, defer, id=sub["id"], reason="不符合共享条件")
    assert decided["status"] != "pending"
    model.Session.rollback()
    status = model.Session.get(Subscription, sub["id"]).status
    assert status == ("pending" if defer else decided["status"])


@pytest.mark.parametrize("defer", [True, False])
def test_coordination(world, apply, defer):
    sub = apply("none")
    done = _call("coordinate", world["users"]["applicant_editor"], defer, id=sub["id"])
    assert done["coordination_requested"] is True
    model.Session.rollback()
    assert model.Session.get(Subscription, sub["id"]).coordination_requested is not defer
