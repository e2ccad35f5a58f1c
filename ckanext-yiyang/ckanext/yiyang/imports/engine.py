"""``run_import``: read a filled survey workbook, check every row with the catalog's own
validators and auth, then (unless a dry run) write through the same actions as the forms.

All or nothing: with any problem nothing is written, unless ``valid_only`` (then the rows
without problems are; a problem of the file itself still stops everything). The writes are
one transaction: every action runs with ``defer_commit``, the import commits once after its
last row and only then indexes the entries it wrote, many a Solr request, with one Solr
commit. Should a row fail on the way, the transaction is rolled back: nothing of the import
is stored, nothing indexed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang.imports import config, contacts, demands, entries
from ckanext.yiyang.imports.common import Planned, messages, request_context
from ckanext.yiyang.imports.reader import FileProblem, open_book
from ckanext.yiyang.imports.report import ImportReport

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
KINDS: dict[str, Any] = {
    "entries": entries.Entries,
    "demands": demands.Demands,
    "contacts": contacts.Contacts,
}
# The sheet that tells each kind of workbook.
MAIN_SHEETS = {
    entries.SHEET: "entries",
    demands.SHEET: "demands",
    contacts.SHEET: "contacts",
}


def detect_kind(book: Any) -> str:
    names = list(book.sheetnames)
    for sheet, kind in MAIN_SHEETS.items():
        if sheet in names:
            missing = [s for s in KINDS[kind].sheets if s not in names]
            if missing:
                raise FileProblem(
                    tk._(
                        "The sheet “{missing}” is missing (the workbook's sheets: {found}); "
                        "do not rename or delete the template's sheets"
                    ).format(missing="”“".join(missing), found="、".join(names)),
                    sheet=missing[0],
                )
            return kind
    raise FileProblem(
        tk._(
            "None of the template's sheets {sheets} was found (the workbook's sheets: "
            "{found}); use the downloaded template and do not rename or delete its sheets"
        ).format(
            sheets="".join(f"“{name}”" for name in MAIN_SHEETS),
            found="、".join(names) or tk._("none"),
        )
    )


def run_import(
    path: str,
    *,
    user: str,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Progress | None = None,
    lang: str | None = None,
) -> ImportReport:
    """Import the workbook at ``path`` as ``user`` (see the module's docstring). Outside a
    request the problems are written in ``lang`` (default: the portal's default language)."""
    report = ImportReport(file_name=os.path.basename(path), dry_run=dry_run, valid_only=valid_only)
    with request_context(lang):
        try:
            _run(path, user, report, progress or (lambda _done, _total: None))
        except FileProblem as problem:
            report.fatal = True
            report.add(problem.sheet, problem.row, problem.column, problem.message)
            report.created, report.updated = [], []
    return report


def _run(path: str, user: str, report: ImportReport, progress: Progress) -> None:
    if model.User.get(user or "") is None:
        raise FileProblem(tk._("The user “{user}” does not exist").format(user=user))
    book = open_book(path)
    try:
        report.kind = detect_kind(book)
        workbook = KINDS[report.kind](book, config.max_rows())
    finally:
        book.close()
    total_rows = max(workbook.rows, 1)
    steps = total_rows if report.dry_run else 2 * total_rows
    progress(0, steps)
    planned = workbook.plan(user, report, lambda done: progress(min(done, total_rows), steps))
    report.rows_total = workbook.rows
    writable = [p for p in planned if p.action in ("create", "update")]
    report.rows_valid = len(planned)
    report.rows_skipped = max(report.rows_total - len(planned), 0)
    report.unchanged = [p.result for p in planned if p.action == "unchanged"]
    report.planned_create = [_row_title(p) for p in writable if p.action == "create"]
    report.planned_update = [_row_title(p) for p in writable if p.action == "update"]
    if report.dry_run or (report.problems and not report.valid_only) or report.fatal:
        progress(steps, steps)
        return
    written = _write(path, workbook, user, writable, report, progress, total_rows, steps)
    if written:
        report.created = [p.result for p in written if p.action == "create"]
        report.updated = [p.result for p in written if p.action == "update"]
        report.written = True
        if getattr(workbook, "indexed", False):
            _index([p.target for p in written if p.target])
    progress(steps, steps)


def _write(
    path: str,
    workbook: Any,
    user: str,
    writable: list[Planned],
    report: ImportReport,
    progress: Progress,
    total_rows: int,
    steps: int,
) -> list[Planned]:
    """Write every planned row in one transaction and commit it; the rows written, or none
    (with the problem in the report) when any write or the commit failed."""
    from ckanext.yiyang.maintenance import bulk

    current: Planned | None = None
    try:
        with bulk.acting_as(user):
            for index, item in enumerate(writable, start=1):
                current = item
                item.result = workbook.write(user, item)
                _release_savepoints()
                progress(total_rows + index * total_rows // max(len(writable), 1), steps)
        current = None
        model.repo.commit()
    except Exception as error:  # any failure: the import leaves nothing behind
        model.Session.rollback()
        log.exception(
            "import of %s failed at %s",
            path,
            f"{current.sheet} row {current.row}" if current else "the commit",
        )
        report.add(
            current.sheet if current else "",
            current.row if current else 0,
            "",
            tk._(
                "Writing this row failed ({error}); everything this import had written was "
                "taken back: nothing was imported"
            ).format(error=_describe(error)),
        )
        report.created, report.updated = [], []
        report.written = False
        return []
    return writable


def _release_savepoints() -> None:
    """Release the savepoints ``package_update`` opens and, told ``defer_commit``, leaves
    open: the transaction stays one, without a savepoint per row."""
    session = model.Session()
    while (nested := session.get_nested_transaction()) is not None:
        nested.commit()


def _index(package_ids: list[str]) -> None:
    """Index the entries the import committed, many documents a Solr request, then commit
    Solr once. An entry that fails to index is logged (its data is stored; ``ckan yiyang
    index-check --repair`` indexes it)."""
    from ckanext.yiyang.maintenance import bulk

    if package_ids:
        bulk.index_packages(package_ids)


def _row_title(planned: Planned) -> str:
    return tk._("Row {row}: {title}").format(row=planned.row, title=planned.label)


def _describe(error: Exception) -> str:
    if isinstance(error, tk.ValidationError):
        return tk._("; ").join(messages(error.error_dict)) or tk._(
            "The data do not meet the requirements"
        )
    return str(error) or type(error).__name__
