"""The one rule of when a workflow commits, and what a deferred write means for the index."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from ckan import model
from ckan.types import Context

__all__ = ["commit", "unindexed", "writing_unindexed"]

_local = threading.local()


def commit(context: Context) -> None:
    """Commit, as CKAN's actions do, unless the caller commits (``defer_commit``): then the
    caller commits or rolls everything back, and indexes what changed."""
    if not context.get("defer_commit"):
        model.repo.commit()


def writing_unindexed() -> bool:
    """Whether this thread is writing entries it indexes only after its commit (a bulk write):
    a ``package_show`` then skips the index lookup (``use_cache``), which can only miss — the
    activity of each new entry asks for it (``security.action.package_show``)."""
    return bool(getattr(_local, "unindexed", False))


@contextlib.contextmanager
def unindexed() -> Iterator[None]:
    """Within the block, :func:`writing_unindexed` is true in this thread."""
    previous = getattr(_local, "unindexed", False)
    _local.unindexed = True
    try:
        yield
    finally:
        _local.unindexed = previous
