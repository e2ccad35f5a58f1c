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
        ],
        # sent by the imports' job (add-on yiyang_survey); named, so no import of it here
        tk.signals.ckanext.signal("yiyang_import_finished"): [import_finished],
    }


def import_finished(sender: str, **kwargs: Any) -> None:
    """ONE notice to the importer for an import of N entries: what was written, and the way
    to submit it all."""
    from ckanext.yiyang.imports.common import request_context
    from ckanext.yiyang.notify import notify

    report = kwargs.get("report") or {}
    if report.get("kind") != "entries":
        return
    created, updated = len(report.get("created") or []), len(report.get("updated") or [])
    if not created and not updated:
        return
    with request_context(kwargs.get("lang")):
        notify(
            [kwargs.get("user_id") or ""],
            kind="import_finished",
            title=tk._("Import of {file} finished: {created} new, {updated} changed").format(
                file=kwargs.get("file_name") or "", created=created, updated=updated
            ),
            body=tk._(
                "New entries are drafts and changes of published entries are working copies: "
                "submit them all for review on the import's page."
            ),
            link=f"/survey/import/{sender}",
            object_type="import",
            object_id=sender,
        )


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
