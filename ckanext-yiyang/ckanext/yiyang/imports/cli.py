"""``ckan yiyang import FILE [--dry-run] [--valid-only] --user NAME``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ckanext.yiyang.imports.engine import run_import
from ckanext.yiyang.imports.report import ImportReport

KIND_NAMES = {
    "entries": "附件3 数据提供调查表（信息资源）",
    "demands": "附件2 数据需求调研表",
    "contacts": "附件4 分管负责人及联络人名单",
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
    lines = [f"文件：{report.file_name}  类型：{KIND_NAMES.get(report.kind, '未知')}"]
    if report.problems:
        lines.append(f"发现 {len(report.problems)} 个问题：")
        lines.append("工作表\t行\t列\t问题")
        for p in report.sorted_problems():
            lines.append(f"{p.sheet or '-'}\t{p.row or '-'}\t{p.column or '-'}\t{p.message}")
    if report.mapped:
        lines.append("按下列对应关系读取了取值：")
        lines.append("工作表\t列\t填写的值\t读作\t行（共几处）")
        for m in report.mapped:
            rows = "、".join(str(r) for r in m.rows)
            lines.append(
                f"{m.sheet}\t{m.column}\t{m.value}\t{m.label}（{m.code}）\t{rows}（{m.count}）"
            )
    if report.dry_run:
        lines.append(
            f"检查完成（未写入任何内容）：将新建 {len(report.planned_create)} 条，"
            f"修改 {len(report.planned_update)} 条，{len(report.unchanged)} 条无变化"
        )
    elif report.fatal or (report.problems and not report.written and not report.valid_only):
        lines.append(
            "没有导入任何内容。改正问题后重新导入，或使用 --valid-only 只导入没有问题的行。"
        )
    else:
        lines.append(
            f"导入完成：新建 {len(report.created)} 条，修改 {len(report.updated)} 条，"
            f"{len(report.unchanged)} 条无变化，{report.rows_skipped} 行有问题未导入"
        )
        for name in report.created:
            lines.append(f"  新建 {name}")
        for name in report.updated:
            lines.append(f"  修改 {name}")
    return "\n".join(lines)
