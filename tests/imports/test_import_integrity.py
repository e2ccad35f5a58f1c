"""An import runs once however often it is asked for at the same moment (issue 11 point 9),
and a small workbook of long cells gives a bounded stored report (point 11)."""

from __future__ import annotations

import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import ckanapi
import pytest
from ckan import model
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.yiyang.imports import model as imports_model
from ckanext.yiyang.imports import report as import_report

from .conftest import entry_row, fill, item_row

QUEUE = "yiyang-import-integrity-test"
pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.import.queue", QUEUE),
]


def _upload(user: str, path) -> dict:
    storage = FileStorage(io.BytesIO(path.read_bytes()), filename="数据提供调查表.xlsx")
    return tk.get_action("yiyang_import_create")({"user": user}, {"upload": storage})


def _work() -> None:
    jobs.Worker([QUEUE]).work(burst=True)


@pytest.fixture(autouse=True)
def empty_queue():
    jobs.get_queue(QUEUE).empty()
    yield
    jobs.get_queue(QUEUE).empty()


def _checked(tmp_path, unit_with_editor) -> dict:
    path = fill(
        "entries",
        tmp_path / "w.xlsx",
        unit=unit_with_editor["unit"]["title"],
        rows=[entry_row(1)],
        items=[item_row(1)],
    )
    imp = _upload(unit_with_editor["editor"]["name"], path)
    _work()
    shown = tk.get_action("yiyang_import_show")(
        {"user": unit_with_editor["editor"]["name"]}, {"id": imp["id"]}
    )
    assert shown["status"] == "checked" and not shown["check_report"]["problems"], shown
    return shown


def test_run_twice_at_once_queues_one_job(tmp_path, unit_with_editor, live_portal):
    token = factories.APIToken(user=unit_with_editor["editor"]["name"])["token"]
    for _round in range(3):
        imp = _checked(tmp_path, unit_with_editor)
        start = threading.Barrier(2)

        def run(
            _i: int, import_id: str = imp["id"], start: threading.Barrier = start
        ) -> tuple[str, object]:
            with ckanapi.RemoteCKAN(live_portal, apikey=token) as ckan:
                start.wait()
                try:
                    return "ok", ckan.action.yiyang_import_run(id=import_id, mode="all")
                except ckanapi.ValidationError as error:
                    return "refused", error.error_dict

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(run, range(2)))
        assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
        lost = next(r for kind, r in outcomes if kind == "refused")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lost["status"][0]), lost  # Chinese
        # the portal's queue (its own configuration) holds one job of this import
        portal_queue = jobs.get_queue("default")
        titles = [j.meta.get("title") for j in portal_queue.jobs]
        assert titles.count(f"yiyang import {imp['id']}") <= 1
        for job in portal_queue.jobs:
            if job.meta.get("title") == f"yiyang import {imp['id']}":
                job.delete()


def test_a_job_runs_only_a_queued_import(tmp_path, unit_with_editor):
    """A second job of one import (enqueued before the fix, or twice by a retry) does
    nothing: the first one moved the import on."""
    from ckanext.yiyang.imports import jobs as import_jobs

    imp = _checked(tmp_path, unit_with_editor)
    tk.get_action("yiyang_import_run")(
        {"user": unit_with_editor["editor"]["name"]}, {"id": imp["id"], "mode": "all"}
    )
    jobs.get_queue(QUEUE).empty()
    import_jobs.run(imp["id"])
    row = model.Session.get(imports_model.Import, imp["id"])
    model.Session.refresh(row)
    assert row.status == imports_model.DONE
    report = row.import_report
    import_jobs.run(imp["id"])  # done: not run again
    model.Session.refresh(row)
    assert row.status == imports_model.DONE and row.import_report == report


def test_long_cells_give_a_bounded_report(tmp_path, unit_with_editor):
    long_value = "偶尔更新" * 8000  # 32,000 characters: Excel's most for one cell
    rows = [entry_row(i, title=f"条目{i}", update_cycle=long_value) for i in range(1, 201)]
    path = fill(
        "entries",
        tmp_path / "long.xlsx",
        unit=unit_with_editor["unit"]["title"],
        rows=rows,
        items=[item_row(1)],
    )
    # a small upload (the template and one shared string), 19 MB of values in its cells
    assert path.stat().st_size < 400_000
    imp = _upload(unit_with_editor["editor"]["name"], path)
    _work()
    shown = tk.get_action("yiyang_import_show")(
        {"user": unit_with_editor["editor"]["name"]}, {"id": imp["id"]}
    )
    stored = shown["check_report"]
    size = len(json.dumps(stored, ensure_ascii=False).encode("utf-8"))
    assert size <= import_report.MAX_BYTES, size
    assert stored["truncated"] is True
    assert stored["counts"]["problems"] >= 200
    assert all(len(p["message"]) <= import_report.MAX_TEXT for p in stored["problems"])
    listed = tk.get_action("yiyang_import_list")({"user": unit_with_editor["editor"]["name"]}, {})[
        "results"
    ][0]
    assert listed["check_summary"]["problems"] == stored["counts"]["problems"]
    assert listed["check_summary"]["truncated"] is True
