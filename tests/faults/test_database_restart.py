"""PostgreSQL stopped and started again in the middle of an import (issue 17.1): the pages say
the database is down (503, Chinese), the import's job fails with the database and is enqueued
again by ``ckan yiyang requeue-abandoned-jobs``; nothing half-written, every row written once."""

from __future__ import annotations

from pathlib import Path

import requests
from redis import Redis
from rq.registry import FailedJobRegistry

from tests.faults.conftest import Stack

ROWS = 40
PREFIX = "故障测试：数据库重启导入"


def failed_jobs(stack: Stack) -> int:
    queue = "ckan:yiyang_test_faults:default"  # CKAN's name of the default queue of the site
    with Redis(port=stack.ports["redis"], db=1) as redis:
        return len(FailedJobRegistry(name=queue, connection=redis))


def test_an_import_while_postgresql_restarts(stack: Stack, tmp_path: Path) -> None:
    import_id = stack.checked_import(tmp_path, [f"{PREFIX}{n:03d}" for n in range(ROWS)])
    stack.portal.action("yiyang_import_run", id=import_id)
    failed_before = failed_jobs(stack)
    worker = stack.worker_process()
    try:
        stack.wait_for(
            "the worker takes the import", lambda: stack.import_status(import_id) != "queued"
        )
        stack.service("postgres", "stop")
        try:
            page = requests.get(f"{stack.portal.url}/dataset/", timeout=60)
            assert page.status_code == 503
            assert "数据库" in page.text
            # the job meets the database gone and fails
            stack.wait_for("the import job fails", lambda: failed_jobs(stack) > failed_before)
        finally:
            stack.service("postgres", "start")
    finally:
        stack.kill_worker(worker)
    assert stack.count(PREFIX) == 0  # nothing half-written
    assert requests.get(f"{stack.portal.url}/dataset/", timeout=60).status_code == 200

    stack.assert_requeued_import_completes(import_id, PREFIX, ROWS)
