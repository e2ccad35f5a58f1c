"""The DataStore's read actions, chained to append each call to the access log.

Which path a call came by is told by the request it runs in: the API (``/api/3/action/…``:
the action's own name), the dump route (``/datastore/dump/…``: one ``dump`` record for the
whole file, however many pages the DataStore streams it in), the datatables preview
(``preview``), any other page (``preview``). Calls outside a request (jobs, the command line)
and trusted internal calls (``ignore_auth``) are no one's read and are not recorded; nor are
the counts a page asks for (no records, nothing refused), which the DataStore's own views make
before each read.

Registered only while the ``datastore`` plugin is loaded (:func:`blanket_active`).
"""

from __future__ import annotations

import contextvars
import dataclasses
import re
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import flask
import msgspec
from ckan import model
from ckan.lib.lazyjson import LazyJSONObject
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.audit.model import REFUSED, SERVED
from ckanext.yiyang.audit.record import client_address, record, token_name
from ckanext.yiyang.logic import streams

_ACTIONS = ("datastore_info", "datastore_search", "datastore_search_sql")
#: What the blanket registers: those of :data:`_ACTIONS` the loaded DataStore has
#: (``datastore_search_sql`` only when ``ckan.datastore.sqlsearch.enabled``).
__all__: list[str] = []

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DUMP = "_yiyang_audit_dump"


def blanket_active() -> bool:
    """Whether the DataStore is loaded; sets ``__all__`` to the actions it has."""
    present = p.get_plugin("datastore").get_actions() if p.plugin_loaded("datastore") else {}
    __all__[:] = [name for name in _ACTIONS if name in present]
    return bool(__all__)


@dataclasses.dataclass
class Dump:
    """What a dump has returned so far."""

    columns: list[str] | None = None
    rows: int = 0

    def add(self, result: dict[str, Any]) -> None:
        if self.columns is None:
            self.columns = _columns(result)
        self.rows += _rows(result) or 0


_streaming: contextvars.ContextVar[Dump | None] = contextvars.ContextVar(
    "yiyang_audit_dump", default=None
)


def _columns(result: dict[str, Any]) -> list[str] | None:
    fields = result.get("fields")
    if not isinstance(fields, list):
        return None
    return [f["id"] for f in fields if isinstance(f, dict) and f.get("id") != "_id"]


def _rows(result: dict[str, Any]) -> int | None:
    records = result.get("records")
    if isinstance(records, list):
        return len(records)
    if isinstance(records, str):  # csv/tsv records: one line each
        return records.count("\n")
    if isinstance(records, LazyJSONObject):
        # The API's records stay one JSON text; counting its items as raw slices builds no
        # record (the estimate ``total`` may be a cached guess).
        return len(msgspec.json.decode(records.encoded_json, type=list[msgspec.Raw]))
    return None


def _dump() -> Dump | None:
    """The dump this call is a page of, if any."""
    streaming = _streaming.get()
    if streaming is not None:
        return streaming
    if flask.has_request_context() and flask.request.endpoint == "datastore.dump":
        return flask.g.setdefault(_DUMP, Dump())
    return None


def _how(action: str) -> str | None:
    """How this call reads data, or None when it is not recorded."""
    if not flask.has_request_context():
        return None
    endpoint = flask.request.endpoint or ""
    if endpoint.startswith("api."):
        return action
    if endpoint == "datatablesview.filtered_download":
        return "download"
    return "preview"


def _resources(action: str, data_dict: DataDict) -> list[str | None]:
    if action != "datastore_search_sql":
        return [str(data_dict.get("resource_id") or data_dict.get("id") or "") or None]
    # The tables a statement names are resources' ids; those that exist are what it read.
    named = set(_UUID.findall(str(data_dict.get("sql") or "").lower()))
    found = [
        r.id for r in model.Session.query(model.Resource).filter(model.Resource.id.in_(named))
    ]
    return sorted(found) or [None]


def _chained(action: str) -> Action:
    @tk.chained_action
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        dump = None if action == "datastore_info" else _dump()
        how = None if context.get("ignore_auth") or dump is not None else _how(action)
        try:
            result = up_func(context, data_dict)
        except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError) as error:
            if how is not None:
                for resource in _resources(action, data_dict):
                    record(how, resource_id=resource, outcome=REFUSED, reason=_reason(error))
            raise
        if dump is not None and isinstance(result, dict):
            dump.add(result)
        elif how is not None and isinstance(result, dict):
            rows = None if action == "datastore_info" else _rows(result)
            if how == action or rows:
                for resource in _resources(action, data_dict):
                    record(how, resource_id=resource, columns=_columns(result), rows=rows)
        return result

    chained.__name__ = chained.__qualname__ = action
    chained.__doc__ = f"The DataStore's ``{action}``; each call is in the access log."
    return chained


def _reason(error: Exception) -> str:
    if isinstance(error, tk.ValidationError):
        # the messages, as the caller was told them (not a dict's repr)
        return "; ".join(str(m) for m in (error.error_summary or {}).values()) or str(error)
    return str(error) or type(error).__name__


datastore_search = _chained("datastore_search")
datastore_search_sql = _chained("datastore_search_sql")
datastore_info = _chained("datastore_info")


def finish_dump(response: flask.Response) -> flask.Response:
    """After a dump request: a refused dump is recorded at once; a served one when its last
    page has been streamed (or the client went away), with every row it returned."""
    resource_id = str((flask.request.view_args or {}).get("resource_id") or "") or None
    dump = flask.g.pop(_DUMP, None) or Dump()
    if response.status_code >= 400:
        record(
            "dump", resource_id=resource_id, outcome=REFUSED, reason=f"HTTP {response.status_code}"
        )
        return response
    user = tk.current_user
    user_name = None if user.is_anonymous else user.name
    who = {
        "user_name": user_name,
        "token": token_name(None if user.is_anonymous else user.id),
        "client": client_address(),
    }

    def done() -> None:
        record(
            "dump",
            resource_id=resource_id,
            columns=dump.columns,
            rows=dump.rows,
            outcome=SERVED,
            **who,
        )

    response.response = streams.within(response.response, _streaming, dump, done)
    return response
