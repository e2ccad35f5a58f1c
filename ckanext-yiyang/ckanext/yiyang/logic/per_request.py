"""Answers kept for the rest of the request: what a page asks again and again (a unit's box in
a sidebar laid out twice, the same texts for thousands of rows, the units of a picker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import flask

T = TypeVar("T")


def kept(space: str, key: object, compute: Callable[[], T]) -> T:
    """``compute()``'s answer for ``key`` in ``space``, computed once per request (every time
    outside one)."""
    if not flask.has_app_context():
        return compute()
    answers: dict[object, T] = flask.g.setdefault(f"_yiyang_kept_{space}", {})
    if key not in answers:
        answers[key] = compute()
    return answers[key]
