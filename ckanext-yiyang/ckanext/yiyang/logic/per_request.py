"""Answers kept for the rest of the request: what a page asks again and again (a unit's box in
a sidebar laid out twice, the units of a picker, the people a list names on each row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import flask

T = TypeVar("T")


def kept(space: str, key: object, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``key`` in ``space``, computed once per request (every time
    outside one). Kept with the request itself, not in ``flask.g``: an application context
    can outlive a request (a test's, or a job's), and the next request would see the answers
    of the last."""
    if not flask.has_request_context():
        return compute()
    answers: dict[object, T] = flask.request.environ.setdefault(f"yiyang.kept.{space}", {})
    if key not in answers:
        answers[key] = compute()
    return answers[key]
