"""Pages of demands: the list (a unit's own demands, the providing unit's queue, the office's
routing queue), the form (with the entries that may already meet it), a demand with its
comments and the forms of its transitions. Views call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.yiyang.demand import states
from ckanext.yiyang.demand.logic.schema import ROLES

demand = Blueprint("yiyang_demand", __name__)

FIELDS = ("title", "provider_org", "requester_org", "content", "purpose", "update_frequency")
ACTIONS = (*states.MACHINE.transitions, "comment")
STATES = (states.OPEN_FILTER, *states.STATES, states.ALL)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _my_units() -> list[dict[str, Any]]:
    return tk.get_action("organization_list_for_user")(
        _context(), {"permission": "read", "include_dataset_count": False}
    )


@demand.route("/demand")
def index() -> str:
    """Demands the user may see, by role and state; overdue ones marked."""
    role = tk.request.args.get("role") or ROLES[0]
    status = tk.request.args.get("status") or states.OPEN_FILTER
    try:
        result = tk.get_action("yiyang_demand_list")(
            _context(), {"role": role, "status": status, "limit": 500}
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to see demands"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))
    return tk.render(
        "yiyang/demand/index.html",
        {"result": result, "role": role, "status": status, "roles": ROLES, "states": STATES},
    )


@demand.route("/demand/new", methods=["GET", "POST"])
def new() -> Any:
    """The form of 附件2 数据需求调研表. "检索已有信息资源" shows the entries that may already meet
    the demand (the same form again, filled); "提交需求" submits it."""
    context = _context()
    try:
        tk.check_access("yiyang_demand_create", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the users of a unit can raise a demand"))
    form = tk.request.form
    data = {key: form.get(key, "") for key in FIELDS}
    errors: dict[str, Any] = {}
    suggestions: list[dict[str, Any]] | None = None
    if tk.request.method == "POST":
        if "save" in form:
            try:
                result = tk.get_action("yiyang_demand_create")(context, dict(data))
            except tk.ValidationError as error:
                errors = error.error_dict
            else:
                tk.h.flash_success(tk._("Your demand was submitted"))
                return tk.redirect_to("yiyang_demand.read", id=result["id"])
        query = f"{data['title']} {data['content']}"
        suggestions = tk.get_action("yiyang_demand_suggest")(context, {"q": query})
    return tk.render(
        "yiyang/demand/new.html",
        {
            "data": data,
            "errors": errors,
            "suggestions": suggestions,
            "my_units": _my_units(),
        },
    )


@demand.route("/demand/<id>")
def read(id: str) -> str:
    context = _context()
    try:
        item = tk.get_action("yiyang_demand_show")(context, {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Demand not found"))
    except tk.NotAuthorized:
        return tk.abort(
            403, tk._("Only the units concerned and the e-government office see a demand")
        )
    # A step is offered when the demand's state allows it and the user may take it.
    can = {}
    for action in ACTIONS:
        if action != "comment" and not states.MACHINE.allows(action, item["status"]):
            can[action] = False
            continue
        try:
            tk.check_access(f"yiyang_demand_{action}", context, {"id": id})
            can[action] = True
        except tk.NotAuthorized:
            can[action] = False
    return tk.render("yiyang/demand/read.html", {"demand": item, "can": can})


@demand.route("/demand/<id>/<action>", methods=["POST"])
def act(id: str, action: str) -> Any:
    """One transition, or a comment, from a demand's page."""
    if action not in ACTIONS:
        return tk.abort(404)
    form = tk.request.form
    data = {
        "id": id,
        **{k: form.get(k, "") for k in ("provider_org", "dataset_id", "reason", "body")},
    }
    try:
        tk.get_action(f"yiyang_demand_{action}")(_context(), data)
        tk.h.flash_success(_done(action))
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Demand not found"))
    except tk.ValidationError as error:
        for field, messages in error.error_summary.items():
            tk.h.flash_error(f"{field}: {messages}")
    return tk.redirect_to("yiyang_demand.read", id=id)


def _done(action: str) -> str:
    _ = tk._
    return {
        "route": _("The demand was sent to the providing unit"),
        "accept": _("The demand was accepted"),
        "fulfil": _("The demand was fulfilled"),
        "reject": _("The demand was answered: it cannot be met"),
        "close": _("The demand was closed"),
        "comment": _("Your comment was added"),
    }[action]
