"""Races (issue 11 point 9): two requests that make the same or conflicting transitions at the
same moment, through a real portal process (each on its own connection and database session,
released together by a barrier). Exactly one wins; the other is refused with a 409 and a
Chinese message in the field that names the problem; the stored state is the winner's. Every
race runs several rounds."""

# ruff: noqa: F811 (the shared fixtures are imported: arguments of the same name use them)

from __future__ import annotations

import ckan.plugins.toolkit as tk
import ckanapi
import pytest
from ckan import model

from ckanext.yiyang.demand.model import Demand
from ckanext.yiyang.review.model import ReviewEvent, Revision
from ckanext.yiyang.subscription.model import Subscription

from .integrity_world import (  # noqa: F401 (fixtures)
    one_wins,
    people,
    race_fixture,
    tokens,
)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROUNDS = 3


def _call(action: str, **data):
    """A call of ``action`` with ``data`` through a portal connection."""
    return lambda ckan: getattr(ckan.action, action)(**data)


def _review(action: str, **data):
    return _call(f"yiyang_review_{action}", **data)


def _as(people, role: str, action: str, **data):
    return tk.get_action(action)({"user": people[role]["name"]}, data)


def _status(entry_id: str) -> str:
    model.Session.expire_all()
    return model.Package.get(entry_id).extras.get("review_status") or "draft"


def _events(entry_id: str, action: str) -> int:
    return model.Session.query(ReviewEvent).filter_by(package_id=entry_id, action=action).count()


