"""What a "changed package" activity of the stream was: a review step or an edit.

CKAN records every review step (submission, approval, return, withdrawal) as "changed package",
which the stream showed as 更新了信息资源 for all of them. The review workflow names the step in
the activity it caused (``mark``), so every reader of the activity reads it, also those who do
not see the entry's earlier activities (anonymous readers see an entry's activities from its
publication on). For activities recorded before that, the step is read off the change of
``review_status`` since the same entry's previous activity in the stream: public data only,
nothing the viewer may not see.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckanext.activity.model import Activity

from ckanext.yiyang.review import states

__all__ = ["yiyang_activity_review_step"]

#: the key of an activity's data that names the review step which caused it
REVIEW_STEP = "yiyang_review_step"
#: the step of a change of a published entry being approved (and so published)
APPROVE_CHANGE = "approve_change"

# (status before, status after) → the review step that made the change.
_STEPS = {
    **{
        (before, states.SUBMITTED): "submit"
        for before in (states.DRAFT, states.RETURNED, states.WITHDRAWN)
    },
    (states.SUBMITTED, states.PUBLISHED): "approve",
    (states.SUBMITTED, states.RETURNED): "return",
    (states.PUBLISHED, states.WITHDRAWN): "withdraw",
}


def _status(activity: Any) -> str | None:
    package = ((activity or {}).get("data") or {}).get("package") or {}
    return package.get("review_status") if isinstance(package, dict) else None


def yiyang_activity_review_step(stream: list[dict[str, Any]], index: int) -> str:
    """The review step (``submit``, ``approve``, ``return``, ``withdraw``) the activity at
        ``index`` of a newest-first ``stream`` was (``approve_change`` too, when the workflow named
    it), or ``""`` for an edit or when the stream does
        not hold the entry's previous activity."""
    activity = stream[index]
    if activity.get("activity_type") != "changed package":
        return ""
    named = (activity.get("data") or {}).get(REVIEW_STEP)
    if isinstance(named, str) and named:
        return named
    older = next(
        (a for a in stream[index + 1 :] if a.get("object_id") == activity.get("object_id")), None
    )
    if older is None:
        return ""
    return _STEPS.get((_status(older) or states.DRAFT, _status(activity) or ""), "")


def newest(package_id: str) -> str | None:
    """The id of the entry's newest activity (before a step: see :func:`mark`)."""
    row = (
        model.Session.query(Activity.id)
        .filter(Activity.object_id == package_id)
        .order_by(Activity.timestamp.desc())
        .first()
    )
    return row[0] if row else None


def mark(package_id: str, before: str | None, step: str) -> None:
    """Name ``step`` in the activity the step just recorded for the entry: its newest one, if
    it is not ``before`` (the newest before the step; a deferred step records none)."""
    activity = (
        model.Session.query(Activity)
        .filter(Activity.object_id == package_id)
        .order_by(Activity.timestamp.desc())
        .first()
    )
    if activity is None or activity.id == before or activity.activity_type != "changed package":
        return
    activity.data = {**(activity.data or {}), REVIEW_STEP: step}
