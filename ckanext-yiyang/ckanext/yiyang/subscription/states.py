"""The subscription state machine (catalog-model §7), declared once.

``unconditional`` entries are approved at once, ``conditional`` ones wait (pending) for the
providing unit's admins, ``none`` ones are rejected at once with the entry's recorded basis.
Pending and approved ones can be cancelled; approved ones expire after ``valid_until``.
"""

from __future__ import annotations

from ckanext.yiyang.logic.states import N_, Machine, Transition, transitions

PENDING, APPROVED, REJECTED, CANCELLED, EXPIRED = (
    "pending",
    "approved",
    "rejected",
    "cancelled",
    "expired",
)

MACHINE = Machine(
    labels={
        PENDING: N_("Awaiting approval"),
        APPROVED: N_("Granted"),
        REJECTED: N_("Refused"),
        CANCELLED: N_("Cancelled"),
        EXPIRED: N_("Expired"),
    },
    transitions=transitions(
        Transition("approve", frozenset({PENDING}), APPROVED, "the providing unit's admins"),
        Transition("reject", frozenset({PENDING}), REJECTED, "the providing unit's admins"),
        Transition(
            "cancel",
            frozenset({PENDING, APPROVED}),
            CANCELLED,
            "the applicant unit; the providing unit's admins (revoke)",
        ),
        Transition("expire", frozenset({APPROVED}), EXPIRED, "the daily job, after valid_until"),
    ),
)
STATES = MACHINE.states
#: An application that holds the entry for its unit: no second one while it lives.
LIVE = MACHINE.starts("cancel")
