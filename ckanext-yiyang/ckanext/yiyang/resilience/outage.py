"""A service of the stack is down: the reader is told so, in Chinese, with a 503.

CKAN's views answer a search server they cannot reach with a 500 (the action API's message even
carries Solr's address with its password), a database that went away with a 500 page, a job
queue that cannot be reached with a 500. After any answer of 500 or more, :func:`answer` asks the
three services (a short probe each, only then) and, when one is down, answers instead with 503,
``Retry-After`` and a message that names it and says that nothing was saved by the request: the
actions run in one transaction, which a failure rolls back (the tests of tests/faults check it).
A 500 whose cause is not a service keeps CKAN's answer, except that no search-index message is
passed on with its details.
"""

from __future__ import annotations

import json
import logging
import re
from html import escape

import ckan.plugins.toolkit as tk
import requests
import sqlalchemy as sa
from ckan import model
from ckan.lib.redis import connect_to_redis
from flask import Flask, Response, request
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait before it tries again.
RETRY_AFTER = 30
PROBE_TIMEOUT = 3


def _database_up() -> bool:
    # a connection of its own: the session (and the objects a job holds) stays as it is
    try:
        with model.meta.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False


def _search_up() -> bool:
    url = str(tk.config.get("solr_url") or "").rstrip("/")
    auth = None
    if tk.config.get("solr_user"):
        auth = (tk.config["solr_user"], tk.config.get("solr_password") or "")
    try:
        return requests.get(f"{url}/admin/ping", auth=auth, timeout=PROBE_TIMEOUT).ok
    except requests.RequestException:
        return False


def _queue_up() -> bool:
    try:
        return bool(connect_to_redis().ping())
    except (RedisError, OSError):
        return False


def down() -> list[str]:
    """The services that do not answer: ``database``, ``search``, ``queue``."""
    probes = {"database": _database_up, "search": _search_up, "queue": _queue_up}
    return [name for name, probe in probes.items() if not probe()]


def message(services: list[str]) -> str:
    names = {
        "database": tk._("the database"),
        "search": tk._("the search service"),
        "queue": tk._("the job queue"),
    }
    return tk._(
        "The platform cannot reach {services} at the moment. Nothing of this request was "
        "saved; please try again in a minute."
    ).format(services=tk._(", ").join(names[s] for s in services))


_CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


def failure_text(error: BaseException) -> str:
    """What a job tells its user of the error that ended it: the service that is down, or the
    error without the credentials of any address in it."""
    services = down()
    if services:
        return message(services)
    return _CREDENTIALS.sub(r"\1", str(error) or type(error).__name__)


def _is_api() -> bool:
    return request.path.startswith("/api/") or "/api/" in request.path[:8]


def _page(text: str) -> str:
    title = tk._("Service temporarily unavailable")
    again = tk._("Try again")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f'<p>{escape(text)}</p><p><a href="{escape(request.path)}">'
        f"{escape(again)}</a></p></main></body></html>"
    )


def answer(response: Response) -> Response:
    """After a request: a 5xx caused by a service that is down becomes a 503 naming it."""
    if response.status_code < 500 or response.status_code == 503:
        return response
    services = down()
    if not services:
        return _without_index_details(response)
    text = message(services)
    log.warning("answered 503 to %s %s: %s down", request.method, request.path, services)
    if _is_api():
        body = json.dumps(
            {
                "help": request.url,
                "success": False,
                "error": {"__type": "Service Unavailable", "message": text},
            },
            ensure_ascii=False,
        )
        replaced = Response(body, status=503, content_type="application/json;charset=utf-8")
    else:
        replaced = Response(_page(text), status=503, content_type="text/html; charset=utf-8")
    replaced.headers["Retry-After"] = str(RETRY_AFTER)
    return replaced


def _without_index_details(response: Response) -> Response:
    """CKAN's message of a search-index failure names the index's address (and the
    credentials in it): passed on without it."""
    if not _is_api() or response.mimetype != "application/json":
        return response
    try:
        body = json.loads(response.get_data(as_text=True))
    except ValueError:
        return response
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("__type") == "Search Index Error":
        error["message"] = tk._("The entry could not be indexed for search; nothing was saved.")
        response.set_data(json.dumps(body, ensure_ascii=False))
    return response


def install(app: Flask) -> None:
    app.after_request(answer)
