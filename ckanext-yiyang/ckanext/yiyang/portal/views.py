"""Pages of the portal: the office's notices (/notices) and the guide (/guide). Views call the
actions only; the home page itself is CKAN's, with our template and helpers."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, send_file
from flask.typing import ResponseReturnValue

from ckanext.yiyang.portal import guide

portal = Blueprint("yiyang_portal", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _may(action: str) -> bool:
    try:
        tk.check_access(action, _context(), {})
    except tk.NotAuthorized:
        return False
    return True


@portal.route("/notices", methods=["GET", "POST"])
def notices() -> ResponseReturnValue:
    """The office's notices, newest first; the office publishes one with the form on top."""
    errors: dict[str, Any] = {}
    form: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = {key: tk.request.form.get(key, "") for key in ("title", "body")}
        try:
            tk.get_action("yiyang_notice_create")(_context(), form)
        except tk.NotAuthorized as error:
            return tk.abort(403, str(error))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("The notice is published on the home page."))
            return tk.redirect_to("yiyang_portal.notices")
    found = tk.get_action("yiyang_notice_list")(_context(), {"limit": 100})
    return tk.render(
        "yiyang/portal/notices.html",
        {
            "notices": found,
            "may_publish": _may("yiyang_notice_create"),
            "errors": errors,
            "form": form,
        },
    )


@portal.route("/notices/<id>/delete", methods=["POST"])
def notice_delete(id: str) -> ResponseReturnValue:
    try:
        tk.get_action("yiyang_notice_delete")(_context(), {"id": id})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))
    tk.h.flash_success(tk._("The notice is taken off the home page."))
    return tk.redirect_to("yiyang_portal.notices")


@portal.route("/guide")
def guide_index() -> str:
    """The guide's contents: one page per role, and the page about the platform."""
    return tk.render("yiyang/portal/guide_index.html", {"roles": guide.roles()})


@portal.route("/guide/<role>")
def guide_role(role: str) -> str:
    found = guide.role(role)
    if found is None:
        return tk.abort(404, tk._("No such page of the guide"))
    return tk.render("yiyang/portal/guide_role.html", {"role": found, "roles": guide.roles()})


@portal.route("/guide/screenshots/<name>.png")
def guide_screenshot(name: str) -> ResponseReturnValue:
    path = guide.screenshot_path(name)
    if path is None:
        return tk.abort(404, tk._("No such screenshot"))
    return send_file(path, mimetype="image/png", max_age=300)
