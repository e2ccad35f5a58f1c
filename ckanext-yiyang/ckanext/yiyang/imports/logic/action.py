"""Actions of the import page: upload a workbook (checked at once by a background job), show
its progress and reports, list one's imports, run the import."""

from __future__ import annotations

import datetime
import os
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.imports import config, jobs, states
from ckanext.yiyang.imports import model as imports_model
from ckanext.yiyang.imports.model import Import
from ckanext.yiyang.logic.schema import flag, list_schema, validate

__all__ = [
    "yiyang_import_create",
    "yiyang_import_list",
    "yiyang_import_run",
    "yiyang_import_show",
]

MODES = ("all", "valid_only")


def storage_dir() -> str:
    """Uploaded workbooks live under CKAN's ``ckan.storage_path``."""
    base = tk.config.get("ckan.storage_path") or ""
    if not base:
        raise tk.ValidationError(
            {"upload": [tk._("Uploads are not configured (ckan.storage_path)")]}
        )
    path = os.path.join(base, "yiyang_imports")
    os.makedirs(path, exist_ok=True)
    return path


def dictize(row: Import, with_reports: bool = True) -> dict[str, Any]:
    user = model.User.get(row.user_id)
    result: dict[str, Any] = {
        "id": row.id,
        "user": user.name if user else row.user_id,
        "file_name": row.file_name,
        "kind": row.kind,
        "status": row.status,
        "mode": row.mode,
        "done": row.done,
        "total": row.total,
        "percent": int(100 * row.done / row.total) if row.total else 0,
        "running": row.status in imports_model.RUNNING,
        "error": row.error,
        "created": row.created.isoformat(),
        "modified": row.modified.isoformat(),
    }
    if with_reports:
        result["check_report"] = row.check_report
        result["import_report"] = row.import_report
    else:
        for name in ("check_report", "import_report"):
            report = getattr(row, name) or {}
            # a stored report keeps its lists' full lengths in ``counts`` (report.as_dict)
            counts = report.get("counts") or {}
            result[name.replace("report", "summary")] = (
                {
                    "ok": report.get("ok"),
                    "truncated": bool(report.get("truncated")),
                    **{
                        key: counts.get(key, len(report.get(key) or []))
                        for key in ("problems", "created", "updated", "unchanged")
                    },
                }
                if report
                else None
            )
    return result


def _get(data_dict: DataDict) -> Import:
    row = model.Session.get(Import, str(data_dict.get("id") or ""))
    if row is None:
        raise tk.ObjectNotFound(tk._("Import not found"))
    return row


def yiyang_import_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Upload a filled survey workbook (附件2, 附件3 or 附件4, .xlsx). It is checked at once by
    a background job (a dry run: nothing is written); the import runs when the user asks for
    it (``yiyang_import_run``). Users of a unit, sysadmins.

    :param upload: the workbook (a file upload, multipart/form-data)
    :type upload: file
    :returns: the import (``id``, ``status``, ``done``, ``total`` …)
    :rtype: dict
    """
    tk.check_access("yiyang_import_create", context, data_dict)
    upload = data_dict.get("upload")
    file_name = os.path.basename(getattr(upload, "filename", "") or "")
    if upload is None or not hasattr(upload, "stream") or not file_name:
        raise tk.ValidationError({"upload": [tk._("Choose the workbook to upload")]})
    user = model.User.get(context.get("user") or "")
    assert user is not None
    row = Import(user_id=user.id, file_name=file_name, path="", status=imports_model.QUEUED)
    limit = config.max_upload_mb() * 1024 * 1024
    row.id = row.id or _new_id()
    path = os.path.join(storage_dir(), f"{row.id}.xlsx")
    size = 0
    with open(path, "wb") as out:
        while chunk := upload.stream.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                out.close()
                os.remove(path)
                raise tk.ValidationError(
                    {
                        "upload": [
                            tk._("The file is larger than {mb} MB").format(
                                mb=config.max_upload_mb()
                            )
                        ]
                    }
                )
            out.write(chunk)
    row.path = path
    now = datetime.datetime.utcnow()
    row.created = row.modified = now
    model.Session.add(row)
    model.Session.commit()
    tk.enqueue_job(
        jobs.check,
        [row.id],
        {"lang": _lang()},
        title=f"yiyang import check {row.id}",
        queue=config.queue(),
    )
    return dictize(row)


def _lang() -> str | None:
    """The language of the page the job is started from: its report is written in it."""
    try:
        return tk.h.lang() or None
    except (RuntimeError, AttributeError):  # outside a request
        return None


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())


@tk.side_effect_free
def yiyang_import_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An import: where its job is (``status``: queued, checking, checked, importing, done,
    failed; ``done`` of ``total`` steps) and its reports (``check_report`` of the dry run,
    ``import_report`` once imported). The user who uploaded it, reviewers, sysadmins.

    :param id: the import's id
    :type id: string
    :rtype: dict
    """
    row = _get(data_dict)
    tk.check_access("yiyang_import_show", context, {"id": row.id, "user_id": row.user_id})
    return dictize(row)


