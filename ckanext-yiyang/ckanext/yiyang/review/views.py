"""Pages of review and publication: the queue, a unit's entries by state, and the forms of the
transitions on an entry's page. Views call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.yiyang.pager import pager
from ckanext.yiyang.review import states

review = Blueprint("yiyang_review", __name__)

ACTIONS = tuple(states.ENTRY.transitions)
STATES = (*states.QUEUE_STATES, states.ALL)
QUEUE_PAGE = 50
QUEUE_FILTERS = ("q", "submitter", "submitted_from", "submitted_to")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


@review.route("/review")
def queue() -> str:
    """The review queue (reviewers: every unit; others: their own units), paged, filtered and
    searched (``q``, ``submitter``, ``submitted_from``, ``submitted_to``)."""
    args = tk.request.args
    status = args.get("status") or states.SUBMITTED
    unit = args.get("unit") or None
    filters = {key: args.get(key, "").strip() for key in QUEUE_FILTERS}
    page_number = tk.h.get_page_number(args)
    try:
        result = tk.get_action("yiyang_review_list")(
            _context(),
            {
                "status": status,
                "unit": unit,
                **filters,
                "limit": QUEUE_PAGE,
                "offset": (page_number - 1) * QUEUE_PAGE,
            },
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to see the review queue"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))
    kept = {"status": status, "unit": unit, **{k: v for k, v in filters.items() if v}}
    page = pager(result, page_number, QUEUE_PAGE, "yiyang_review.queue", **kept)
    return tk.render(
        "yiyang/review/queue.html",
        {
            "result": result,
            "status": status,
            "unit": unit,
            "states": STATES,
            "filters": filters,
            "page": page,
        },
    )


@review.route("/dataset/<id>/review/<action>", methods=["POST"])
def act(id: str, action: str) -> Any:
    """One transition from the entry page's review panel."""
    if action not in ACTIONS:
        return tk.abort(404)
    form = tk.request.form
    data = {"id": id, "opinion": form.get("opinion", ""), "reason": form.get("reason", "")}
    if action in ("approve", "return") and form.get("version"):
        # the version the reviewer saw: a decision on an entry changed since is refused
        data["version"] = form["version"]
    try:
        tk.get_action(f"yiyang_review_{action}")(_context(), data)
        tk.h.flash_success(_done(action))
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Catalog entry not found"))
    except tk.ValidationError as error:
        for field, messages in error.error_summary.items():
            tk.h.flash_error(f"{field}: {messages}")
    return tk.redirect_to("dataset.read", id=id)


@review.route("/organization/bulk_process/<id>/submit", methods=["POST"])
def bulk_submit(id: str) -> Any:
    """Submit the entries chosen on a unit's bulk page for review, one by one: each refusal
    is said with the entry's title."""
    chosen = [key[len("dataset_") :] for key in tk.request.form if key.startswith("dataset_")]
    if not chosen:
        tk.h.flash_error(tk._("Choose the entries to submit for review"))
    submitted = 0
    for entry_id in chosen:
        try:
            tk.get_action("yiyang_review_submit")(_context(), {"id": entry_id})
            submitted += 1
        except tk.ObjectNotFound:
            tk.h.flash_error(tk._("Catalog entry not found"))
        except (tk.NotAuthorized, tk.ValidationError) as error:
            tk.h.flash_error(
                tk._("{title}: {problem}").format(title=_title(entry_id), problem=_said(error))
            )
    if submitted:
        tk.h.flash_success(tk._("Submitted for review: {n}").format(n=submitted))
    return tk.redirect_to("organization.bulk_process", id=id)


def _title(entry_id: str) -> str:
    try:
        return tk.get_action("package_show")(_context(), {"id": entry_id})["title"]
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return entry_id


def _said(error: Exception) -> str:
    if isinstance(error, tk.ValidationError):
        return "；".join(
            str(m)
            for messages in (error.error_dict or {}).values()
            for m in (messages if isinstance(messages, list) else [messages])
        )
    return str(error) or tk._("Not authorized")


def _done(action: str) -> str:
    _ = tk._
    return {
        "submit": _("Submitted for review"),
        "approve": _("Approved and published"),
        "return": _("Returned to the unit with your opinion"),
        "withdraw": _("Withdrawn from the catalog"),
    }[action]
