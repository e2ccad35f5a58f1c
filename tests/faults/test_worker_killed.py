"""The job worker killed mid-import (issue 17.1): the import's job is enqueued again by
``ckan yiyang requeue-abandoned-jobs`` and runs once more; the killed run left nothing (one
transaction), the second writes every row once; index and database agree."""

from __future__ import annotations

import time
from pathlib import Path

from tests.faults.conftest import Stack

ROWS = 40
PREFIX = "故障测试：作业中断导入"


def test_an_import_outlives_its_killed_worker(stack: Stack, tmp_path: Path) -> None:
    import_id = stack.checked_import(tmp_path, [f"{PREFIX}{n:03d}" for n in range(ROWS)])
    stack.portal.action("yiyang_import_run", id=import_id)
    worker = stack.worker_process()
    try:
        # killed once it has taken the import (its rows being checked and written)
        stack.wait_for(
            "the worker takes the import", lambda: stack.import_status(import_id) != "queued"
        )
        time.sleep(1)
    finally:
        stack.kill_worker(worker)
    assert stack.import_status(import_id) == "importing"
    assert stack.count(PREFIX) == 0  # the killed run committed nothing

    stack.assert_requeued_import_completes(import_id, PREFIX, ROWS)
    # nothing left to run again
    assert "0 jobs enqueued again" in stack.run("yiyang", "requeue-abandoned-jobs").stdout
