"""The ``yiyang_data_read`` signal: sent on every read of data, served or refused, so the
access log (使用记录) can keep it without this package knowing of it.

``data_read.send(user_name, how=…, dataset_id=…, resource_id=…, columns=…, rows=…,
outcome=…, reason=…)``:

- ``how``: ``download``, ``dump``, ``preview`` (the datatables view), ``datastore_search``,
  ``datastore_info``, ``datastore_search_sql``;
- ``dataset_id``, ``resource_id``: what was read (None when unknown: an id that exists nowhere);
- ``columns``: the names of the columns served (empty when refused, or for a file);
- ``rows``: how many rows were served (None for a file or when refused);
- ``outcome``: ``served`` or ``refused``; ``reason``: why it was refused (the message told).
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
import flask
from ckan import model

SERVED, REFUSED = "served", "refused"

data_read = tk.signals.ckanext.signal(
    "yiyang_data_read",
    doc="A read of an entry's data, served or refused (how, dataset_id, resource_id, columns, "
    "rows, outcome, reason).",
)

_HOW = "_yiyang_data_how"


def set_how(how: str) -> None:
    """Within this request, reads are made by ``how`` (a page calling the actions)."""
    if flask.has_request_context():
        setattr(flask.g, _HOW, how)


def how(default: str) -> str:
    if flask.has_request_context():
        return str(getattr(flask.g, _HOW, None) or default)
    return default


def send(
    user_name: str | None,
    how: str,
    resource_id: str | None,
    outcome: str,
    *,
    columns: Iterable[str] = (),
    rows: int | None = None,
    reason: str = "",
    dataset_id: str | None = None,
) -> None:
    if dataset_id is None and resource_id:
        resource = model.Resource.get(resource_id)
        dataset_id = resource.package_id if resource is not None else None
    data_read.send(
        user_name,
        how=how,
        dataset_id=dataset_id,
        resource_id=resource_id,
        columns=list(columns),
        rows=rows,
        outcome=outcome,
        reason=reason,
    )
