"""A dump (``/datastore/dump/<rid>``) is one read, told once by ``yiyang_data_read``.

CKAN's dump reads the table page by page with ``datastore_search``: the first page in the
request, the others while the file streams (outside the request). Each page is counted here
(:func:`add`) instead of told, and the dump is told once, with every row it returned, when the
file has been streamed or the client went away (:func:`finish`) — as the access log keeps it.
"""

from __future__ import annotations

import contextvars
import dataclasses

import flask

from ckanext.yiyang.datagate import signals
from ckanext.yiyang.logic import streams

_G = "_yiyang_gate_dump"


@dataclasses.dataclass
class Dump:
    user_name: str | None
    resource_id: str
    columns: list[str] | None = None
    rows: int = 0


_streaming: contextvars.ContextVar[Dump | None] = contextvars.ContextVar(
    "yiyang_gate_dump", default=None
)


def start(user_name: str | None, resource_id: str) -> None:
    """The request is a dump the caller may read: count its pages."""
    setattr(flask.g, _G, Dump(user_name, resource_id))


def add(columns: list[str], rows: int | None) -> bool:
    """Count a page of the dump under way, if any; whether it was one."""
    dump = _streaming.get()
    if dump is None and flask.has_request_context():
        dump = getattr(flask.g, _G, None)
    if dump is None:
        return False
    if dump.columns is None:
        dump.columns = columns
    dump.rows += rows or 0
    return True


def finish(response: flask.Response) -> flask.Response:
    """After the request: a served dump is told when its file has been streamed."""
    dump = flask.g.pop(_G, None) if flask.has_request_context() else None
    if dump is None or response.status_code >= 400:
        # refused: told by the guard, or by ``datastore_search`` when it refused
        return response
    response.response = streams.within(response.response, _streaming, dump, lambda: _told(dump))
    return response


def _told(dump: Dump) -> None:
    signals.send(
        dump.user_name,
        "dump",
        dump.resource_id,
        signals.SERVED,
        columns=dump.columns or [],
        rows=dump.rows,
    )
