"""Template helpers of the survey forms: the export link of the page shown, the import page."""

from __future__ import annotations

from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from werkzeug.routing import BuildError

IMPORT_ENDPOINT = "yiyang_import.new"
IMPORT_PATH = "/survey/import"


def yiyang_export_url() -> str | None:
    """Where the entries listed on this page are exported: the search page's query
    (``/dataset/export.xlsx?…``) or the unit's catalog (``/organization/<id>/export.xlsx``)."""
    request = tk.request
    endpoint = request.endpoint or ""
    if endpoint.endswith(".search") and endpoint.split(".")[0] in ("dataset", "dataset_search"):
        query = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
        url = tk.h.url_for("yiyang_survey.export_search")
        return f"{url}?{urlencode(query)}" if query else url
    unit = (request.view_args or {}).get("id")
    if endpoint == "organization.read" and unit:
        return tk.h.url_for("yiyang_survey.export_unit", id=unit)
    return None


def yiyang_import_url() -> str:
    """The import page of filled templates (``imports/``, of the same plugin)."""
    try:
        return tk.h.url_for(IMPORT_ENDPOINT)
    except BuildError:  # the import plugin is not enabled: its path all the same
        return tk.h.url_for("home.index").rstrip("/") + IMPORT_PATH
