"""The application (共享申请) state machine, 2025 lifecycle (catalog-model §7, §11; 政务数据共享条例
and the local rules in standards.md), declared once.

Stored names and the names of catalog-model §11: the stored ``approved`` IS the grant
(``granted``), kept so that the 2016 flow's API, pages and data stay valid; ``rejected`` is a
refusal that may still be contested. The API emits both: ``status`` (stored) and ``lifecycle``
(§11's name: ``granted``/``expiring``/``expired``/``revoked`` for grants) and accepts
``granted`` wherever it accepts a state (:func:`stored`).

Routing at creation: with the office's compliance review (符合性审查, option
``ckanext.yiyang.subscription.compliance_review``) every shared application starts ``checking``;
passed, an ``unconditional`` one is granted (the provider informed) and a ``conditional`` one
goes to the provider (``pending``); failed, it is ``rejected`` with the office's opinion.
Without the review the 2016 flow holds: unconditional granted at once, conditional pending.
``none`` entries are refused at once with their recorded basis.

A refusal may be contested: ``negotiating`` between the two units (a thread of messages), then
the office ``coordinating`` and its binding ``decide`` (granted, or ``refused`` for good).
Grants become ``expiring`` N working days before ``valid_until`` (the daily job), then
``expired``; the provider or the office may ``revoke`` one; ``cancel`` stays the applicant's
(and, as in 2016, the provider's revocation of a pending or granted one).
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
CHECKING, NEGOTIATING, COORDINATING, REFUSED, EXPIRING, REVOKED = (
    "checking",
    "negotiating",
    "coordinating",
    "refused",
    "expiring",
    "revoked",
)
#: §11's name of the grant, stored as ``approved``.
GRANTED = "granted"
_OFFICE = "reviewers (the e-government office)"
_PROVIDER = "the providing unit's admins"

MACHINE = Machine(
    labels={
        CHECKING: N_("In compliance review by the office"),
        PENDING: N_("Awaiting approval"),
        APPROVED: N_("Granted"),
        EXPIRING: N_("Granted, expiring soon"),
        REJECTED: N_("Refused"),
        NEGOTIATING: N_("Refusal contested, units negotiating"),
        COORDINATING: N_("The office is coordinating"),
        REFUSED: N_("Refused by the office's decision"),
        CANCELLED: N_("Cancelled"),
        EXPIRED: N_("Expired"),
        REVOKED: N_("Revoked"),
    },
    transitions=transitions(
        Transition("pass", frozenset({CHECKING}), PENDING, _OFFICE + " (conditional entries)"),
        Transition("grant", frozenset({CHECKING}), APPROVED, _OFFICE + " (unconditional)"),
        Transition("fail", frozenset({CHECKING}), REJECTED, _OFFICE),
        Transition("approve", frozenset({PENDING, NEGOTIATING}), APPROVED, _PROVIDER),
        Transition("reject", frozenset({PENDING}), REJECTED, _PROVIDER),
        Transition(
            "cancel",
            frozenset({CHECKING, PENDING, APPROVED, EXPIRING, NEGOTIATING, COORDINATING}),
            CANCELLED,
            "the applicant unit; the providing unit's admins (revoke)",
        ),
        Transition("contest", frozenset({REJECTED}), NEGOTIATING, "the applicant unit"),
        Transition(
            "coordinate",
            frozenset({REJECTED, NEGOTIATING}),
            COORDINATING,
            "the applicant unit (asks the office)",
        ),
        Transition("decide_grant", frozenset({COORDINATING}), APPROVED, _OFFICE),
        Transition("decide_refuse", frozenset({COORDINATING}), REFUSED, _OFFICE),
        Transition("warn", frozenset({APPROVED}), EXPIRING, "the daily job, before valid_until"),
        Transition("revoke", frozenset({APPROVED, EXPIRING}), REVOKED, _PROVIDER + "; " + _OFFICE),
        Transition(
            "expire", frozenset({APPROVED, EXPIRING}), EXPIRED, "the daily job, after valid_until"
        ),
    ),
)
STATES = MACHINE.states
#: An application that holds the entry for its unit: no second one while it lives.
LIVE = MACHINE.starts("cancel")
#: States in which the applicant unit reads the data (until ``valid_until``).
GRANTS = frozenset({APPROVED, EXPIRING})
#: States that wait for someone within a deadline (``due_date``).
WAITING = frozenset({CHECKING, PENDING, NEGOTIATING, COORDINATING})
#: What a grant may be renewed from.
RENEWABLE = frozenset({APPROVED, EXPIRING, EXPIRED})
#: Transitions that only the machinery makes (the page offers none of them as a button).
AUTOMATIC = frozenset({"expire", "warn", "pass", "grant", "fail", "decide_grant", "decide_refuse"})


def lifecycle(status: str) -> str:
    """catalog-model §11's name of a stored state."""
    return GRANTED if status == APPROVED else status


def stored(name: str) -> str:
    """The stored name of a state given by §11's name (``granted``) or the stored one."""
    return APPROVED if name == GRANTED else name
