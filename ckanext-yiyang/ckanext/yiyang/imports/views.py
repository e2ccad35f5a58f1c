"""The import page: upload a filled survey workbook (/survey/import), watch its check run,
read the problems, choose to import (all, or the valid rows only), read the report. Views
call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.yiyang.imports import config

imports = Blueprint("yiyang_import", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


@imports.route("/survey/import", methods=["GET", "POST"])
def new() -> Any:
    """The upload form and the user's past imports."""
    context = _context()
    if not context["user"]:
        return tk.redirect_to("user.login", came_from=tk.h.url_for("yiyang_import.new"))
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        try:
            result = tk.get_action("yiyang_import_create")(
                context, {"upload": tk.request.files.get("upload")}
            )
            return tk.redirect_to("yiyang_import.read", id=result["id"])
        except tk.NotAuthorized as error:
            return tk.abort(403, str(error))
        except tk.ValidationError as error:
            errors = error.error_dict
    try:
        tk.check_access("yiyang_import_create", context, {})
        may_upload = True
    except tk.NotAuthorized:
        may_upload = False
    past = tk.get_action("yiyang_import_list")(context, {})
    return tk.render(
        "yiyang/imports/new.html",
        {
            "errors": errors,
            "may_upload": may_upload,
            "past": past,
            "max_upload_mb": config.max_upload_mb(),
        },
    )


@imports.route("/survey/import/<id>")
def read(id: str) -> Any:
    """Progress while the job runs (the page refreshes itself), then the report."""
    try:
        result = tk.get_action("yiyang_import_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Import not found"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    return tk.render("yiyang/imports/read.html", {"imp": result})


@imports.route("/survey/import/<id>/run", methods=["POST"])
def run(id: str) -> Any:
    """导入 or 仅导入有效行."""
    try:
        tk.get_action("yiyang_import_run")(
            _context(), {"id": id, "mode": tk.request.form.get("mode") or "all"}
        )
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Import not found"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        tk.h.flash_error(tk._("; ").join(str(m) for v in error.error_dict.values() for m in v))
    return tk.redirect_to("yiyang_import.read", id=id)
