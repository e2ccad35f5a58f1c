"""The request hooks of the data services (``IMiddleware`` of the base plugin).

A call that carries an API token of a service account (``Authorization`` header, CKAN's
``apitoken_header_name``) is refused with 403 when the account is revoked or expired — CKAN
alone would take a revoked token for an anonymous call and answer what the public sees — and
with 429 and ``Retry-After`` when the token has made ``ckanext.yiyang.services.rate_limit``
calls in the last second; an admitted call counts towards the account's calls of the day.
A service account only reads: through the API, the actions that read (``*_show``, ``*_list``,
``*_search``, ``*_info``, ``*_autocomplete``); elsewhere, GET and HEAD requests (data downloads,
``/datastore/dump``). Anything else — filing an application in the unit's name, editing an
entry — is refused with 403: the key is for another system to read data, not to act as a clerk.
Other calls (users' sessions, users' own tokens) pass untouched. The errors are JSON, in the
shape of CKAN's API errors. Redis out of reach does not stop the calls (nor make them 500).

The web login form refuses service accounts' names: they have no password anyone knows, and
should one be set, they still log in only through their token.
"""

from __future__ import annotations

import datetime
import json
import logging
import re

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import api_token
from flask import Flask, Response, request
from redis.exceptions import RedisError

from ckanext.yiyang import config
from ckanext.yiyang.services import counter, is_service_user
from ckanext.yiyang.services.model import ServiceAccount

log = logging.getLogger(__name__)

LOGIN = "user.login"
#: The endings of the API actions a service account may call: the ones that read.
READ_ACTIONS = ("_show", "_list", "_search", "_info", "_autocomplete")
API_ACTION = re.compile(r"^/api(?:/\d+)?/action/([A-Za-z0-9_]+)/?$")


def reads_only() -> bool:
    """Whether this request only reads (the rule of a service account's key)."""
    match = API_ACTION.match(request.path)
    if match:
        return match.group(1).endswith(READ_ACTIONS)
    return request.method in ("GET", "HEAD")


def _error(status: int, kind: str, message: str, **headers: str) -> Response:
    body = {"success": False, "error": {"__type": kind, "message": message}}
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type="application/json;charset=utf-8",
    )


def _account(jti: str) -> ServiceAccount | None:
    """The service account whose token ``jti`` is, whether the token is still there or was
    revoked."""
    token = model.ApiToken.get(jti)
    query = model.Session.query(ServiceAccount)
    if token is not None:
        return query.filter(ServiceAccount.user_id == token.user_id).one_or_none()
    return query.filter(ServiceAccount.token_id == jti).one_or_none()


def check_token() -> Response | None:
    header = request.headers.get(tk.config.get("apitoken_header_name") or "Authorization")
    if not header:
        return None
    data = api_token.decode(str(header))
    jti = data.get("jti") if data else None
    if not jti:
        return None
    account = _account(str(jti))
    if account is None:
        return None
    now = datetime.datetime.utcnow()
    if account.revoked_at is not None:
        return _error(
            403,
            "Authorization Error",
            tk._(
                "This data service key has been revoked: ask the unit's administrator for a new one"
            ),
        )
    if account.expired(now):
        return _error(
            403,
            "Authorization Error",
            tk._("This data service key has expired: ask the unit's administrator for a new one"),
        )
    if not reads_only():
        return _error(
            403,
            "Authorization Error",
            tk._(
                "A data service key only reads data: this call changes something and needs a "
                "person's account"
            ),
        )
    limit = config.services_rate_limit()
    try:
        wait = counter.admit(str(jti), limit)
        if not wait:
            counter.count_call(account.id)
    except RedisError:
        log.exception("rate limit of service account %s not applied: Redis failed", account.id)
        return None
    if wait:
        return _error(
            429,
            "Rate Limit Error",
            tk._(
                "Too many requests with this data service key: at most {limit} per second. "
                "Try again in {seconds} s."
            ).format(limit=limit, seconds=wait),
            **{"Retry-After": str(wait)},
        )
    return None


def refuse_login() -> Response | None:
    if request.endpoint != LOGIN or request.method != "POST":
        return None
    login = (request.form.get("login") or "").strip()
    if not login:
        return None
    user = model.User.by_name(login) or model.User.by_email(login)
    if user is None or not is_service_user(user):
        return None
    tk.h.flash_error(
        tk._("A data service account cannot log in here: it calls the API with its key")
    )
    return Response(tk.render("user/login.html", {}), status=403)


def install(app: Flask) -> None:
    app.before_request(check_token)
    app.before_request(refuse_login)
