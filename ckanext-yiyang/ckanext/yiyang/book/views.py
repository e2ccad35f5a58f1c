"""The catalog book's page (/catalog/book) and downloads. Views call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, send_file

from ckanext.yiyang.book import source, storage

book = Blueprint("yiyang_book", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


@book.route("/catalog/book")
def index() -> str:
    """The latest editions the viewer may download; for reviewers the buttons to generate
    each edition and the jobs with their progress."""
    result = tk.get_action("yiyang_book_list")(_context(), {})
    running = any(j["state"] in ("queued", "running") and not j["stale"] for j in result["jobs"])
    by_kind = {(b["edition"], b["format"]): b for b in result["results"]}
    return tk.render(
        "yiyang/book/index.html",
        {
            "result": result,
            "by_kind": by_kind,
            "running": running,
            "editions": source.EDITIONS,
            "formats": source.FORMATS,
        },
    )


@book.route("/catalog/book/generate", methods=["POST"])
def generate() -> Any:
    form = tk.request.form
    data = {"edition": form.get("edition"), "format": form.get("format")}
    try:
        tk.get_action("yiyang_book_generate")(_context(), data)
        tk.h.flash_success(tk._("The book is being generated; this page shows its progress"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the e-government office generates the book"))
    except tk.ValidationError as error:
        for field, messages in error.error_summary.items():
            tk.h.flash_error(f"{field}: {messages}")
    return tk.redirect_to("yiyang_book.index")


@book.route("/catalog/book/download/<edition>/<fmt>")
def download(edition: str, fmt: str) -> Any:
    """The latest edition of one kind, as a file."""
    try:
        meta = tk.get_action("yiyang_book_show")(_context(), {"edition": edition, "format": fmt})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("The internal edition is for the members of the units only"))
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("This edition has not been generated yet"))
    stored = storage.latest(edition, fmt)
    if stored is None:
        return tk.abort(404, tk._("This edition has not been generated yet"))
    return send_file(
        storage.path_of(stored),
        mimetype=storage.MIMETYPES[fmt],
        as_attachment=True,
        download_name=meta["filename"],
        max_age=0,
    )
