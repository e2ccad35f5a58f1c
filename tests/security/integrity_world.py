"""People of the integrity tests (a module of their own, not a conftest: other security tests
have theirs), imported by the test modules: a providing unit A (member, editor, admin), a requesting unit
B (two members, an editor), two reviewers of the office, a sysadmin; and ``race``, which sends
concurrent requests to a real portal process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import ckanapi
import pytest
from ckan.tests import factories

from ckanext.yiyang import config


@pytest.fixture
def people(with_plugins, clean_db, clean_index, make_unit):
    """(Imported into the test modules, this fixture names the fixtures it needs first.)"""
    names = ("a_member", "a_editor", "a_admin", "b_member", "b_member2", "b_editor")
    users = {n: factories.User(email=f"{n}@yiyang.test") for n in names}
    users["reviewer"] = factories.User(email="reviewer@yiyang.test")
    users["reviewer2"] = factories.User(email="reviewer2@yiyang.test")
    unit_a = make_unit(
        title="市市场监督管理局",
        users=[
            {"name": users[f"a_{r}"]["name"], "capacity": r} for r in ("member", "editor", "admin")
        ],
    )
    unit_b = make_unit(
        title="市税务局",
        users=[
            {"name": users["b_member"]["name"], "capacity": "member"},
            {"name": users["b_member2"]["name"], "capacity": "member"},
            {"name": users["b_editor"]["name"], "capacity": "editor"},
        ],
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[
            {"name": users["reviewer"]["name"], "capacity": "member"},
            {"name": users["reviewer2"]["name"], "capacity": "member"},
        ],
    )
    users["sysadmin"] = factories.Sysadmin()
    return {"unit_a": unit_a, "unit_b": unit_b, **users}


@pytest.fixture
def tokens(people):
    """An API token of every person, by role."""
    cache: dict[str, str] = {}

    def token(role: str) -> str:
        if role not in cache:
            cache[role] = factories.APIToken(user=people[role]["name"])["token"]
        return cache[role]

    return token


Call = Callable[[Any], Any]


def race(portal: str, calls: list[tuple[str, Call]]) -> list[tuple[str, Any]]:
    """Send ``calls`` (``(token, call(ckan))``) to the portal at once, each on a connection of
    its own, released together by a barrier. Each outcome is ``("ok", result)`` or
    ``("refused", error_dict)`` (a ValidationError: HTTP 409)."""
    start = threading.Barrier(len(calls))

    def one(index: int) -> tuple[str, Any]:
        token, call = calls[index]
        with ckanapi.RemoteCKAN(portal, apikey=token) as ckan:
            start.wait()
            try:
                return "ok", call(ckan)
            except ckanapi.ValidationError as error:
                return "refused", error.error_dict

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, range(len(calls))))


def one_wins(outcomes: list[tuple[str, Any]], field: str) -> tuple[Any, dict[str, Any]]:
    """Exactly one call won and the other was refused, in ``field``, in Chinese; the winner's
    result and the loser's errors."""
    won = [r for kind, r in outcomes if kind == "ok"]
    lost = [r for kind, r in outcomes if kind == "refused"]
    assert len(won) == 1 and len(lost) == 1, outcomes
    message = " ".join(str(m) for m in lost[0].get(field) or [])
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message), lost[0]
    return won[0], lost[0]


@pytest.fixture(name="race")
def race_fixture(live_portal):
    """``race(calls)``: see :func:`race`."""
    return lambda calls: race(live_portal, calls)
