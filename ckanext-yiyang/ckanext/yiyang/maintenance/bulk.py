"""Bulk writes and batched indexing: many entries per transaction, many documents per Solr
request, one Solr commit at the end.

Entries are still written through ``package_create`` (the dataset schema through CKAN's
validation, our validators, codes, auth, activities, signals): what is batched is the commit
(``defer_commit``, one per batch) and the index (``return_id_only`` skips the per-entry
``package_show`` and index round trip; the batch's documents are built by CKAN's own
``PackageSearchIndex.index_package`` and sent together).

CKAN's ``index_package`` sends each document at once through a fresh ``make_connection()``.
:func:`collected_documents` makes that call, in this thread only, hand back a collector
instead; other threads (a threaded server) keep the real connection.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import logic, model
from ckan.lib import search
from ckan.lib.search import index as search_index
from ckan.lib.search.common import make_connection

from ckanext.yiyang.logic import transaction

log = logging.getLogger(__name__)

__all__ = [
    "BATCH",
    "LoadResult",
    "collected_documents",
    "create_entries",
    "index_packages",
]

#: Entries per transaction and documents per Solr update request.
BATCH = 500

_local = threading.local()
_real_make_connection = search_index.make_connection


class _Collector:
    """Stands in for the Solr connection of ``index_package``: keeps the documents."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **_kwargs: Any) -> None:
        self.docs.extend(docs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        # a deleted entry's document goes at once, as CKAN does it
        return _real_make_connection().delete(*args, **kwargs)


def _make_connection(*args: Any, **kwargs: Any) -> Any:
    collector = getattr(_local, "collector", None)
    if collector is not None:
        return collector
    return _real_make_connection(*args, **kwargs)


@contextlib.contextmanager
def collected_documents() -> Iterator[_Collector]:
    """Within the block, this thread's ``index_package`` calls keep their documents in the
    collector instead of sending them."""
    search_index.make_connection = _make_connection  # idempotent; real outside the block
    previous = getattr(_local, "collector", None)
    _local.collector = collector = _Collector()
    try:
        yield collector
    finally:
        _local.collector = previous


def _send(docs: list[dict[str, Any]]) -> None:
    if docs:
        make_connection().add(docs=docs, commit=False)


def index_packages(
    package_ids: Iterable[str],
    *,
    batch: int = BATCH,
    commit: bool = True,
    on_batch: Callable[[int], None] | None = None,
) -> list[str]:
    """Index the entries ``package_ids`` (``batch`` documents per Solr request), then commit
    Solr once (unless ``commit`` is false); the ids that failed to index (logged: their data
    is stored, ``ckan yiyang index-check --repair`` indexes them)."""
    failed: list[str] = []
    context: Any = {"ignore_auth": True}
    pending: list[str] = []

    def flush() -> None:
        with collected_documents() as collector:
            for package_id in pending:
                try:
                    logic.index_update_package(context, package_id, defer_commit=True)
                except Exception:
                    log.exception("could not index the entry %s", package_id)
                    failed.append(package_id)
        try:
            _send(collector.docs)
        except Exception:
            log.exception("Solr refused a batch of %d documents", len(collector.docs))
            failed.extend(d["id"] for d in collector.docs)
        if on_batch:
            on_batch(len(pending))
        pending.clear()

    for package_id in dict.fromkeys(package_ids):
        pending.append(package_id)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    if commit:
        try:
            search.commit()
        except Exception:
            log.exception("the index did not commit")
    return failed


@dataclasses.dataclass
class LoadResult:
    """Row by row: the id of each written row (by its key), the refused rows with the error."""

    created: dict[str, str] = dataclasses.field(default_factory=dict)
    refused: dict[str, Exception] = dataclasses.field(default_factory=dict)
    index_failed: list[str] = dataclasses.field(default_factory=list)


def create_entries(
    rows: Sequence[tuple[str, dict[str, Any]]],
    context: dict[str, Any],
    *,
    batch: int = BATCH,
    index: bool = True,
    on_batch: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """``package_create`` of each ``(key, data_dict)`` with ``context`` (its ``user`` the
    author), ``batch`` rows per transaction: a loader's write, row by row.

    A row that validation (or anything else) refuses is reported in ``refused`` and written
    not at all; ``package_create`` rolls the whole session back when it refuses, so the
    batch's rows before it are written again (their values were valid) and committed at once.
    The committed entries are indexed in batches (:func:`index_packages`)."""
    result = LoadResult()
    written: list[str] = []
    position = 0
    with acting_as(context.get("user")), transaction.unindexed():
        while position < len(rows):
            chunk = rows[position : position + batch]
            done = _create_batch(chunk, context, result)
            written.extend(result.created[key] for key, _ in chunk[:done] if key in result.created)
            position += done
            if on_batch:
                on_batch(position, len(rows))
    if index:
        result.index_failed = index_packages(written, batch=batch)
    return result


@contextlib.contextmanager
def acting_as(user_name: str | None) -> Iterator[None]:
    """Within the block the request's current user is ``user_name``'s account (outside a
    web request: a job, a command). CKAN's auth reads the acting user from the database on
    each of its checks (ten a ``package_create``) unless it is the request's current user:
    the same user, read once a load. Restores the previous one after."""
    from flask import g, has_request_context

    account = model.User.get(user_name) if user_name else None
    if account is None or not has_request_context():
        yield
        return
    missing = object()
    previous = g.get("_login_user", missing)
    g._login_user = account
    try:
        yield
    finally:
        if previous is missing:
            g.pop("_login_user", None)
        else:
            g._login_user = previous


def _create_batch(
    chunk: Sequence[tuple[str, dict[str, Any]]],
    context: dict[str, Any],
    result: LoadResult,
) -> int:
    """Write ``chunk`` in one transaction; the number of its rows settled (written or refused).

    Each row has a savepoint: a row refused by our checks (they run first and roll nothing
    back) is undone alone. Should core have rolled the whole session back (it does when its
    own validation refuses), the batch stops there: what was written before the row is
    written again and committed."""
    session = model.Session()
    pending: list[tuple[str, str]] = []
    for settled, (key, data_dict) in enumerate(chunk, start=1):
        savepoint = session.begin_nested()
        try:
            entry_id = _create(context, data_dict)
        except Exception as error:
            if not isinstance(error, tk.ValidationError):
                log.warning("row %s was not written: %s", key, error)
            result.refused[key] = error
            if savepoint.is_active:
                savepoint.rollback()
                continue
            model.Session.rollback()
            redone = [(k, _create(context, _data(chunk, k))) for k, _ in pending]
            model.repo.commit()
            result.created.update(redone)
            return settled
        pending.append((key, entry_id))
    model.repo.commit()
    result.created.update(pending)
    return len(chunk)


def _data(chunk: Sequence[tuple[str, dict[str, Any]]], key: str) -> dict[str, Any]:
    return next(data_dict for k, data_dict in chunk if k == key)


def _create(context: dict[str, Any], data_dict: dict[str, Any]) -> str:
    entry_id = tk.get_action("package_create")(
        {**context, "defer_commit": True, "return_id_only": True}, dict(data_dict)
    )
    _release_savepoints()
    return str(entry_id)


def _release_savepoints() -> None:
    """Release the savepoints an action told ``defer_commit`` leaves open: the batch stays
    one transaction."""
    session = model.Session()
    while (nested := session.get_nested_transaction()) is not None:
        nested.commit()
