"""The background jobs of the import page: the dry run of an uploaded workbook, then, on the
user's choice, the import. Progress is written to the import's row on a connection of its
own (the import's writes commit on theirs), at most about once a second."""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.yiyang.imports import model as imports_model
from ckanext.yiyang.imports.common import request_context
from ckanext.yiyang.imports.engine import run_import
from ckanext.yiyang.resilience import jobs as resilience_jobs
from ckanext.yiyang.resilience import outage

log = logging.getLogger(__name__)

#: Sent once when an import has written its rows (not for a dry run): the sender is the
#: import's id; ``user_id``, ``file_name``, ``report`` (``ImportReport.as_dict()``) and
#: ``lang`` go with it. The desk tells the importer with ONE notice, whatever the row count.
import_finished = tk.signals.ckanext.signal(
    "yiyang_import_finished", "An import of a survey workbook has written its rows"
)

_UPDATE = sa.text(
    "UPDATE yiyang_import SET done = :done, total = :total, modified = :now WHERE id = :id"
)


class _Progress:
    def __init__(self, import_id: str) -> None:
        self.import_id = import_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 1.0:
            return
        self.last = now
        engine = model.Session.get_bind()
        with engine.begin() as conn:
            conn.execute(
                _UPDATE,
                {
                    "done": done,
                    "total": total,
                    "now": datetime.datetime.utcnow(),
                    "id": self.import_id,
                },
            )


def _set(row: imports_model.Import, **values: Any) -> None:
    for key, value in values.items():
        setattr(row, key, value)
    row.modified = datetime.datetime.utcnow()
    model.Session.add(row)
    model.Session.commit()


def _claim(row: imports_model.Import, status: str) -> bool:
    """Queued → ``status`` in one conditional UPDATE: a job enqueued twice runs once. A job
    enqueued again because its worker died (``requeue-abandoned-jobs``) takes over its own
    ``status``: the killed run's writes were never committed (one transaction)."""
    table = imports_model.Import.__table__
    claimable = [imports_model.QUEUED, *([status] if resilience_jobs.requeued() else [])]
    claimed = model.Session.execute(
        sa.update(table)
        .where(table.c.id == row.id, table.c.status.in_(claimable))
        .values(status=status, done=0, total=0, error="", modified=datetime.datetime.utcnow())
        .returning(table.c.id)
    ).first()
    model.Session.commit()
    model.Session.refresh(row)
    return claimed is not None


def _run(import_id: str, status: str, final: str, report_field: str, **options: Any) -> None:
    row = model.Session.get(imports_model.Import, import_id)
    if row is None:
        log.warning("import %s is gone", import_id)
        return
    if not _claim(row, status):
        log.warning("import %s is %s, not queued: this job does nothing", import_id, row.status)
        return
    services = [] if options.get("dry_run") else outage.down()
    if services:  # an import writes and indexes: with a service down it writes nothing
        with request_context(options.get("lang")):
            _set(row, status=imports_model.FAILED, error=outage.message(services))
        return
    user = model.User.get(row.user_id)
    try:
        report = run_import(
            row.path,
            user=user.name if user else "",
            progress=_Progress(import_id),
            **options,
        )
    except Exception as error:  # the job must leave a state the page can show
        model.Session.rollback()
        log.exception("import %s failed", import_id)
        row = model.Session.get(imports_model.Import, import_id)
        if row is not None:
            with request_context(options.get("lang")):
                _set(row, status=imports_model.FAILED, error=outage.failure_text(error))
        return
    row = model.Session.get(imports_model.Import, import_id)
    assert row is not None
    model.Session.refresh(row)
    _set(row, status=final, kind=report.kind, **{report_field: report.as_dict()})
    if final == imports_model.DONE and report.written:
        try:
            import_finished.send(
                import_id,
                user_id=row.user_id,
                file_name=row.file_name,
                report=report.as_dict(),
                lang=options.get("lang"),
            )
        except Exception:  # the import stands; only its notice is lost
            model.Session.rollback()
            log.exception("the notice of import %s failed", import_id)


def check(import_id: str, lang: str | None = None) -> None:
    """The dry run: every problem by sheet, row and column; nothing written. ``lang``: the
    language of the page it was started from, the problems' language."""
    _run(
        import_id,
        imports_model.CHECKING,
        imports_model.CHECKED,
        "check_report",
        dry_run=True,
        lang=lang,
    )


def run(import_id: str, valid_only: bool = False, lang: str | None = None) -> None:
    """The import itself, all or nothing, or the valid rows only."""
    _run(
        import_id,
        imports_model.IMPORTING,
        imports_model.DONE,
        "import_report",
        valid_only=valid_only,
        lang=lang,
    )
