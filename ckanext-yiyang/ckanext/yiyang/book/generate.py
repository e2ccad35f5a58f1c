"""Generating an edition, the same way from the command line and from the background job."""

from __future__ import annotations

import datetime
import logging
import pathlib
import time
from collections.abc import Callable
from typing import Any

from ckanext.yiyang.book import config, source, storage

log = logging.getLogger(__name__)


def generate(
    edition: str,
    fmt: str,
    out: pathlib.Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    generated: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Write the ``edition`` (internal, public) as ``fmt`` (pdf, xlsx) to ``out``. Returns its
    metadata: edition, format, created, entries, items, pages (PDF), seconds."""
    if edition not in source.EDITIONS:
        raise ValueError(f"unknown edition {edition!r}")
    if fmt not in source.FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    generated = generated or storage.now()
    started = time.monotonic()
    with source.reader(edition) as context:
        book_plan = source.plan(context, edition)
        total = book_plan.total

        def report(done: int) -> None:
            if progress is not None:
                progress(done, total)

        report(0)
        meta: dict[str, Any] = {
            "edition": edition,
            "format": fmt,
            "created": generated.isoformat(),
        }
        if fmt == "pdf":
            from ckanext.yiyang.book import pdf

            written = pdf.write(
                context,
                book_plan,
                out,
                generated=generated,
                progress=report,
                weight_limit=config.chunk_weight(),
                jobs=config.jobs(),
            )
            meta.update(entries=written.entries, items=written.items, pages=written.pages)
        else:
            from ckanext.yiyang.book import xlsx

            done = xlsx.write(context, book_plan, out, generated=generated, progress=report)
            meta.update(entries=done.entries, items=done.items)
    meta["seconds"] = round(time.monotonic() - started, 1)
    log.info("catalog book %s/%s: %s", edition, fmt, meta)
    return meta
