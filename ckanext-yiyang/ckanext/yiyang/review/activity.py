"""What a "changed package" activity of the stream was: a review step or an edit.

CKAN records every review step (submission, approval, return, withdrawal) as "changed package",
which the stream showed as 更新了信息资源 for all of them. Each activity carries the entry as it
was after the change, so the step is read off the change of ``review_status`` since the same
entry's previous activity in the stream: public data only, nothing the viewer may not see.
"""

from __future__ import annotations

from typing import Any

from ckanext.yiyang.review import states

__all__ = ["yiyang_activity_review_step"]

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
    ``index`` of a newest-first ``stream`` was, or ``""`` for an edit or when the stream does
    not hold the entry's previous activity."""
    activity = stream[index]
    if activity.get("activity_type") != "changed package":
        return ""
    older = next(
        (a for a in stream[index + 1 :] if a.get("object_id") == activity.get("object_id")), None
    )
    if older is None:
        return ""
    return _STEPS.get((_status(older) or states.DRAFT, _status(activity) or ""), "")
