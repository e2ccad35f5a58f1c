"""Appending to the access log: :func:`record`, for every path data leaves by.

A record is one INSERT on a connection of its own, committed at once: a read refused by an
exception whose request then rolls its session back is still in the log, and nothing the
request's session does later (a flush, a rollback) touches it. The dataset and its unit are
looked up by the same statement (scalar subqueries) when only the resource is known.

Who read — the user, their units, the API token's name — and from where are taken from the
current request; outside a request (a background job, the command line) they are given or
left empty.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import flask
import sqlalchemy as sa
from ckan import model

from ckanext.yiyang import roles
from ckanext.yiyang.audit import config
from ckanext.yiyang.audit.model import HOWS, OUTCOMES, SERVED, access_log

_TOKEN = "_yiyang_audit_token"
_RECORDED = "_yiyang_audit_recorded"
_UNSET: Any = object()


def recorded_in_request() -> bool:
    """Whether a read has been appended during the current request."""
    return flask.has_request_context() and bool(getattr(flask.g, _RECORDED, False))


def _engine() -> sa.engine.Engine:
    bind = model.Session.get_bind()
    return bind.engine if isinstance(bind, sa.engine.Connection) else bind


def _current_user() -> Any:
    try:
        user = tk.current_user
        return None if user.is_anonymous else user
    except (RuntimeError, AttributeError):
        return None


def token_name(user_id: str | None) -> str | None:
    """The name of the API token the current request authenticated with, when it is one of
    ``user_id``'s (a token in the header that is not the user's was not what logged them in)."""
    if not flask.has_request_context() or not user_id:
        return None
    kept = flask.g.get(_TOKEN, _UNSET)
    if kept is not _UNSET:
        return kept
    name = None
    header = flask.request.headers.get(tk.config["apitoken_header_name"], "")
    if header:
        from ckan.lib import api_token

        data = api_token.decode(str(header))
        if data:
            for plugin in reversed(list(api_token._get_plugins())):
                data = plugin.preprocess_api_token(data)
        token = model.ApiToken.get(data["jti"]) if data and "jti" in data else None
        if token is not None and token.user_id == user_id:
            name = token.name
    flask.g.setdefault(_TOKEN, name)
    return name


def client_address() -> str | None:
    """The client's address: the connection's, or — when the connection comes from a trusted
    proxy — the last address of ``X-Forwarded-For`` that is not a trusted proxy's."""
    if not flask.has_request_context():
        return None
    remote = flask.request.remote_addr or ""
    proxies = config.trusted_proxies()
    if not proxies or not _trusted(remote, proxies):
        return remote or None
    hops = [h.strip() for h in flask.request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, proxies):
            return hop
    return remote or None


def _trusted(address: str, proxies: list[config.Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def record(
    how: str,
    *,
    dataset_id: str | None = None,
    resource_id: str | None = None,
    columns: Iterable[str] | None = None,
    rows: int | None = None,
    outcome: str = SERVED,
    reason: str | None = None,
    user_name: Any = _UNSET,
    token: Any = _UNSET,
    client: Any = _UNSET,
) -> None:
    """Append one read to the access log.

    :param how: one of :data:`~ckanext.yiyang.audit.model.HOWS`
    :param dataset_id: the entry (found from ``resource_id`` when not given)
    :param resource_id: the resource read
    :param columns: the columns returned (None: the whole file, or unknown)
    :param rows: how many rows were returned (None: unknown, as for a file)
    :param outcome: ``served`` or ``refused``
    :param reason: why it was refused
    :param user_name: who read (default: the current request's user; None: anonymous)
    :param token: the API token's name (default: the current request's, if any)
    :param client: the client's address (default: the current request's)

    A failure to write is raised, not swallowed: a read the log cannot hold is not served
    (the download hook and the DataStore actions then answer an error instead of the data).
    """
    if how not in HOWS or outcome not in OUTCOMES:
        raise ValueError(f"unknown how {how!r} or outcome {outcome!r}")
    if user_name is _UNSET:
        current = _current_user()
        user_id, name = (current.id, current.name) if current is not None else (None, None)
    else:
        found = model.User.get(user_name) if user_name else None
        user_id, name = (found.id, found.name) if found is not None else (None, user_name)
    resource = str(resource_id) if resource_id else None
    dataset: Any = str(dataset_id) if dataset_id else None
    if dataset is None and resource is not None:
        dataset = (
            sa.select(model.resource_table.c.package_id)
            .where(model.resource_table.c.id == resource)
            .scalar_subquery()
        )
    org: Any = None
    if dataset is not None:
        org = (
            sa.select(model.package_table.c.owner_org)
            .where(model.package_table.c.id == dataset)
            .scalar_subquery()
        )
    values = {
        "user_id": user_id,
        "user_name": name,
        "user_units": roles.units_of(name) if name else [],
        "token_name": token_name(user_id) if token is _UNSET else token,
        "dataset_id": dataset,
        "dataset_org": org,
        "resource_id": resource,
        "columns": list(columns) if columns is not None else None,
        "rows": rows,
        "how": how,
        "client": client_address() if client is _UNSET else client,
        "outcome": outcome,
        "reason": (reason or None) if outcome != SERVED else None,
    }
    with _engine().begin() as connection:
        connection.execute(sa.insert(access_log).values(**values))
    if flask.has_request_context():
        setattr(flask.g, _RECORDED, True)
