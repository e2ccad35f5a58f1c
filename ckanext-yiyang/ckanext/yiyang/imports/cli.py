"""``ckan yiyang import FILE [--dry-run] [--valid-only] --user NAME``."""

from __future__ import annotations

import json
import sys
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.yiyang.imports.common import request_context
from ckanext.yiyang.imports.engine import run_import
from ckanext.yiyang.imports.report import ImportReport


def N_(text: str) -> str:
    """A message marked for the catalog, translated where it is shown."""
    return text


KIND_NAMES = {
    "entries": N_("Annex 3: data provision survey (entries)"),
    "demands": N_("Annex 2: data demand survey"),
    "contacts": N_("Annex 4: leaders and contacts"),
}


class _Bar:
    """A click progress bar on stderr, made when the number of steps is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.render_progress()
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option(
    "--valid-only", is_flag=True, help="Import the rows without problems, leave out the others."
)
@click.option(
    "--user",
    "-u",
    required=True,
    help="The user the import runs as: their rights in each unit decide what they may write.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_workbook(file: str, dry_run: bool, valid_only: bool, user: str, as_json: bool) -> None:
    """Import a filled survey workbook (附件3 entries, 附件2 demands or 附件4 contacts).

    Nothing is written when a row has a problem, unless --valid-only. Exits with 1 when
    there were problems, 0 otherwise.
    """
    bar = _Bar("检查" if dry_run else "导入")
    report = run_import(file, user=user, dry_run=dry_run, valid_only=valid_only, progress=bar)
    bar.finish()
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(report))
    sys.exit(1 if report.problems else 0)


def render(report: ImportReport) -> str:
    """The report as text, in the portal's default language."""
    with request_context():
        return _render(report)


def _render(report: ImportReport) -> str:
    _ = tk._
    kind = KIND_NAMES.get(report.kind)
    lines = [
        _("File: {file}  Kind: {kind}").format(
            file=report.file_name, kind=_(kind) if kind else _("Unknown")
        )
    ]
    if report.problems:
        lines.append(_("{count} problems found:").format(count=len(report.problems)))
        lines.append(_("Sheet\tRow\tColumn\tProblem"))
        for p in report.sorted_problems():
            lines.append(f"{p.sheet or '-'}\t{p.row or '-'}\t{p.column or '-'}\t{p.message}")
    if report.mapped:
        lines.append(_("Values read as follows:"))
        lines.append(_("Sheet\tColumn\tValue written\tRead as\tRows (how many)"))
        for m in report.mapped:
            rows = "、".join(str(r) for r in m.rows)
            lines.append(f"{m.sheet}\t{m.column}\t{m.value}\t{m.label}\t{rows}（{m.count}）")
    if report.dry_run:
        lines.append(
            _(
                "Checked (nothing written): {created} to create, {updated} to update, "
                "{unchanged} unchanged"
            ).format(
                created=len(report.planned_create),
                updated=len(report.planned_update),
                unchanged=len(report.unchanged),
            )
        )
    elif report.fatal or (report.problems and not report.written and not report.valid_only):
        lines.append(
            _(
                "Nothing was imported. Correct the problems and import again, or import the "
                "rows without problems with --valid-only."
            )
        )
    else:
        lines.append(
            _(
                "Imported: {created} created, {updated} updated, {unchanged} unchanged, "
                "{skipped} rows with problems left out"
            ).format(
                created=len(report.created),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
                skipped=report.rows_skipped,
            )
        )
        for name in report.created:
            lines.append("  " + _("Created {name}").format(name=name))
        for name in report.updated:
            lines.append("  " + _("Updated {name}").format(name=name))
    return "\n".join(lines)
