"""The one rule of when a workflow commits."""

from __future__ import annotations

from ckan import model
from ckan.types import Context


def commit(context: Context) -> None:
    """Commit, as CKAN's actions do, unless the caller commits (``defer_commit``): then the
    caller commits or rolls everything back, and indexes what changed."""
    if not context.get("defer_commit"):
        model.repo.commit()
