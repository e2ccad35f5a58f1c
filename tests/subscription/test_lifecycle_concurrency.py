"""Two decisions at the same moment on one application, through a real portal process (each
request its own connection): for the office's compliance review, its binding decision and a
revocation, exactly one wins and the other is told it was decided already."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import ckanapi
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.subscription.model import Subscription

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _race(portal: str, tokens: list[str], calls: list[tuple[str, dict]]) -> list[str]:
    start = threading.Barrier(len(calls))

    def one(i: int) -> str:
        action, data = calls[i]
        with ckanapi.RemoteCKAN(portal, apikey=tokens[i]) as ckan:
            start.wait()
            try:
                return getattr(ckan.action, f"yiyang_subscription_{action}")(**data)["status"]
            except ckanapi.ValidationError as error:
                return f"lost: {error.error_dict}"

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, range(len(calls))))


def _one_wins(outcomes: list[str]) -> str:
    won = [o for o in outcomes if not o.startswith("lost: ")]
    lost = [o for o in outcomes if o.startswith("lost: ")]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "status" in lost[0] and "不能再更改" in lost[0]
    return won[0]


def _tokens(world, *names: str) -> list[str]:
    return [factories.APIToken(user=world["users"][n]["name"])["token"] for n in names]


def test_two_compliance_reviews(live_portal, world, act, apply):
    tokens = _tokens(world, "reviewer", "sysadmin")
    for _round in range(3):
        sub = apply()
        # the portal runs the 2016 flow (config/test.ini): put it in review by hand
        model.Session.query(Subscription).filter(Subscription.id == sub["id"]).update(
            {"status": "checking"}
        )
        model.Session.commit()
        outcomes = _race(
            live_portal,
            tokens,
            [
                ("check", {"id": sub["id"], "passed": True}),
                ("check", {"id": sub["id"], "passed": False, "opinion": "依据不足"}),
            ],
        )
        won = _one_wins(outcomes)
        assert act("show", world["users"]["sysadmin"], id=sub["id"])["status"] == won
        if won == "pending":
            act("cancel", world["users"]["sysadmin"], id=sub["id"])


def test_two_binding_decisions(live_portal, world, act, apply):
    tokens = _tokens(world, "reviewer", "sysadmin")
    for _round in range(3):
        sub = apply("none")
        act("coordinate", world["users"]["applicant_member"], id=sub["id"])
        outcomes = _race(
            live_portal,
            tokens,
            [
                ("decide", {"id": sub["id"], "granted": True, "reason": "应予共享"}),
                ("decide", {"id": sub["id"], "granted": False, "reason": "不予共享"}),
            ],
        )
        won = _one_wins(outcomes)
        assert act("show", world["users"]["sysadmin"], id=sub["id"])["status"] == won
        history = act("show", world["users"]["sysadmin"], id=sub["id"])["history"]
        assert [h["action"] for h in history].count("decide_grant") + [
            h["action"] for h in history
        ].count("decide_refuse") == 1
        if won == "approved":
            act("cancel", world["users"]["sysadmin"], id=sub["id"])


def test_revoke_against_cancel(live_portal, world, act, apply):
    tokens = _tokens(world, "provider_admin", "applicant_member")
    for _round in range(3):
        sub = apply()
        act("approve", world["users"]["provider_admin"], id=sub["id"])
        outcomes = _race(
            live_portal,
            tokens,
            [("revoke", {"id": sub["id"], "reason": "风险"}), ("cancel", {"id": sub["id"]})],
        )
        won = _one_wins(outcomes)
        assert won in ("revoked", "cancelled")
        assert act("show", world["users"]["sysadmin"], id=sub["id"])["status"] == won
