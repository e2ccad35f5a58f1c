"""Pages of objections and feedback: the objection form on an entry, an objection with its
history and the forms of the steps the user may take, the lists (the office's queue, the
provider's inbox, one's own), and the feedback form and reply on an application. Views call
actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.yiyang.objection import states
from ckanext.yiyang.objection.logic.schema import SCOPES

objection = Blueprint("yiyang_objection", __name__)

FIELDS = ("kind", "description", "data_item", "resource_id", "attachment_url")
#: The page's forms: an action and the transitions it may make.
STEPS = {
    "accept": ("accept",),
    "resolve": ("correct", "maintain"),
    "extend": ("extend",),
    "contest": ("contest",),
    "decide": ("reopen", "uphold"),
    "close": ("close",),
}
LIST_STATES = (states.OPEN_FILTER, *states.STATES, states.ALL)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


@objection.route("/dataset/<id>/objection", methods=["GET", "POST"])
def new(id: str) -> Any:
    """The objection form (提出异议) of an entry."""
    context = _context()
    if not context["user"]:
        return tk.abort(403, tk._("Log in to raise an objection"))
    try:
        entry = tk.get_action("package_show")(context, {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Catalog entry not found"))
    data = {key: tk.request.form.get(key, "") for key in FIELDS}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        try:
            upload = tk.request.files.get("upload")
            result = tk.get_action("yiyang_objection_create")(
                context, {**data, "dataset_id": entry["id"], "upload": upload}
            )
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your objection was raised"))
            return tk.redirect_to("yiyang_objection.read", id=result["id"])
    return tk.render("yiyang/objection/new.html", {"pkg": entry, "data": data, "errors": errors})


@objection.route("/objections")
def index() -> str:
    """Objections the user may see: the office's queue, the provider's inbox, one's own."""
    scope = tk.request.args.get("scope") or SCOPES[0]
    status = tk.request.args.get("status") or states.OPEN_FILTER
    overdue = tk.request.args.get("overdue") == "1"
    try:
        result = tk.get_action("yiyang_objection_list")(
            _context(), {"scope": scope, "status": status, "overdue": overdue, "limit": 500}
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to see objections"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))
    return tk.render(
        "yiyang/objection/index.html",
        {
            "result": result,
            "scope": scope,
            "status": status,
            "overdue": overdue,
            "scopes": SCOPES,
            "states": LIST_STATES,
        },
    )


@objection.route("/objection/<id>")
def read(id: str) -> str:
    context = _context()
    try:
        item = tk.get_action("yiyang_objection_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Objection not found"))
    except tk.NotAuthorized:
        return tk.abort(
            403, tk._("Only the raiser, the providing unit and the office see an objection")
        )
    can = {}
    for action, transitions in STEPS.items():
        possible = any(states.MACHINE.allows(t, item["status"]) for t in transitions)
        if (action == "extend" and item["extended"]) or (
            action == "contest" and item["contested"]
        ):
            possible = False
        try:
            tk.check_access(f"yiyang_objection_{action}", context, {"id": id})
            can[action] = possible
        except tk.NotAuthorized:
            can[action] = False
    return tk.render("yiyang/objection/read.html", {"objection": item, "can": can})


@objection.route("/objection/<id>/attachment")
def attachment_download(id: str) -> Any:
    """The objection's uploaded file, to those who may see the objection; to anyone else the
    same 404 as for an objection (or a file) that does not exist."""
    import flask

    from ckanext.yiyang.objection import attachment

    missing = tk._("Objection not found")
    try:
        item = tk.get_action("yiyang_objection_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, missing)
    # the action told the user may see it; where the file is kept stays on the server
    path = attachment.stored_path_of(item["id"])
    if path is None or not item.get("attachment"):
        return tk.abort(404, tk._("This objection has no attachment"))
    return flask.send_file(
        path,
        as_attachment=True,
        download_name=item["attachment"]["name"],
        mimetype=item["attachment"]["mimetype"],
    )


@objection.route("/objection/<id>/<action>", methods=["POST"])
def act(id: str, action: str) -> Any:
    """One step from an objection's page."""
    if action not in STEPS:
        return tk.abort(404)
    form = tk.request.form
    data = {
        "id": id,
        **{k: form.get(k, "") for k in ("outcome", "reason", "revision", "decision")},
    }
    try:
        tk.get_action(f"yiyang_objection_{action}")(_context(), data)
        tk.h.flash_success(tk._("Done"))
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Objection not found"))
    except tk.ValidationError as error:
        for field, messages in error.error_summary.items():
            tk.h.flash_error(f"{field}: {messages}")
    return tk.redirect_to("yiyang_objection.read", id=id)


@objection.route("/subscription/<id>/feedback", methods=["GET", "POST"])
def feedback(id: str) -> Any:
    """The applicant's rating of a granted application (the form), or the rating with the
    provider's reply."""
    if tk.request.method == "GET":
        context = _context()
        try:
            found = tk.get_action("yiyang_feedback_show")(context, {"subscription_id": id})
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Application not found"))
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Only the units concerned and the office see a feedback"))
        return tk.render(
            "yiyang/objection/feedback.html", {"subscription_id": id, "feedback": found}
        )
    form = tk.request.form
    data = {
        "subscription_id": id,
        **{k: form.get(k, "") for k in ("quality", "timeliness", "satisfaction", "outcome")},
    }
    return _feedback_step("yiyang_feedback_create", data, id, tk._("Thank you for your feedback"))


@objection.route("/subscription/<id>/feedback/reply", methods=["POST"])
def feedback_reply(id: str) -> Any:
    form = tk.request.form
    data = {"id": form.get("feedback_id", ""), "reply": form.get("reply", "")}
    return _feedback_step("yiyang_feedback_reply", data, id, tk._("Your reply was added"))


def _feedback_step(action: str, data: dict[str, Any], subscription_id: str, done: str) -> Any:
    try:
        tk.get_action(action)(_context(), data)
        tk.h.flash_success(done)
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404)
    except tk.ValidationError as error:
        for field, messages in error.error_summary.items():
            tk.h.flash_error(f"{field}: {messages}")
    return tk.redirect_to("yiyang_objection.feedback", id=subscription_id)
