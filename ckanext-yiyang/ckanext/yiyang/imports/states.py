"""The import state machine, declared once: an uploaded workbook is checked (the dry run), then
imported on request; a crash fails it.

queued → checking → checked (the dry run's report) → queued again on the user's request →
importing → done; failed from any running state.
"""

from __future__ import annotations

from ckanext.yiyang.logic.states import N_, Machine, Transition, transitions

QUEUED, CHECKING, CHECKED, IMPORTING, DONE, FAILED = (
    "queued",
    "checking",
    "checked",
    "importing",
    "done",
    "failed",
)
_JOB = "the import's background job"

MACHINE = Machine(
    labels={
        QUEUED: N_("Waiting"),
        CHECKING: N_("Checking"),
        CHECKED: N_("Checked"),
        IMPORTING: N_("Importing"),
        DONE: N_("Imported"),
        FAILED: N_("Failed"),
    },
    transitions=transitions(
        Transition("check", frozenset({QUEUED}), CHECKING, _JOB),
        Transition("checked", frozenset({CHECKING}), CHECKED, _JOB),
        Transition("import", frozenset({CHECKED}), QUEUED, "the user who uploaded it"),
        Transition("write", frozenset({QUEUED}), IMPORTING, _JOB),
        Transition("done", frozenset({IMPORTING}), DONE, _JOB),
        Transition("fail", frozenset({QUEUED, CHECKING, IMPORTING}), FAILED, _JOB),
    ),
)
#: A job is on it (or will be): the page polls.
RUNNING = MACHINE.starts("fail")
