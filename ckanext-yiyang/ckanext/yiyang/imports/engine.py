"""``run_import``: read a filled survey workbook, check every row with the catalog's own
validators and auth, then (unless a dry run) write through the same actions as the forms.

All or nothing: with any problem nothing is written, unless ``valid_only`` (then the rows
without problems are; a problem of the file itself still stops everything). The writes are
the actions' own, each committed as in the form; should one fail on the way, the writes made
before it are taken back (created entries and demands purged, updates restored) so that no
half import stays.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

from ckan import model

from ckanext.yiyang.imports import config, contacts, demands, entries
from ckanext.yiyang.imports.common import request_context
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
UNDO = {
    "entry_created": entries.undo,
    "entry_updated": entries.undo,
    "revision_saved": entries.undo,
    "demand_created": demands.undo,
    "contacts_updated": contacts.undo,
}


def detect_kind(book: Any) -> str:
    names = list(book.sheetnames)
    for sheet, kind in MAIN_SHEETS.items():
        if sheet in names:
            missing = [s for s in KINDS[kind].sheets if s not in names]
            if missing:
                raise FileProblem(
                    "找不到工作表“{missing}”（工作簿中的工作表：{found}）；请不要改名或删除模板的工作表".format(
                        missing="”“".join(missing), found="、".join(names)
                    ),
                    sheet=missing[0],
                )
            return kind
    raise FileProblem(
        "找不到模板的工作表“信息资源”“数据需求调研表”或“分管负责人及联络人名单”"
        "（工作簿中的工作表：{found}）；请使用下载的模板，不要改名或删除工作表".format(
            found="、".join(names) or "无"
        )
    )


def run_import(
    path: str,
    *,
    user: str,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the workbook at ``path`` as ``user`` (see the module's docstring)."""
    report = ImportReport(file_name=os.path.basename(path), dry_run=dry_run, valid_only=valid_only)
    with request_context():
        try:
            _run(path, user, report, progress or (lambda _done, _total: None))
        except FileProblem as problem:
            report.fatal = True
            report.add(problem.sheet, problem.row, problem.column, problem.message)
            report.created, report.updated = [], []
    return report


def _run(path: str, user: str, report: ImportReport, progress: Progress) -> None:
    if model.User.get(user or "") is None:
        raise FileProblem(f"用户“{user}”不存在")
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
    report.planned_create = [f"第{p.row}行 {p.label}" for p in writable if p.action == "create"]
    report.planned_update = [f"第{p.row}行 {p.label}" for p in writable if p.action == "update"]
    if report.dry_run or (report.problems and not report.valid_only) or report.fatal:
        progress(steps, steps)
        return
    journal: list[Any] = []
    done: list[Any] = []
    with _one_solr_commit():
        for index, item in enumerate(writable, start=1):
            try:
                item.result = workbook.write(user, item, journal)
            except Exception as error:  # any failure: take back what this import wrote
                model.Session.rollback()
                log.exception("import of %s failed at %s row %s", path, item.sheet, item.row)
                _undo(journal)
                report.add(
                    item.sheet,
                    item.row,
                    "",
                    f"写入这一行时出错（{_describe(error)}）；本次导入已写入的内容已全部撤销，没有导入任何内容",
                )
                report.created, report.updated = [], []
                report.written = False
                progress(steps, steps)
                return
            done.append(item)
            progress(total_rows + index * total_rows // max(len(writable), 1), steps)
        report.created = [p.result for p in done if p.action == "create"]
        report.updated = [p.result for p in done if p.action == "update"]
        report.written = bool(done)
        progress(steps, steps)


@contextlib.contextmanager
def _one_solr_commit() -> Iterator[None]:
    """Solr commits once, after the last row (or the undo), not after every entry: a commit
    per entry was more than half of each row's time. Imports run in a CLI or a job worker,
    never beside requests in one process, so the switch is the import's alone."""
    from ckan.lib import search
    from ckan.plugins import toolkit as tk

    before = tk.config.get("ckan.search.solr_commit")
    tk.config["ckan.search.solr_commit"] = False
    try:
        yield
    finally:
        tk.config["ckan.search.solr_commit"] = before
        search.commit()


def _undo(journal: list[Any]) -> None:
    for step in reversed(journal):
        try:
            UNDO[step[0]](step)
        except Exception:  # keep undoing the others
            model.Session.rollback()
            log.exception("could not undo %s", step[:2])


def _describe(error: Exception) -> str:
    from ckan.plugins import toolkit as tk

    if isinstance(error, tk.ValidationError):
        from ckanext.yiyang.imports.common import messages

        return "；".join(messages(error.error_dict)) or "数据不符合要求"
    return str(error) or type(error).__name__
