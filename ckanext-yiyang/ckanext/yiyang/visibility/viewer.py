"""Who is looking: the viewer that the request-bound hooks of the catalog (``package_search``'s
before/after hooks, which are given no context) apply §6 for, and whether that viewer is a
government user."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang import roles
from ckanext.yiyang.visibility.labels import GOVERNMENT_READER

_UNSET: Any = object()
_acting_viewer: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "yiyang_acting_viewer", default=_UNSET
)


@contextlib.contextmanager
def viewing_as(user_name: str | None) -> Iterator[None]:
    """Within the block the viewer is ``user_name`` (None: anonymous) whatever the request,
    for the hooks that can only ask the request (``package_search``'s): work done on behalf of
    a viewer outside a request — a background job, the command line — and a request that acts
    for another viewer. The actions it calls must be given the same viewer in their context."""
    token = _acting_viewer.set(user_name)
    try:
        yield
    finally:
        _acting_viewer.reset(token)


def current_user_name() -> str | None:
    """The user of the current web or API request, if any (or the one of ``viewing_as``)."""
    acting = _acting_viewer.get()
    if acting is not _UNSET:
        return acting
    try:
        user = tk.current_user
        return None if user.is_anonymous else user.name
    except (RuntimeError, AttributeError):
        return None


def is_government(user_name: str | None) -> bool:
    """The viewer sees what government users see: every 信息项 of a partly public entry, the
    internal entries, the contacts' phone numbers. The government reader of the catalog book
    is one without an account."""
    return user_name == GOVERNMENT_READER or roles.is_government(user_name)
