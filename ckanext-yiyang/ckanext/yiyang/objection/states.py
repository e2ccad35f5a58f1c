"""The objection state machine (catalog-model §11; 淮安 DB3208/T 219—2024: 提出, 受理, 标注,
核实与处理, 标注撤销), declared once.

An objection is raised on an entry (the entry is marked 有异议), accepted by the e-government
office and forwarded to the providing unit, which verifies it: corrected (已更正, linked to the
revision or data reload) or the data maintained (维持原数据, with a reason). The office then
removes the mark (close, 标注撤销). The raiser may contest the outcome once; the office decides:
the provider verifies again, or the outcome stands and the objection is closed.
"""

from __future__ import annotations

from ckanext.yiyang.logic.states import N_, Machine, Transition, transitions

RAISED, ACCEPTED, CORRECTED, MAINTAINED, CONTESTED, CLOSED = (
    "raised",
    "accepted",
    "corrected",
    "maintained",
    "contested",
    "closed",
)
#: Someone must still act within a deadline (the office or the provider).
PENDING = (RAISED, ACCEPTED, CONTESTED)
#: The entry is marked 有异议 while an objection is in one of these.
MARKED = (RAISED, ACCEPTED, CORRECTED, MAINTAINED, CONTESTED)
RESOLVED = (CORRECTED, MAINTAINED)
_OFFICE = "reviewers (the office)"
_PROVIDER = "the providing unit's editors and admins"

MACHINE = Machine(
    labels={
        RAISED: N_("Raised, waiting to be accepted"),
        ACCEPTED: N_("Accepted, being verified by the provider"),
        CORRECTED: N_("Corrected"),
        MAINTAINED: N_("Data maintained"),
        CONTESTED: N_("Contested, awaiting the office's decision"),
        CLOSED: N_("Closed, mark removed"),
    },
    transitions=transitions(
        Transition("accept", frozenset({RAISED}), ACCEPTED, _OFFICE),
        Transition("extend", frozenset({ACCEPTED}), ACCEPTED, _PROVIDER),
        Transition("correct", frozenset({ACCEPTED}), CORRECTED, _PROVIDER),
        Transition("maintain", frozenset({ACCEPTED}), MAINTAINED, _PROVIDER),
        Transition("contest", frozenset({CORRECTED, MAINTAINED, CLOSED}), CONTESTED, "the raiser"),
        Transition("reopen", frozenset({CONTESTED}), ACCEPTED, _OFFICE),
        Transition("uphold", frozenset({CONTESTED}), CLOSED, _OFFICE),
        Transition("close", frozenset({RAISED, CORRECTED, MAINTAINED}), CLOSED, _OFFICE),
    ),
)
STATES = MACHINE.states
#: The list's filters besides one state.
OPEN_FILTER, ALL = "open", "all"

KINDS = {
    "data_error": N_("Data error"),
    "data_missing": N_("Data missing"),
    "stale": N_("Not updated in time"),
    "catalog_mismatch": N_("Catalog description does not match"),
    "other": N_("Other"),
}
OUTCOMES = (CORRECTED, MAINTAINED)
