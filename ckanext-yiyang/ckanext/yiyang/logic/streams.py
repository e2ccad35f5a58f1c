"""A streamed response body that keeps a context while it streams.

CKAN streams some responses (the DataStore dump) after the request has returned: the actions
the body calls then run outside the request. :func:`within` sets a context variable around each
chunk, so those calls still find what the request began (a count of what it returned), and calls
``done`` once when the body is spent or the client went away.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def within(
    body: Iterable[Any],
    variable: contextvars.ContextVar[T | None],
    value: T,
    done: Callable[[], None],
) -> Iterator[Any]:
    """``body``'s chunks, each made with ``variable`` set to ``value``; then ``done()``."""
    chunks = iter(body)
    try:
        while True:
            token = variable.set(value)
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            finally:
                variable.reset(token)
            yield chunk
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
        done()
