"""The unit's 数据服务 page: its data service accounts (keys), their calls per day, a form to
create one (the token shown once, with a copy button) and revocation with a confirmation.
Views call the actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint
from flask.typing import ResponseReturnValue

from ckanext.yiyang import config

services = Blueprint("yiyang_services", __name__)

FIELDS = ("name", "title", "expires_in_days", "expires_at")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _unit(id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(
            _context(), {"id": id, "include_datasets": False, "include_users": False}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Unit not found"))


def _page(unit: dict[str, Any], **extra: Any) -> ResponseReturnValue:
    try:
        accounts = tk.get_action("yiyang_service_account_list")(
            _context(), {"org_id": unit["id"], "limit": 500}
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the unit's administrators may see its data services"))
    may_manage = True
    try:
        tk.check_access("yiyang_service_account_create", _context(), {"org_id": unit["id"]})
    except tk.NotAuthorized:
        may_manage = False
    return tk.render(
        "yiyang/services/index.html",
        {
            "group_dict": unit,
            "group_type": "organization",
            "accounts": accounts,
            "may_manage": may_manage,
            "api_url": tk.h.url_for(
                "api.action", ver=3, logic_function="package_search", _external=True
            ),
            "default_days": config.services_default_days(),
            "errors": {},
            "form": {},
            "created": None,
            **extra,
        },
    )


@services.route("/organization/<id>/services", methods=["GET", "POST"])
def index(id: str) -> ResponseReturnValue:
    unit = _unit(id)
    if tk.request.method != "POST":
        return _page(unit)
    form = {key: tk.request.form.get(key, "") for key in FIELDS}
    data = {key: value for key, value in form.items() if value.strip()}
    try:
        created = tk.get_action("yiyang_service_account_create")(
            _context(), {**data, "org_id": unit["id"]}
        )
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        return _page(unit, errors=error.error_dict, form=form)
    # the token is in this answer only: not redirected, never stored
    return _page(unit, created=created)


@services.route("/organization/<id>/services/<account_id>/revoke", methods=["POST"])
def revoke(id: str, account_id: str) -> ResponseReturnValue:
    unit = _unit(id)
    try:
        revoked = tk.get_action("yiyang_service_account_revoke")(_context(), {"id": account_id})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(" ".join(m) for m in error.error_dict.values()))
    else:
        tk.h.flash_success(
            tk._("The key of {title} is revoked: its calls are refused from now on.").format(
                title=revoked["title"]
            )
        )
    return tk.redirect_to("yiyang_services.index", id=unit["name"])