@tk.side_effect_free
def yiyang_import_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Imports, newest first, with a summary of their reports: one's own; reviewers and
    sysadmins may ask for everyone's (``all=true``). Logged-in users.

    :param all: everyone's imports (reviewers, sysadmins); default false
    :type all: bool
    :param limit: at most this many (default 50, at most 200)
    :type limit: int
    :rtype: ``{"count", "results": [import summaries]}``
    """
    tk.check_access("yiyang_import_list", context, data_dict)
    data = validate(data_dict, {"all": [flag()], "limit": list_schema(50, 200)["limit"]}, context)
    query = model.Session.query(Import)
    if not (data["all"] and roles.is_reviewer(context.get("user"))):
        user = model.User.get(context.get("user") or "")
        query = query.filter(Import.user_id == (user.id if user else ""))
    limit = data["limit"]
    rows = query.order_by(Import.created.desc()).limit(limit).all()
    return {"count": query.count(), "results": [dictize(r, with_reports=False) for r in rows]}


def yiyang_import_run(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a checked workbook, as the user who uploaded it: ``all`` (only when the check
    found no problem) or ``valid_only`` (the rows without problems). The uploader, sysadmins.

    :param id: the import's id
    :type id: string
    :param mode: ``all`` (default) or ``valid_only``
    :type mode: string
    :returns: the import, queued again (of two concurrent requests one queues it, the
        other is refused)
    :rtype: dict
    """
    row = _get(data_dict)
    tk.check_access("yiyang_import_run", context, {"id": row.id, "user_id": row.user_id})
    mode = str(data_dict.get("mode") or "all")
    if mode not in MODES:
        raise tk.ValidationError({"mode": [tk._("Must be all or valid_only")]})
    if row.status != imports_model.CHECKED:
        raise tk.ValidationError(
            {"status": [tk._("Only a checked workbook that was not imported yet can be imported")]}
        )
    report = row.check_report or {}
    if report.get("fatal"):
        raise tk.ValidationError({"mode": [tk._("The file cannot be imported; see the problems")]})
    if mode == "all" and report.get("problems"):
        raise tk.ValidationError(
            {
                "mode": [
                    tk._("The workbook has problems: correct them, or import the valid rows only")
                ]
            }
        )
    # Checked → queued in one conditional UPDATE: of two concurrent requests exactly one
    # queues the job, the other is refused.
    table = Import.__table__
    queued = model.Session.execute(
        sa.update(table)
        .where(table.c.id == row.id, table.c.status == imports_model.CHECKED)
        .values(
            status=imports_model.QUEUED,
            mode=mode,
            done=0,
            total=0,
            modified=datetime.datetime.utcnow(),
        )
        .returning(table.c.id)
    ).first()
    model.Session.commit()
    model.Session.refresh(row)
    if queued is None:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("The import is {state} already: it is imported once").format(
                        state=states.MACHINE.label(row.status)
                    )
                ]
            }
        )
    tk.enqueue_job(
        jobs.run,
        [row.id],
        {"valid_only": mode == "valid_only", "lang": _lang()},
        title=f"yiyang import {row.id}",
        queue=config.queue(),
    )
    return dictize(row)
