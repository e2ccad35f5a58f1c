"""The pages that hand out data, guarded before CKAN's views run, so a refusal is a 404 or a
403 with a Chinese message, never a 500 (a refusal raised inside a streamed dump would be):

- the download of a resource (``/dataset/<id>/resource/<rid>/download[/<name>]``, uploads and
  links alike, the guessed address too): refused as the DataStore is; a caller who may read
  some columns only is sent to the dump of a table loaded into the DataStore instead, which
  carries the columns the caller may read, and cannot take an uploaded file as it is (a link
  still leads to its address: the system it points to serves that data);
- ``/datastore/dump/<rid>`` and the preview's download (``/datatables/filtered-download``):
  the same rule and parameter checks as ``datastore_search``, which they call;
- the preview (``/datatables/ajax``) calls ``datastore_search``; its reads are told as
  ``preview``.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Flask, request

from ckanext.yiyang.datagate import dumps, gate, signals
from ckanext.yiyang.visibility import columns as rule
from ckanext.yiyang.visibility import viewer

_ = tk._


def _user() -> str | None:
    return viewer.current_user_name()


def _context() -> dict[str, Any]:
    return {"user": _user() or ""}


def _stop(how: str, resource_id: str | None, error: Exception) -> None:
    """Tell the refusal and answer it: 404 not found, 403 not authorized, 400 a bad search."""
    if isinstance(error, tk.ValidationError):
        reason = "; ".join(str(m) for ms in (error.error_dict or {}).values() for m in ms)
        status = 400
    else:
        reason = str(getattr(error, "message", "") or "")
        status = 404 if isinstance(error, tk.ObjectNotFound) else 403
    signals.send(_user(), how, resource_id, signals.REFUSED, reason=reason)
    tk.abort(status, reason or str(gate.not_found().message))


def _download(resource_id: str) -> Any:
    context = _context()
    refused = gate.refusal(context, resource_id)
    if refused is not None:
        _stop("download", resource_id, refused)
    found = gate.entry_of(resource_id)
    if found is None or gate.trusted(context):
        return None
    resource, package = found
    if rule.limited(context["user"] or None, package):
        if resource.extras.get("datastore_active"):
            # the dump tells the read (as ``dump``), with the columns it serves
            return tk.redirect_to("datastore.dump", resource_id=resource_id)
        if resource.url_type != "upload":
            # a link: the address is the resource's own, shown with it; the data is
            # served, and its columns chosen, by the system it points to
            signals.send(context["user"] or None, "download", resource_id, signals.SERVED)
            return None
        _stop(
            "download",
            resource_id,
            tk.NotAuthorized(
                _(
                    "You may read some columns of this data only, so not its file: read them "
                    "through the data API"
                )
            ),
        )
    signals.send(context["user"] or None, "download", resource_id, signals.SERVED)
    return None


def _params(raw: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in raw.items() if k in ("q", "filters", "fields", "sort", "full_text")}
    if isinstance(data.get("filters"), str):
        try:
            data["filters"] = json.loads(data["filters"])
        except ValueError:
            data.pop("filters")
    return data


def _dump(resource_id: str, params: dict[str, Any], how: str = "dump") -> None:
    signals.set_how(how)
    context = _context()
    refused = gate.refusal(context, resource_id)
    if refused is not None:
        _stop(how, resource_id, refused)
    try:
        gate.restrict(gate.columns_for(context, resource_id), params)
    except tk.ValidationError as error:
        _stop(how, resource_id, error)
    if request.endpoint == "datastore.dump":
        # its pages are counted, and the dump told once it has been streamed
        dumps.start(context["user"] or None, resource_id)


def _view_resource(view_id: str, how: str) -> str:
    """The resource of the view ``view_id``; its data refused (told as ``how``) when the
    caller may not read it (CKAN's preview would answer a 500)."""
    signals.set_how(how)
    view = model.ResourceView.get(view_id)
    if view is None:
        _stop(how, None, gate.not_found())
    refused = gate.refusal(_context(), view.resource_id)
    if refused is not None:
        _stop(how, view.resource_id, refused)
    return view.resource_id


def _preview(view_id: str) -> None:
    _view_resource(view_id, "preview")


def _filtered_download(view_id: str) -> None:
    resource_id = _view_resource(view_id, "dump")
    try:
        params = json.loads(request.form.get("params") or "{}")
    except ValueError:
        params = {}
    search = (params.get("search") or {}).get("value") if isinstance(params, dict) else None
    _dump(resource_id, {"q": search or None})


def guard() -> Any:
    endpoint = request.endpoint or ""
    args = request.view_args or {}
    if endpoint.endswith("resource.download"):
        return _download(str(args.get("resource_id") or ""))
    if endpoint == "datastore.dump":
        return _dump(str(args.get("resource_id") or ""), _params(request.args.to_dict()))
    if endpoint == "datatablesview.filtered_download":
        return _filtered_download(str(args.get("resource_view_id") or ""))
    if endpoint == "datatablesview.ajax":
        return _preview(str(args.get("resource_view_id") or ""))
    return None


def install(app: Flask) -> None:
    app.before_request(guard)
    app.after_request(dumps.finish)
