"""Background jobs run through the real Redis with CKAN's job queue and worker."""

from __future__ import annotations

import pathlib

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
import redis


def write_marker(path: str, text: str) -> str:
    """The job: leaves a trace that the test can read after the worker ran it."""
    pathlib.Path(path).write_text(text, encoding="utf-8")
    return text


@pytest.mark.usefixtures("with_plugins")
def test_job_runs_through_redis(tmp_path):
    queue = "yiyang-test"
    jobs.get_queue(queue).empty()
    marker = tmp_path / "done.txt"

    job = tk.enqueue_job(write_marker, [str(marker), "信息资源"], queue=queue)

    # The job waits in Redis itself, under CKAN's queue prefix, until a worker takes it.
    conn = redis.Redis.from_url(tk.config["ckan.redis.url"])
    assert conn.exists(f"rq:job:{job.id}")
    assert job.id in jobs.get_queue(queue).job_ids

    jobs.Worker([queue]).work(burst=True)

    assert marker.read_text(encoding="utf-8") == "信息资源"
    job.refresh()
    assert job.is_finished
    assert job.return_value() == "信息资源"
