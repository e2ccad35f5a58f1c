"""Pages of subscriptions: the application form behind the entry page's "apply" button, the
lists (the applicant unit's applications, the provider's queue, the office's escalations) and
the forms of the decisions. Views call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.yiyang.pager import pager
from ckanext.yiyang.subscription.logic.schema import SCOPES

subscription = Blueprint("yiyang_subscription", __name__)

#: Applications a page of the lists (the office's can hold thousands).
LIST_PAGE = 50

ACTIONS = (
    "approve",
    "reject",
    "cancel",
    "coordinate",
    "check",
    "negotiate",
    "decide",
    "revoke",
    "renew",
)
#: the form fields each action reads (beside ``id``)
FIELDS = {
    "check": ("passed", "opinion"),
    "negotiate": ("message",),
    "decide": ("granted", "reason"),
    "revoke": ("reason",),
    "renew": ("valid_until", "purpose_detail"),
}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _flash_errors(error: tk.ValidationError) -> None:
    for field, messages in error.error_summary.items():
        tk.h.flash_error(f"{field}: {messages}")


@subscription.route("/dataset/<id>/subscribe", methods=["GET", "POST"])
def apply(id: str) -> Any:
    """The application form (申请使用) and its submission."""
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Log in to apply"))
    try:
        pkg = tk.get_action("package_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Catalog entry not found"))
    errors: dict[str, Any] = {}
    form = tk.request.form
    if tk.request.method == "POST":
        data = {
            "dataset_id": pkg["id"],
            "purpose": form.get("purpose", ""),
            "purpose_detail": form.get("purpose_detail", ""),
            "valid_until": form.get("valid_until", ""),
            "data_item_names": form.getlist("data_item_names"),
            "basis": form.get("basis_text", ""),
            "scenario": form.get("scenario", ""),
            "scope_of_use": form.get("scope_of_use", ""),
        }
        try:
            result = tk.get_action("yiyang_subscription_create")(_context(), data)
        except tk.NotAuthorized as error:
            return tk.abort(403, str(error))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            basis = tk.request.files.get("basis")
            if basis is not None and basis.filename:
                try:
                    tk.get_action("yiyang_subscription_basis_upload")(
                        _context(), {"id": result["id"], "upload": basis}
                    )
                except tk.NotAuthorized as error:
                    tk.h.flash_error(str(error))
                except tk.ValidationError as error:
                    problem = "；".join(
                        str(m)
                        for v in (error.error_dict or {}).values()
                        for m in (v if isinstance(v, list) else [v])
                    )
                    tk.h.flash_error(
                        tk._("The basis document was not attached: {problem}").format(
                            problem=problem
                        )
                    )
            tk.h.flash_success(
                tk._("Application sent: {state}").format(
                    state=tk.h.yiyang_subscription_state_label(result["status"])
                )
            )
            return tk.redirect_to("yiyang_subscription.index")
    return tk.render(
        "yiyang/subscription/apply.html", {"pkg": pkg, "errors": errors, "data": dict(form)}
    )


@subscription.route("/subscriptions")
def index() -> str:
    """The applications of the user's units, those to decide, and (office) the escalations,
    newest first, ``LIST_PAGE`` a page."""
    args = tk.request.args
    scope = args.get("scope") or _scope_with_work()
    status = args.get("status") or None
    page_number = tk.h.get_page_number(args)
    try:
        result = tk.get_action("yiyang_subscription_list")(
            _context(),
            {
                "scope": scope,
                "status": status,
                "limit": LIST_PAGE,
                "offset": (page_number - 1) * LIST_PAGE,
            },
        )
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Log in to see applications"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))
    page = pager(
        result, page_number, LIST_PAGE, "yiyang_subscription.index", scope=scope, status=status
    )
    return tk.render(
        "yiyang/subscription/index.html",
        {"result": result, "scope": scope, "status": status, "scopes": SCOPES, "page": page},
    )


@subscription.route("/subscription/<id>")
def read(id: str) -> Any:
    """An application's page: its lifecycle (steps, deadlines, overdue marks), the
    negotiation thread and the forms of whoever may act next."""
    try:
        sub = tk.get_action("yiyang_subscription_show")(_context(), {"id": id})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Subscription not found"))
    return tk.render("yiyang/subscription/read.html", {"sub": sub})


@subscription.route("/subscription/<id>/basis")
def basis(id: str) -> Any:
    """The basis document of an application (the applicant's unit, the providing unit and
    reviewers)."""
    import flask

    from ckanext.yiyang.subscription.logic import basis as basis_logic

    try:
        found = tk.get_action("yiyang_subscription_basis_show")(_context(), {"id": id})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))
    # the action told the user may read it; where it is kept stays on the server (as CKAN's
    # resource download asks its uploader for the path)
    path = basis_logic.stored_path(found["id"])
    if path is None:
        return tk.abort(404, tk._("This application has no basis document"))
    return flask.send_file(path, as_attachment=True, download_name=found["name"])


def _scope_with_work() -> str:
    """The tab the page opens on: the first with applications waiting for the user's decision
    (to decide, then — for the office — escalations), else the unit's own applications."""
    for scope in ("received", "escalated"):
        try:
            waiting = tk.get_action("yiyang_subscription_list")(
                _context(),
                {"scope": scope, "status": "pending", "limit": 1},
            )
        except (tk.NotAuthorized, tk.ValidationError):
            continue
        if waiting["count"]:
            return scope
    return SCOPES[0]


@subscription.route("/subscription/<id>/<action>", methods=["POST"])
def act(id: str, action: str) -> Any:
    """A decision from a list's row."""
    if action not in ACTIONS:
        return tk.abort(404)
    form = tk.request.form
    data: dict[str, Any] = {
        "id": id,
        "reason": form.get("reason", ""),
        "valid_until": form.get("valid_until"),
    }
    if action in FIELDS:
        data = {"id": id, **{f: form.get(f, "") for f in FIELDS[action]}}
    try:
        result = tk.get_action(f"yiyang_subscription_{action}")(_context(), data)
        tk.h.flash_success(tk._("Done"))
        if action == "renew":
            return tk.redirect_to("yiyang_subscription.read", id=result["id"])
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Subscription not found"))
    except tk.ValidationError as error:
        _flash_errors(error)
    if form.get("scope") == "page":
        return tk.redirect_to("yiyang_subscription.read", id=id)
    return tk.redirect_to("yiyang_subscription.index", scope=form.get("scope") or "applied")
