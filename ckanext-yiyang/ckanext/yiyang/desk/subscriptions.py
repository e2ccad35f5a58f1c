"""Side effects of the desk's bulk actions: one notice for a batch, not one per entry."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import SignalMapping

from ckanext.yiyang.roles import reviewers

#: How many titles a batch's notice lists; the link shows them all.
LISTED = 20


def get_subscriptions() -> SignalMapping:
    return {
        tk.signals.action_succeeded: [
            {"sender": "yiyang_review_submit_many", "receiver": batch_submitted}
        ]
    }


def batch_submitted(sender: str, **kwargs: Any) -> None:
    """Tell the reviewers once that a batch of entries waits for them."""
    from ckanext.yiyang.notify import notify

    submitted = (kwargs.get("result") or {}).get("submitted") or []
    if not submitted:
        return
    actor = model.User.get((kwargs.get("context") or {}).get("user") or "")
    who = (actor.fullname or actor.name) if actor else ""
    lines = [f"· {row['title']}" for row in submitted[:LISTED]]
    if len(submitted) > LISTED:
        lines.append(tk._("… and {n} more").format(n=len(submitted) - LISTED))
    notify(
        [r for r in reviewers() if actor is None or r != actor.id],
        kind="review_submitted_batch",
        title=tk._("{n} entries are waiting for your review").format(n=len(submitted)),
        body=tk._("{who} submitted {n} entries for review:").format(who=who, n=len(submitted))
        + "\n"
        + "\n".join(lines),
        link=(f"/review?status=submitted&submitter={actor.name}" if actor else "/review"),
        object_type="batch",
    )
