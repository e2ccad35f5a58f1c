"""Actions of the catalog book 《益阳市电子政务信息资源目录》."""

from __future__ import annotations

import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.book import config, source, storage
from ckanext.yiyang.book.logic import schema
from ckanext.yiyang.logic.schema import validate

__all__ = ["yiyang_book_generate", "yiyang_book_list", "yiyang_book_show"]


def _kind(context: Context, data_dict: DataDict) -> tuple[str, str]:
    data = validate(data_dict, schema.edition(), context)
    return data["edition"], data["format"]


def _public_meta(meta: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in meta.items() if k not in ("file", "job_id", "stored")}
    shown["url"] = tk.url_for(
        "yiyang_book.download", edition=meta["edition"], fmt=meta["format"], _external=True
    )
    shown["filename"] = storage.download_name(meta)
    return shown


def yiyang_book_generate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Generate an edition of the catalog book in a background job; its progress shows in
    ``yiyang_book_list``. While one of the same kind is queued or running, that job is
    returned instead of a second one.

    :param edition: ``internal`` (what government users see) or ``public`` (what anonymous
        visitors see)
    :type edition: string
    :param format: ``pdf`` or ``xlsx``
    :type format: string
    :returns: the job's status: ``id``, ``edition``, ``format``, ``state`` (queued, running,
        finished, failed), ``done``, ``total``, ``enqueued``, ``user``
    :rtype: dictionary
    """
    tk.check_access("yiyang_book_generate", context, data_dict)
    edition, fmt = _kind(context, data_dict)
    for status in storage.jobs(limit=100):
        if (
            status.get("edition") == edition
            and status.get("format") == fmt
            and status.get("state") in ("queued", "running")
            and not status["stale"]
        ):
            return status
    job_id = uuid.uuid4().hex
    status = storage.update_job(
        job_id,
        edition=edition,
        format=fmt,
        state="queued",
        done=0,
        total=None,
        enqueued=storage.now().isoformat(),
        user=context.get("user"),
    )
    from ckanext.yiyang.book import jobs

    tk.enqueue_job(
        jobs.generate_book,
        [job_id, edition, fmt],
        title=f"catalog book {edition} {fmt}",
        queue=config.queue(),
        rq_kwargs={"timeout": config.job_timeout(), "job_id": f"yiyang-book-{job_id}"},
    )
    return status


def yiyang_book_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The latest edition of each kind (internal/public × pdf/xlsx) that the caller may
    download, and for reviewers the recent generation jobs with their progress.

    :param limit: editions to return (default 20, at most 100)
    :type limit: int
    :param offset: editions to skip (default 0)
    :type offset: int
    :returns: ``count``: how many editions the caller may download; ``results``: those
        editions from ``offset`` (``edition``, ``format``, ``created``, ``size``, ``entries``,
        ``items``, ``pages`` for PDF, ``url``, ``filename``); ``jobs``: list of job statuses
        (reviewers and sysadmins only, else empty); ``can_generate``: boolean
    :rtype: dictionary
    """
    tk.check_access("yiyang_book_list", context, data_dict)
    paging = validate(data_dict, schema.book_list(), context)
    books = []
    for edition in source.EDITIONS:
        for fmt in source.FORMATS:
            try:
                tk.check_access("yiyang_book_show", context, {"edition": edition})
            except tk.NotAuthorized:
                continue
            meta = storage.latest(edition, fmt)
            if meta is not None:
                books.append(_public_meta(meta))
    reviewer = roles.is_reviewer(context.get("user"))
    start = paging["offset"]
    return {
        "count": len(books),
        "results": books[start : start + paging["limit"]],
        "jobs": storage.jobs() if reviewer else [],
        "can_generate": reviewer,
    }


def yiyang_book_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The latest edition of one kind: what ``yiyang_book_list`` says of it; its ``url``
    downloads it.

    :param edition: ``internal`` or ``public``
    :type edition: string
    :param format: ``pdf`` or ``xlsx``
    :type format: string
    :rtype: dictionary
    """
    tk.check_access("yiyang_book_show", context, data_dict)
    edition, fmt = _kind(context, data_dict)
    meta = storage.latest(edition, fmt)
    if meta is None:
        raise tk.ObjectNotFound(tk._("This edition has not been generated yet"))
    return _public_meta(meta)
