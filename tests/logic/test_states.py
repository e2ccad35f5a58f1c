"""The state machines as declared (no database, no plugins): the rules the actions and the
pages read."""

from __future__ import annotations

import pytest

from ckanext.yiyang.catalog import schema as catalog_schema
from ckanext.yiyang.demand import states as demand
from ckanext.yiyang.review import states as review
from ckanext.yiyang.subscription import states as subscription


class TestReview:
    @pytest.mark.parametrize(
        "state,steps",
        [
            ("draft", ["submit"]),
            ("returned", ["submit"]),
            ("withdrawn", ["submit"]),
            ("submitted", ["approve", "return"]),
            ("published", ["withdraw"]),
        ],
    )
    def test_steps_of_an_entry(self, state, steps):
        assert review.steps(state) == steps

    def test_no_state_yet_is_a_draft(self):
        assert review.steps(None) == ["submit"]

    @pytest.mark.parametrize(
        "revision,steps",
        [
            ("draft", ["submit", "withdraw"]),
            ("returned", ["submit", "withdraw"]),
            ("submitted", ["approve", "return", "withdraw"]),
        ],
    )
    def test_a_pending_change_takes_the_review_steps(self, revision, steps):
        assert review.steps("published", revision) == steps

    def test_a_working_copy_only_counts_for_a_published_entry(self):
        assert review.steps("withdrawn", "draft") == ["submit"]

    def test_labels_are_the_scheming_choices(self):
        assert review.ENTRY.choices() == catalog_schema.REVIEW_STATUSES
        assert review.ENTRY.label("returned", "zh_Hans_CN") == "退回修改"
        assert review.ENTRY.label("returned", "en") == "Returned"
        assert review.ENTRY.label("unknown", "en") == "unknown"


class TestSubscription:
    def test_decisions(self):
        machine = subscription.MACHINE
        assert machine.next_actions("pending") == ["approve", "reject", "cancel"]
        # the 2025 lifecycle (issue 14.1): grants are revoked, warned and expired; a refusal
        # is contested or coordinated; the office reviews first and decides last
        assert machine.next_actions("approved") == ["cancel", "warn", "revoke", "expire"]
        assert machine.next_actions("expiring") == ["cancel", "revoke", "expire"]
        assert machine.next_actions("rejected") == ["contest", "coordinate"]
        assert machine.next_actions("checking") == ["pass", "grant", "fail", "cancel"]
        assert machine.next_actions("coordinating") == ["cancel", "decide_grant", "decide_refuse"]
        for final in ("cancelled", "expired", "refused", "revoked"):
            assert machine.next_actions(final) == []
        assert {
            "checking",
            "pending",
            "approved",
            "expiring",
            "negotiating",
            "coordinating",
        } == subscription.LIVE


class TestDemand:
    @pytest.mark.parametrize(
        "state,actions",
        [
            ("submitted", ["route", "accept", "reject", "close"]),
            ("accepted", ["fulfil", "reject", "close"]),
            ("fulfilled", ["close"]),
            ("rejected", ["close"]),
            ("closed", []),
        ],
    )
    def test_actions(self, state, actions):
        assert demand.MACHINE.next_actions(state) == actions

    def test_every_state_is_labelled(self):
        assert set(demand.MACHINE.states) == {*demand.OPEN, "fulfilled", "rejected", "closed"}
