"""Pages of the access log — ``/access-log`` and its Excel export — and the record of CKAN's
resource download route. Views call the action only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, Response, request

from ckanext.yiyang import roles
from ckanext.yiyang.audit import datastore, export
from ckanext.yiyang.audit.model import HOWS, OUTCOMES, REFUSED, SERVED
from ckanext.yiyang.audit.record import record, recorded_in_request
from ckanext.yiyang.pager import pager

audit = Blueprint("yiyang_audit", __name__)

PER_PAGE = 50
FILTERS = ("org", "reader_org", "dataset_id", "user", "since", "until", "outcome", "how")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@audit.after_app_request
def record_download(response: Response) -> Response:
    """A dump of the DataStore is recorded when it has been streamed (``datastore``).

    A request of CKAN's ``resource.download`` (any dataset type's) is a read of the
    resource: served when answered with the file or a redirect to its address, refused when
    answered with an error. Requests for resources that do not exist are not reads.

    A preview's request, or its filtered download's, refused before its ``datastore_search``
    ran (by the data gate's guard) is recorded here: a refused preview, a refused dump (the
    filtered download is the preview's way to a dump)."""
    if request.endpoint == "datastore.dump":
        return datastore.finish_dump(response)
    if request.endpoint in _PREVIEWS:
        return _refused_preview(response, _PREVIEWS[request.endpoint])
    if not (request.endpoint or "").endswith("resource.download"):
        return response
    resource = model.Resource.get(str((request.view_args or {}).get("resource_id") or ""))
    if resource is None:
        return response
    served = response.status_code < 400
    record(
        "download",
        dataset_id=resource.package_id,
        resource_id=resource.id,
        outcome=SERVED if served else REFUSED,
        reason=None if served else f"HTTP {response.status_code}",
    )
    return response


#: The preview's endpoints, and how a refusal of each is recorded.
_PREVIEWS = {"datatablesview.ajax": "preview", "datatablesview.filtered_download": "dump"}


def _refused_preview(response: Response, how: str) -> Response:
    if response.status_code < 400 or recorded_in_request():
        return response
    view = model.ResourceView.get(str((request.view_args or {}).get("resource_view_id") or ""))
    if view is not None:
        record(
            how,
            resource_id=view.resource_id,
            outcome=REFUSED,
            reason=f"HTTP {response.status_code}",
        )
    return response


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _filters() -> dict[str, str]:
    args = tk.request.args
    return {key: args[key].strip() for key in FILTERS if (args.get(key) or "").strip()}


def _list(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return tk.get_action("yiyang_access_log_list")(_context(), data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Log in to see the access log"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_summary))


def _units(own: bool) -> list[dict[str, Any]]:
    """The units of a filter: every unit, or (``own``) the viewer's own unless the viewer is
    the office's."""
    user = tk.current_user.name
    query = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active"
    )
    if own and not roles.is_reviewer(user):
        query = query.filter(model.Group.id.in_(roles.units_of(user) or [""]))
    return [{"id": g.id, "title": g.title or g.name} for g in query.order_by(model.Group.title)]


@audit.route("/access-log")
def index() -> str:
    """The reads of data the viewer may see the record of, filtered and paged."""
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Log in to see the access log"))
    filters = _filters()
    page_number = tk.h.get_page_number(tk.request.args)
    result = _list({**filters, "limit": PER_PAGE, "offset": (page_number - 1) * PER_PAGE})

    return tk.render(
        "yiyang/audit/index.html",
        {
            "result": result,
            "filters": filters,
            # the providing units whose log the viewer sees; any unit may have read
            "units": _units(own=True),
            "reader_units": _units(own=False),
            "hows": HOWS,
            "outcomes": OUTCOMES,
            "labels": export.labels(),
            "everything": roles.is_reviewer(tk.current_user.name),
            "export_url": tk.h.url_for("yiyang_audit.export_xlsx", **filters),
            "page": pager(result, page_number, PER_PAGE, "yiyang_audit.index", **filters),
        },
    )


@audit.route("/access-log/export.xlsx")
def export_xlsx() -> Response:
    """The reads of the same filter as an Excel workbook (at most ``export.MAX_ROWS``)."""
    filters = _filters()
    first = _list({**filters, "limit": export.BATCH, "offset": 0})

    def batches() -> Any:
        yield first["results"]
        offset = export.BATCH
        while offset < min(first["count"], export.MAX_ROWS):
            yield _list({**filters, "limit": export.BATCH, "offset": offset})["results"]
            offset += export.BATCH

    body = export.workbook(batches(), first["count"])
    return Response(
        body,
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="access-log.xlsx"'},
    )
