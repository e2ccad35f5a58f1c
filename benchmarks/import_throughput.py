"""Throughput of the survey importer (``ckanext.yiyang.imports.run_import``): entries per
second of the check (dry run) and of the import itself, with and without 信息项, and the
peak memory of each run.

    .venv/bin/python benchmarks/import_throughput.py --workbook var/real-entries.xlsx
    .venv/bin/python benchmarks/import_throughput.py --entries 500 --items 8
    .venv/bin/python benchmarks/import_throughput.py --entries 200 --check-only

It runs against the database, Solr core and Redis of ``--config`` (default config/bench.ini,
never the portal's), as ``--user`` (default: the site user, a sysadmin). Each variant runs in
a process of its own so that its peak memory (``ru_maxrss``) is its own. The variant without
信息项 is the same workbook with its 信息项 sheet emptied and its titles marked, so that both
variants create entries (a second import of the same rows would find them unchanged). The
entries created stay in the benchmark database.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config" / "bench.ini"


def _app(config: str) -> Any:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(config))._wsgi_app


def synthetic(path: Path, entries: int, items: int, tag: str) -> None:
    """A filled 附件3 workbook of ``entries`` rows spread over the 88 units."""
    from ckanext.yiyang.survey import layout, workbooks

    book = workbooks.build("entries")
    sheet, item_sheet = book["信息资源"], book["信息项"]
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    item_keys = [c.key for c in layout.ITEM_COLUMNS]
    units = workbooks.unit_titles()
    item_row = workbooks.FIRST_DATA_ROW + 1
    for n in range(1, entries + 1):
        values = {
            "row": n,
            "title": f"基准测试信息资源{tag}-{n}",
            "notes": f"第{n}条基准测试信息资源的摘要，说明数据的内容、范围和用途。",
            "owner_org": units[n % len(units)],
            "catalog_category": "102 法人单位",
            "subject_category": "02 经济管理",
            "tag_string": "基准测试,企业",
            "format_class": "数据库" if items else "电子文件",
            "share_type": "有条件共享",
            "share_condition": "用于行政管理",
            "share_method": "共享平台·接口",
            "open_to_public": "否",
            "update_cycle": "每月",
            "disclosure_scope": "对内公开",
            "management_mode": "计算机（电子表格）",
        }
        row = workbooks.FIRST_DATA_ROW + n - 1
        for key, value in values.items():
            sheet.cell(row, keys.index(key) + 1, value)
        for i in range(items):
            item = {"row": n, "name": f"字段{i + 1}", "data_type": "字符型", "length": 50}
            for key, value in item.items():
                item_sheet.cell(item_row, item_keys.index(key) + 1, value)
            item_row += 1
    book.save(path)


def without_items(source: Path, target: Path) -> None:
    """The same workbook, its 信息项 emptied, titles marked, codes cleared."""
    import openpyxl

    from ckanext.yiyang.survey import layout, workbooks

    book = openpyxl.load_workbook(source)
    sheet, items = book["信息资源"], book["信息项"]
    if items.max_row >= workbooks.FIRST_DATA_ROW + 1:
        items.delete_rows(workbooks.FIRST_DATA_ROW + 1, items.max_row)
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    title, code, fmt = (keys.index(k) + 1 for k in ("title", "resource_code", "format_class"))
    for row in range(workbooks.FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(row, title).value:
            sheet.cell(row, title).value = f"{sheet.cell(row, title).value}（无信息项）"
            sheet.cell(row, code).value = None
            if sheet.cell(row, fmt).value in ("数据库", "电子表格"):
                sheet.cell(row, fmt).value = "电子文件"  # these need 信息项
    book.save(target)


def run_variant(config: str, workbook: str, user: str, check_only: bool) -> dict[str, Any]:
    from ckan.plugins import toolkit as tk

    from ckanext.yiyang.imports import run_import

    app = _app(config)
    with app.test_request_context("/"):
        user = user or tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        started = time.perf_counter()
        check = run_import(workbook, user=user, dry_run=True)
        checked = time.perf_counter() - started
        result: dict[str, Any] = {
            "rows": check.rows_total,
            "problems": len(check.problems),
            "check_seconds": round(checked, 2),
            "check_per_second": round(check.rows_total / checked, 1) if checked else None,
        }
        if check.problems:
            result["first_problems"] = [p.as_dict() for p in check.sorted_problems()[:5]]
        if not check_only:
            started = time.perf_counter()
            report = run_import(workbook, user=user, valid_only=True)
            took = time.perf_counter() - started
            written = len(report.created) + len(report.updated)
            result.update(
                created=len(report.created),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
                import_seconds=round(took, 2),
                import_per_second=round(written / took, 1) if took else None,
            )
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(DEFAULT_CONFIG))
    parser.add_argument("--workbook", help="a filled 附件3 workbook (.xlsx)")
    parser.add_argument(
        "--entries", type=int, default=200, help="synthetic entries (no --workbook)"
    )
    parser.add_argument("--items", type=int, default=8, help="信息项 per synthetic entry")
    parser.add_argument("--user", default="", help="import as this user (default: the site user)")
    parser.add_argument("--check-only", action="store_true", help="dry runs only, write nothing")
    parser.add_argument("--variant-of", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.variant_of:  # a child: one run, one JSON line
        print(json.dumps(run_variant(args.config, args.variant_of, args.user, args.check_only)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        with_items = Path(args.workbook) if args.workbook else Path(tmp) / "synthetic.xlsx"
        plain = Path(tmp) / "without-items.xlsx"
        with _app(args.config).test_request_context("/"):
            if not args.workbook:
                synthetic(with_items, args.entries, args.items, time.strftime("%H%M%S"))
            without_items(with_items, plain)
        for label, path in (("with 信息项", with_items), ("without 信息项", plain)):
            command = [
                sys.executable,
                __file__,
                "--config",
                args.config,
                "--variant-of",
                str(path),
            ]
            if args.user:
                command += ["--user", args.user]
            if args.check_only:
                command.append("--check-only")
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode or not lines:
                sys.exit(f"{label}: failed\n{done.stderr[-3000:]}")
            result = json.loads(lines[-1])
            print(f"{label}: {json.dumps(result, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
