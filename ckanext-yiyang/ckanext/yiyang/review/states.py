"""The review state machine (catalog-model §5), declared once.

An entry's state is its ``review_status``: draft → submitted → returned (→ submitted again) or
published → withdrawn (→ submitted again). A published entry keeps its state while a working
copy of a change goes through draft → submitted → returned / approved; approving it writes the
change into the entry (the copy is then gone).

The labels are the scheming choices of ``review_status`` (the entry's schema reads them from
here), in both languages.
"""

from __future__ import annotations

from ckanext.yiyang.logic.states import Machine, Transition, transitions

DRAFT, SUBMITTED, RETURNED, PUBLISHED, WITHDRAWN = (
    "draft",
    "submitted",
    "returned",
    "published",
    "withdrawn",
)

_UNIT = "the unit's editors and admins"
_OFFICE = "reviewers (the e-government office)"

ENTRY = Machine(
    labels={
        DRAFT: {"zh_Hans_CN": "草稿", "en": "Draft"},
        SUBMITTED: {"zh_Hans_CN": "待审核", "en": "Submitted"},
        RETURNED: {"zh_Hans_CN": "退回修改", "en": "Returned"},
        PUBLISHED: {"zh_Hans_CN": "已发布", "en": "Published"},
        WITHDRAWN: {"zh_Hans_CN": "已撤销", "en": "Withdrawn"},
    },
    transitions=transitions(
        Transition("submit", frozenset({DRAFT, RETURNED, WITHDRAWN}), SUBMITTED, _UNIT),
        Transition("approve", frozenset({SUBMITTED}), PUBLISHED, _OFFICE),
        Transition("return", frozenset({SUBMITTED}), RETURNED, _OFFICE),
        Transition("withdraw", frozenset({PUBLISHED}), WITHDRAWN, f"{_OFFICE}, the unit's admins"),
    ),
)
#: The working copy of a change of a published entry (``approve``: written into the entry).
REVISION = Machine(
    labels={s: ENTRY.labels[s] for s in (DRAFT, SUBMITTED, RETURNED)},
    transitions=transitions(
        Transition("submit", frozenset({DRAFT, RETURNED}), SUBMITTED, _UNIT),
        Transition("approve", frozenset({SUBMITTED}), PUBLISHED, _OFFICE),
        Transition("return", frozenset({SUBMITTED}), RETURNED, _OFFICE),
    ),
)

#: The review queue's filter, in the order of the page's list ("all": every state).
QUEUE_STATES = (SUBMITTED, RETURNED, DRAFT, PUBLISHED, WITHDRAWN)
ALL = "all"


def steps(entry_status: str | None, revision_status: str | None = None) -> list[str]:
    """The steps an entry may take next. While a change of a published entry is pending, its
    working copy takes the review steps; withdrawal is always the entry's own."""
    entry = entry_status or DRAFT
    found = ENTRY.next_actions(entry)
    if revision_status and entry == PUBLISHED:
        found = REVISION.next_actions(revision_status) + found
    return found
