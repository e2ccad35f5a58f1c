"""Two decisions on one application at the same moment, through a real portal process:
exactly one wins, the other is told clearly that it was decided already."""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor

import ckanapi
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _decide(portal: str, tokens: list[str], sub_id: str, start: threading.Barrier, i: int) -> str:
    with ckanapi.RemoteCKAN(portal, apikey=tokens[i]) as ckan:
        start.wait()
        try:
            if i == 0:
                return ckan.action.yiyang_subscription_approve(id=sub_id)["status"]
            return ckan.action.yiyang_subscription_reject(id=sub_id, reason="不符")["status"]
        except ckanapi.ValidationError as error:
            return f"refused: {error.error_dict}"


def test_concurrent_decisions(live_portal, world, apply):
    users = world["users"]
    tokens = [
        factories.APIToken(user=users[name]["name"])["token"]
        for name in ("provider_admin", "sysadmin")
    ]
    for _round in range(4):
        sub = apply()
        start = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            decide = functools.partial(_decide, live_portal, tokens, sub["id"], start)
            outcomes = list(pool.map(decide, range(2)))
        won = [o for o in outcomes if not o.startswith("refused")]
        lost = [o for o in outcomes if o.startswith("refused")]
        assert len(won) == 1 and len(lost) == 1, outcomes
        # the loser is told why, in the field that says it (Chinese: the portal's default)
        assert "status" in lost[0] and "不能再更改" in lost[0]
        with ckanapi.RemoteCKAN(live_portal, apikey=tokens[1]) as ckan:
            assert ckan.action.yiyang_subscription_show(id=sub["id"])["status"] == won[0]
            if won[0] == "approved":  # make room for the next round's application
                ckan.action.yiyang_subscription_cancel(id=sub["id"])
