"""The background job that generates an edition (``ckan jobs worker`` runs it: no request)."""

from __future__ import annotations

import logging
import time
from typing import Any

from ckanext.yiyang.book import storage
from ckanext.yiyang.book.generate import generate

log = logging.getLogger(__name__)
# The status file is rewritten at most this often while the job runs.
PROGRESS_SECONDS = 1.0


def generate_book(job_id: str, edition: str, fmt: str) -> dict[str, Any]:
    """Generate the edition, keep it as the latest of its kind, and report progress and the
    outcome in the job's status file. Returns the stored edition's metadata."""
    storage.update_job(job_id, state="running", started=storage.now().isoformat(), done=0)
    written = storage.temporary(fmt)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if done in (0, total) or time.monotonic() - last >= PROGRESS_SECONDS:
            last = time.monotonic()
            storage.update_job(job_id, done=done, total=total)

    try:
        meta = generate(edition, fmt, written, progress=progress)
        meta = storage.store(written, {**meta, "job_id": job_id})
    except Exception as error:
        written.unlink(missing_ok=True)
        log.exception("catalog book job %s (%s, %s) failed", job_id, edition, fmt)
        storage.update_job(
            job_id, state="failed", finished=storage.now().isoformat(), error=str(error)
        )
        raise
    storage.update_job(job_id, state="finished", finished=storage.now().isoformat(), book=meta)
    return meta