class TestReview:
    def test_double_submit(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"])
            outcomes = race(
                [
                    (tokens("a_editor"), _review("submit", id=entry["id"])),
                    (tokens("a_admin"), _review("submit", id=entry["id"])),
                ]
            )
            one_wins(outcomes, "review_status")
            assert _status(entry["id"]) == "submitted"
            assert _events(entry["id"], "submit") == 1

    def test_double_approval(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"])
            _as(people, "a_editor", "yiyang_review_submit", id=entry["id"])
            outcomes = race(
                [
                    (tokens("reviewer"), _review("approve", id=entry["id"])),
                    (tokens("reviewer2"), _review("approve", id=entry["id"], opinion="同意")),
                ]
            )
            won, _lost = one_wins(outcomes, "review_status")
            assert won["review_status"] == "published"
            assert _status(entry["id"]) == "published"
            assert _events(entry["id"], "approve") == 1

    def test_approve_against_return(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"])
            _as(people, "a_editor", "yiyang_review_submit", id=entry["id"])
            outcomes = race(
                [
                    (tokens("reviewer"), _review("approve", id=entry["id"])),
                    (tokens("reviewer2"), _review("return", id=entry["id"], opinion="补充信息项")),
                ]
            )
            won, _lost = one_wins(outcomes, "review_status")
            assert _status(entry["id"]) == won["review_status"]
            assert _events(entry["id"], "approve") + _events(entry["id"], "return") == 1

    def test_double_withdrawal(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"], published=True)
            outcomes = race(
                [
                    (tokens("reviewer"), _review("withdraw", id=entry["id"], reason="数据过期")),
                    (tokens("a_admin"), _review("withdraw", id=entry["id"], reason="停止采集")),
                ]
            )
            one_wins(outcomes, "review_status")
            assert _status(entry["id"]) == "withdrawn"
            assert _events(entry["id"], "withdraw") == 1

    def test_a_change_approved_against_returned(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"], published=True)
            _as(people, "a_editor", "package_patch", id=entry["id"], title="新的名称")
            _as(people, "a_editor", "yiyang_review_submit", id=entry["id"])
            outcomes = race(
                [
                    (tokens("reviewer"), _review("approve", id=entry["id"])),
                    (tokens("reviewer2"), _review("return", id=entry["id"], opinion="名称不准确")),
                ]
            )
            won, _lost = one_wins(outcomes, "review_status")
            model.Session.expire_all()
            copy = model.Session.get(Revision, entry["id"])
            title = model.Package.get(entry["id"]).title
            if won["title"] == "新的名称":  # approved: written, the copy gone
                assert copy is None and title == "新的名称"
            else:
                assert copy is not None and copy.status == "returned"
                assert title == entry["title"]

    def test_a_change_saved_while_it_is_submitted(self, people, tokens, race, entry_factory):
        """A clerk saves the working copy of a published entry while another submits the copy
        they read (its ``version``): the submission is of the version read or of none. If the
        save comes first the submission is refused (the copy changed since it was read); if
        the submission comes first the save is refused (a copy under review is frozen)."""
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"], published=True)
            _as(people, "a_editor", "package_patch", id=entry["id"], title="第一版名称")
            read = _as(people, "a_admin", "yiyang_revision_show", id=entry["id"])
            outcomes = race(
                [
                    (
                        tokens("a_editor"),
                        _call("package_patch", id=entry["id"], title="第二版名称"),
                    ),
                    (
                        tokens("a_admin"),
                        _review("submit", id=entry["id"], version=read["version"]),
                    ),
                ]
            )
            one_wins_in(outcomes, ("version", "review_status"))
            model.Session.expire_all()
            copy = model.Session.get(Revision, entry["id"])
            if outcomes[1][0] == "ok":  # submitted first: the save came too late
                assert (copy.status, copy.data["title"]) == ("submitted", "第一版名称")
            else:  # saved first: the copy is the new one, not submitted
                assert (copy.status, copy.data["title"]) == ("draft", "第二版名称")
            assert model.Package.get(entry["id"]).title == entry["title"]

    def test_a_change_submitted_twice(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"], published=True)
            _as(people, "a_editor", "package_patch", id=entry["id"], title="新的名称")
            outcomes = race(
                [
                    (tokens("a_editor"), _review("submit", id=entry["id"])),
                    (tokens("a_admin"), _review("submit", id=entry["id"])),
                ]
            )
            one_wins(outcomes, "review_status")
            assert _events(entry["id"], "submit") == 2  # the entry's own, then the change's


def _forbidden_as_refused(call):
    """``call``, whose 403 counts as a refusal (in ``forbidden``): a unit's answer that
    arrives once the demand was routed away is refused at the door, no longer its demand."""

    def run(ckan):
        try:
            return call(ckan)
        except ckanapi.NotAuthorized as error:
            raise ckanapi.ValidationError({"forbidden": [str(error)]}) from None

    return run


def one_wins_in(outcomes, fields: tuple[str, ...]):
    """:func:`one_wins`, the loser refused in one of ``fields``."""
    lost = [r for kind, r in outcomes if kind == "refused"]
    field = next((f for f in fields if lost and lost[0].get(f)), fields[0])
    return one_wins(outcomes, field)


def _demand(people, entry_factory=None, accepted: bool = False) -> dict:
    demand = _as(
        people,
        "b_member",
        "yiyang_demand_create",
        title="企业登记信息",
        provider_org=people["unit_a"]["id"],
        content="全市企业的登记信息",
        purpose="税收征管",
        update_frequency="monthly",
    )
    if accepted:
        _as(people, "a_editor", "yiyang_demand_accept", id=demand["id"])
    return demand


def _stored_demand(demand_id: str) -> Demand:
    model.Session.expire_all()
    return model.Session.get(Demand, demand_id)


class TestDemand:
    def test_double_acceptance(self, people, tokens, race):
        for _round in range(ROUNDS):
            demand = _demand(people)
            outcomes = race(
                [
                    (tokens("a_editor"), _call("yiyang_demand_accept", id=demand["id"])),
                    (tokens("a_admin"), _call("yiyang_demand_accept", id=demand["id"])),
                ]
            )
            one_wins(outcomes, "status")
            assert _stored_demand(demand["id"]).status == "accepted"

    def test_reject_against_fulfil(self, people, tokens, race, entry_factory):
        entry = entry_factory(people["unit_a"]["id"], published=True, disclosure_scope="public")
        for _round in range(ROUNDS):
            demand = _demand(people, accepted=True)
            outcomes = race(
                [
                    (
                        tokens("a_editor"),
                        _call("yiyang_demand_reject", id=demand["id"], reason="无"),
                    ),
                    (
                        tokens("a_admin"),
                        _call("yiyang_demand_fulfil", id=demand["id"], dataset_id=entry["id"]),
                    ),
                ]
            )
            won, _lost = one_wins(outcomes, "status")
            stored = _stored_demand(demand["id"])
            assert stored.status == won["status"]
            assert (stored.dataset_id is not None) is (won["status"] == "fulfilled")

    def test_double_fulfil(self, people, tokens, race, entry_factory):
        entry = entry_factory(people["unit_a"]["id"], published=True, disclosure_scope="public")
        other = entry_factory(people["unit_a"]["id"], published=True, disclosure_scope="public")
        for _round in range(ROUNDS):
            demand = _demand(people, accepted=True)
            outcomes = race(
                [
                    (
                        tokens(role),
                        _call("yiyang_demand_fulfil", id=demand["id"], dataset_id=e["id"]),
                    )
                    for role, e in (("a_editor", entry), ("a_admin", other))
                ]
            )
            won, _lost = one_wins(outcomes, "status")
            assert _stored_demand(demand["id"]).dataset_id == won["dataset_id"]

    def test_routed_while_its_provider_accepts(self, people, tokens, race, make_unit):
        """转办 against 受理: the office routes the demand to another unit while the unit it
        was addressed to accepts it. Whichever comes second is refused: a demand is never
        accepted by a unit it was routed away from."""
        other = make_unit(title="市统计局")
        for _round in range(ROUNDS):
            demand = _demand(people)
            outcomes = race(
                [
                    (
                        tokens("reviewer"),
                        _call("yiyang_demand_route", id=demand["id"], provider_org=other["id"]),
                    ),
                    (
                        tokens("a_editor"),
                        _forbidden_as_refused(_call("yiyang_demand_accept", id=demand["id"])),
                    ),
                ]
            )
            won, _lost = one_wins_in(outcomes, ("status", "provider_org", "forbidden"))
            stored = _stored_demand(demand["id"])
            assert (stored.status, stored.provider_org) == (won["status"], won["provider_org"])
            if won["status"] == "accepted":  # accepted first: the routing came too late
                assert stored.provider_org == people["unit_a"]["id"]
            else:  # routed first: unit A may no longer accept it
                assert (stored.status, stored.provider_org) == ("submitted", other["id"])

    def test_double_close(self, people, tokens, race):
        for _round in range(ROUNDS):
            demand = _demand(people)
            outcomes = race(
                [
                    (tokens("b_member"), _call("yiyang_demand_close", id=demand["id"])),
                    (
                        tokens("reviewer"),
                        _call("yiyang_demand_close", id=demand["id"], reason="重复需求"),
                    ),
                ]
            )
            one_wins(outcomes, "status")
            assert _stored_demand(demand["id"]).status == "closed"


class TestSubscription:
    def test_double_cancel(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"], published=True, share_type="conditional")
            applied = _as(
                people,
                "b_member",
                "yiyang_subscription_create",
                dataset_id=entry["id"],
                purpose="business_collaboration",
                purpose_detail="税收征管中核对企业登记信息",
            )
            cancel = _call("yiyang_subscription_cancel", id=applied["id"], reason="不再需要")
            outcomes = race([(tokens("b_member"), cancel), (tokens("b_member"), cancel)])
            won, _lost = one_wins(outcomes, "status")
            assert won["status"] == "cancelled"
            model.Session.expire_all()
            assert model.Session.get(Subscription, applied["id"]).status == "cancelled"

    def test_two_applications_of_one_unit(self, people, tokens, race, entry_factory):
        for _round in range(ROUNDS):
            entry = entry_factory(people["unit_a"]["id"], published=True, share_type="conditional")
            apply = _call(
                "yiyang_subscription_create",
                dataset_id=entry["id"],
                purpose="business_collaboration",
                purpose_detail="税收征管中核对企业登记信息",
            )
            outcomes = race([(tokens("b_member"), apply), (tokens("b_member2"), apply)])
            won, _lost = one_wins(outcomes, "dataset_id")
            assert won["status"] == "pending"
            model.Session.expire_all()
            rows = model.Session.query(Subscription).filter_by(dataset_id=entry["id"]).all()
            assert [r.status for r in rows] == ["pending"]
