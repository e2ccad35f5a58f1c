"""The generated editions and the generation jobs, as files (``config.directory()``).

``<kind>-<timestamp>.<ext>`` with ``<same>.json`` beside it (its metadata); a file is written
under a temporary name and renamed, its JSON last, so a listed edition is always complete.
``jobs/<id>.json`` is a job's status (queued, running with its progress, finished, failed),
written by the job itself and read by the page.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import re
import tempfile
import time
from typing import Any

from ckanext.yiyang.book import config, source

EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx"}
MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def now() -> datetime.datetime:
    """The time in China (UTC+8), as the book's dates are read there."""
    from ckanext.yiyang.workdays import SHANGHAI

    return datetime.datetime.now(SHANGHAI).replace(microsecond=0)


def folder() -> pathlib.Path:
    path = config.directory()
    path.mkdir(parents=True, exist_ok=True)
    return path


def jobs_folder() -> pathlib.Path:
    path = folder() / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def kind(edition: str, fmt: str) -> str:
    return f"yiyang-catalog-{edition}-{fmt}"


def write_json(path: pathlib.Path, data: dict[str, Any]) -> None:
    """Atomically: a reader sees the old or the new content, never half of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def read_json(path: pathlib.Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def temporary(fmt: str) -> pathlib.Path:
    """A new empty file in the books folder to write an edition into."""
    fd, tmp = tempfile.mkstemp(dir=folder(), prefix=".tmp-", suffix=f".{EXTENSIONS[fmt]}")
    os.close(fd)
    return pathlib.Path(tmp)


def store(written: pathlib.Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Keep ``written`` as the newest edition of its kind (``meta``: edition, format, created,
    counts); older ones beyond ``ckanext.yiyang.book.keep`` are deleted."""
    created = datetime.datetime.fromisoformat(meta["created"])
    name = f"{kind(meta['edition'], meta['format'])}-{created:%Y%m%d-%H%M%S}"
    target = folder() / f"{name}.{EXTENSIONS[meta['format']]}"
    number = 1
    while target.exists():  # two editions of one kind within a second
        number += 1
        target = folder() / f"{name}-{number}.{EXTENSIONS[meta['format']]}"
    os.replace(written, target)
    meta = {**meta, "file": target.name, "size": target.stat().st_size, "stored": time.time_ns()}
    write_json(target.with_suffix(".json"), meta)
    for old in editions(meta["edition"], meta["format"])[config.keep() :]:
        for path in (folder() / old["file"], (folder() / old["file"]).with_suffix(".json")):
            path.unlink(missing_ok=True)
    return meta


def editions(edition: str, fmt: str) -> list[dict[str, Any]]:
    """The stored editions of one kind, newest first."""
    found = []
    for path in folder().glob(f"{kind(edition, fmt)}-*.json"):
        meta = read_json(path)
        if meta and (folder() / meta.get("file", "")).is_file():
            found.append(meta)
    return sorted(found, key=lambda m: m.get("stored", 0), reverse=True)


def latest(edition: str, fmt: str) -> dict[str, Any] | None:
    found = editions(edition, fmt)
    return found[0] if found else None


def path_of(meta: dict[str, Any]) -> pathlib.Path:
    return folder() / meta["file"]


def download_name(meta: dict[str, Any]) -> str:
    created = datetime.datetime.fromisoformat(meta["created"])
    label = source.EDITION_LABELS[meta["edition"]]
    return f"{source.BOOK_TITLE}（{label}）{created:%Y%m%d}.{EXTENSIONS[meta['format']]}"


def job_path(job_id: str) -> pathlib.Path:
    if not _JOB_ID.match(job_id):
        raise ValueError(f"not a job id: {job_id!r}")
    return jobs_folder() / f"{job_id}.json"


def job_status(job_id: str) -> dict[str, Any] | None:
    return read_json(job_path(job_id))


def update_job(job_id: str, **changes: Any) -> dict[str, Any]:
    status = job_status(job_id) or {"id": job_id}
    status.update(changes)
    write_json(job_path(job_id), status)
    return status


def jobs(limit: int = 20) -> list[dict[str, Any]]:
    """The most recent jobs, newest first, with ``stale`` set on queued or running ones older
    than the job timeout (the worker was stopped, or stopped them)."""
    found = [read_json(p) for p in jobs_folder().glob("*.json")]
    statuses = sorted((s for s in found if s), key=lambda s: s.get("enqueued", ""), reverse=True)
    limit_age = datetime.timedelta(seconds=config.job_timeout())
    for status in statuses:
        enqueued = datetime.datetime.fromisoformat(status["enqueued"])
        status["stale"] = status.get("state") in ("queued", "running") and (
            now() - enqueued > limit_age
        )
    for old in statuses[100:]:
        job_path(old["id"]).unlink(missing_ok=True)
    return statuses[:limit]
