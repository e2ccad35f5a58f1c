"""The desk's pages: ``/desk`` (我的待办, the landing page after login) and the "submit all"
form it shares with the import's page. Views call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Response
from flask import Blueprint

from ckanext.yiyang.notify.api import is_local_path

desk = Blueprint("yiyang_desk", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


@desk.before_request
def _logged_in() -> Response | None:
    if tk.current_user.is_anonymous:
        tk.h.flash_error(tk._("Log in to see your to-do list"))
        return tk.h.redirect_to("user.login", came_from=tk.request.full_path)
    return None


@desk.route("/desk")
def index() -> str:
    """What waits for the user, by role."""
    result = tk.get_action("yiyang_desk_show")(_context(), {"top": 5})
    return tk.render("yiyang/desk/index.html", {"desk": result})


@desk.route("/desk/submit", methods=["POST"])
def submit() -> Response:
    """Submit the posted entries (``ids``) or every draft of the user's units
    (``all_drafts``) for review; back to ``next`` (a path on the portal) or the desk."""
    form = tk.request.form
    data: dict[str, Any] = {"ids": form.getlist("ids")}
    if tk.asbool(form.get("all_drafts")):
        data["all_drafts"] = True
    try:
        result = tk.get_action("yiyang_review_submit_many")(_context(), data)
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            for message in messages if isinstance(messages, list) else [messages]:
                tk.h.flash_error(str(message))
    else:
        _report(result)
    target = form.get("next") or ""
    if target and is_local_path(target):
        return tk.redirect_to(target)
    return tk.redirect_to("yiyang_desk.index")


def _report(result: dict[str, Any]) -> None:
    if result["submitted"]:
        tk.h.flash_success(
            tk._("{n} entries were submitted for review").format(n=len(result["submitted"]))
        )
    for row in result["failed"]:
        problems = "；".join(str(message) for message in row["errors"].values())
        tk.h.flash_error(
            tk._("{title} was not submitted: {problems}").format(
                title=row["title"], problems=problems
            )
        )
    if not result["submitted"] and not result["failed"]:
        tk.h.flash_notice(tk._("There was nothing to submit"))
