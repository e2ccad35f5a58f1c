"""Loading a resource's data into the DataStore, as a background job.

One job per resource (:func:`load_resource`): the file is fetched (an upload from CKAN's storage,
anything else over HTTP), read whole and checked (:mod:`.files`) before the DataStore is touched,
then loaded — CSV by xloader's COPY loader from a UTF-8 copy, spreadsheets by xloader's tabulator
loader, JSON arrays by ``datastore_create`` — and the table's columns are compared with the
entry's 信息项 (:mod:`.consistency`), which become its data dictionary (:mod:`.dictionary`).

xloader's own job is switched off for every resource (``IXloader.can_upload``): this job is the
one that loads, so that the encoding, the checks and the status are ours.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from typing import Any

import ckan.plugins.toolkit as tk
import requests

from ckanext.yiyang.data import files, model

log = logging.getLogger(__name__)

#: The JSON records written per ``datastore_upsert``.
CHUNK = 5000


def source_of(resource: dict[str, Any]) -> str:
    """What identifies the file loaded: an update that changes none of it loads nothing."""
    return "|".join(
        str(resource.get(key) or "")
        for key in ("url", "url_type", "format", "size", "last_modified")
    )


def resource_saved(resource: dict[str, Any]) -> None:
    """After a resource is created or updated: load its data if it is new or changed, check its
    service if it is one."""
    from ckanext.yiyang.data import service

    if service.is_service(resource):
        service.enqueue(resource)
        return
    if files.kind_of(resource) is None or not resource.get("url"):
        return
    source = source_of(resource)
    known = model.state(resource["id"])
    if known is not None and known.load_source == source:
        return
    enqueue(resource, source)


def resource_deleted(resource_id: str) -> None:
    """After a resource is deleted: its state and consistency go, so the pages and the
    progress view count only resources that exist."""
    model.forget(resource_id)


def enqueue(resource: dict[str, Any], source: str | None = None) -> None:
    model.set_state(
        resource["id"],
        resource["package_id"],
        load_state="pending",
        load_error=None,
        load_updated=model.now(),
        load_source=source or source_of(resource),
    )
    tk.enqueue_job(
        load_resource,
        [resource["id"]],
        title=f"yiyang data load {resource['id']}",
        rq_kwargs={"timeout": 3600},
    )


def _site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def load_resource(resource_id: str) -> str:
    """The job: returns the final state (``done`` or ``error``)."""
    from ckanext.yiyang.imports.common import request_context

    with request_context():
        import flask

        # xloader's spreadsheet loader calls datastore_create without a user; CKAN then takes
        # the request's (and its resource_patch of datastore_active needs one).
        flask.g.user = _site_context()["user"]
        return _load(resource_id)


def _load(resource_id: str) -> str:
    resource = tk.get_action("resource_show")(_site_context(), {"id": resource_id})
    package_id = resource["package_id"]
    kind = files.kind_of(resource)
    if kind is None:
        return "skipped"
    model.set_state(
        resource_id, package_id, load_state="loading", load_rows=None, load_updated=model.now()
    )
    try:
        raw = fetch(resource)
        profile = files.read(raw, kind)
        model.set_state(
            resource_id,
            package_id,
            load_state="loading",
            load_rows=profile.rows,
            load_encoding=profile.encoding,
            load_updated=model.now(),
        )
        _write(resource_id, kind, raw, profile)
        rows = _count(resource_id)
    except files.FileProblem as problem:
        model.set_state(
            resource_id,
            package_id,
            load_state="error",
            load_error=str(problem),
            load_updated=model.now(),
        )
        return "error"
    except Exception as error:  # any failure of the loader: recorded, never half "done"
        log.exception("loading resource %s failed", resource_id)
        model.set_state(
            resource_id,
            package_id,
            load_state="error",
            load_error=tk._("Loading failed: {problem}").format(problem=str(error)[:500]),
            load_updated=model.now(),
        )
        return "error"
    from ckanext.yiyang.data import consistency, dictionary

    consistency.check(resource_id, profile.columns)
    dictionary.apply(resource_id)
    model.set_state(
        resource_id,
        package_id,
        load_state="done",
        load_rows=rows,
        load_error=None,
        load_updated=model.now(),
    )
    return "done"


def fetch(resource: dict[str, Any]) -> bytes:
    """The resource's file: from CKAN's storage for an upload, else by HTTP (at most
    :func:`files.max_bytes` bytes)."""
    limit = files.max_bytes()
    if resource.get("url_type") == "upload":
        from ckan.lib.uploader import get_resource_uploader

        path = get_resource_uploader(resource).get_path(resource["id"])
        files.check_size(os.path.getsize(path))
        with open(path, "rb") as handle:
            return handle.read()
    try:
        response = requests.get(resource["url"], stream=True, timeout=60)
        response.raise_for_status()
    except requests.RequestException as error:
        raise files.FileProblem(
            tk._("The file could not be downloaded from {url}: {problem}").format(
                url=resource["url"], problem=error
            )
        ) from error
    declared = response.headers.get("content-length")
    if declared and declared.isdigit():
        files.check_size(int(declared))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(1024 * 1024):
        size += len(chunk)
        if size > limit:
            response.close()
            files.check_size(size)
        chunks.append(chunk)
    return b"".join(chunks)


def _write(resource_id: str, kind: str, raw: bytes, profile: files.Profile) -> None:
    if kind == "json":
        _write_json(resource_id, profile)
        return
    from ckanext.xloader import loader

    suffix = ".csv" if kind == "csv" else ".xlsx"
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115 (xloader opens it by name)
    try:
        with handle:
            if kind == "csv":
                # UTF-8 with a BOM: xloader's detection is then certain (confidence 1.0).
                handle.write((profile.text or "").encode("utf-8-sig"))
            else:
                handle.write(raw)
        logger = logging.getLogger(f"{__name__}.xloader")
        if kind == "csv":
            loader.load_csv(
                handle.name,
                resource_id=resource_id,
                mimetype="CSV",
                allow_type_guessing=False,
                logger=logger,
            )
        else:
            loader.load_table(handle.name, resource_id=resource_id, mimetype="XLSX", logger=logger)
        loader.calculate_record_count(resource_id=resource_id, logger=logger)
    finally:
        os.unlink(handle.name)


_DS_TYPES = {"integer": "int8", "numeric": "numeric", "datetime": "timestamp", "string": "text"}


def _write_json(resource_id: str, profile: files.Profile) -> None:
    context = _site_context()
    fields = [{"id": c["id"], "type": _DS_TYPES.get(c["type"], "text")} for c in profile.columns]
    records = profile.records or []
    with contextlib.suppress(tk.ObjectNotFound):
        tk.get_action("datastore_delete")(
            dict(context), {"resource_id": resource_id, "force": True}
        )
    tk.get_action("datastore_create")(
        dict(context),
        {"resource_id": resource_id, "force": True, "fields": fields, "records": []},
    )
    for start in range(0, len(records), CHUNK):
        tk.get_action("datastore_upsert")(
            dict(context),
            {
                "resource_id": resource_id,
                "force": True,
                "method": "insert",
                "records": records[start : start + CHUNK],
            },
        )


def _count(resource_id: str) -> int:
    found = tk.get_action("datastore_search")(
        _site_context(), {"resource_id": resource_id, "limit": 0, "include_total": True}
    )
    return int(found["total"])
