"""``ckan yiyang reindex``: the whole search index rebuilt on several cores.

The ids of the entries (not deleted) are split over ``workers`` processes (forked from this
one, each with its own database connections); each builds its documents through CKAN's own
``index_package`` and sends them ``batch`` a request without committing
(:func:`ckanext.yiyang.maintenance.bulk.index_packages`); Solr commits once, at the end.
The index is cleared first unless ``refresh`` (then stale documents stay until
``ckan yiyang index-check --repair``).
"""

from __future__ import annotations

import logging
import multiprocessing
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.lib import search

from ckanext.yiyang.maintenance import bulk

log = logging.getLogger(__name__)

__all__ = ["reindex"]


def _ids() -> list[str]:
    query = sa.select(model.Package.id).where(model.Package.state != "deleted")
    return [row[0] for row in model.Session.execute(query.order_by(model.Package.id))]


def _worker(package_ids: list[str], batch: int, failed: Any) -> None:
    # the parent's connections are not this process's: open new ones
    model.Session.remove()
    model.meta.engine.dispose(close=False)
    failed.extend(bulk.index_packages(package_ids, batch=batch, commit=False))


def reindex(
    *, workers: int = 2, batch: int = bulk.BATCH, refresh: bool = False
) -> tuple[int, list[str]]:
    """Reindex every entry; (entries indexed, ids that failed)."""
    package_ids = _ids()
    model.Session.remove()
    if not refresh:
        search.index_for(model.Package).clear()
    if workers <= 1 or len(package_ids) < 2 * batch:
        failed = bulk.index_packages(package_ids, batch=batch, commit=False)
    else:
        model.meta.engine.dispose()
        context = multiprocessing.get_context("fork")
        with context.Manager() as manager:
            shared: Any = manager.list()
            parts = [package_ids[n::workers] for n in range(workers)]
            processes = [
                context.Process(target=_worker, args=(part, batch, shared)) for part in parts
            ]
            for process in processes:
                process.start()
            for process in processes:
                process.join()
            failed = list(shared)
            broken = [p.exitcode for p in processes if p.exitcode]
            if broken:
                raise RuntimeError(f"a reindex worker failed (exit codes {broken})")
    search.commit()
    return len(package_ids) - len(failed), failed
