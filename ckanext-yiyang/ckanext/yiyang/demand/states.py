"""The demand state machine (catalog-model §8), declared once.

A demand is submitted (to a providing unit, or to the office to route it), accepted by the
provider, then fulfilled with a catalog entry or rejected with a reason; the requesting side
may close it at any time.
"""

from __future__ import annotations

from ckanext.yiyang.logic.states import N_, Machine, Transition, transitions

SUBMITTED, ACCEPTED, FULFILLED, REJECTED, CLOSED = (
    "submitted",
    "accepted",
    "fulfilled",
    "rejected",
    "closed",
)
#: The provider (or, without one, the office) still has to answer.
OPEN = (SUBMITTED, ACCEPTED)
_PROVIDER = "the providing unit's editors and admins"

MACHINE = Machine(
    labels={
        SUBMITTED: N_("Waiting to be accepted"),
        ACCEPTED: N_("Accepted, being answered"),
        FULFILLED: N_("Fulfilled"),
        REJECTED: N_("Cannot be met"),
        CLOSED: N_("Closed"),
    },
    transitions=transitions(
        Transition("route", frozenset({SUBMITTED}), SUBMITTED, "reviewers (the office)"),
        Transition("accept", frozenset({SUBMITTED}), ACCEPTED, _PROVIDER),
        Transition("fulfil", frozenset({ACCEPTED}), FULFILLED, _PROVIDER),
        Transition("reject", frozenset(OPEN), REJECTED, _PROVIDER),
        Transition(
            "close",
            frozenset({SUBMITTED, ACCEPTED, FULFILLED, REJECTED}),
            CLOSED,
            "the requesting unit's members, reviewers",
        ),
    ),
)
STATES = MACHINE.states
#: The list's filters besides one state.
OPEN_FILTER, ALL = "open", "all"
