"""Login attempts limited per account name and client address (issue 11 point 13).

CKAN 2.12 has no login throttling of its own. A failed login (``user.login`` answers the form
again instead of redirecting) counts in Redis under the pair (name, address) for
``ckanext.yiyang.login.window`` seconds; at ``ckanext.yiyang.login.max_attempts`` failures the
pair is refused with 429 until the window passes. A successful login clears its counter.
"""

from __future__ import annotations

import hashlib

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from flask import Flask, Response, request

from ckanext.yiyang import config

ENDPOINT = "user.login"


def _key() -> str:
    name = (request.form.get("login") or "").strip().lower()
    address = request.remote_addr or ""
    digest = hashlib.sha256(f"{name}\n{address}".encode()).hexdigest()
    return f"{tk.config.get('ckan.site_id')}:yiyang:login-failures:{digest}"


def _watched() -> bool:
    return request.endpoint == ENDPOINT and request.method == "POST"


def refuse_when_exceeded() -> Response | None:
    if not _watched() or config.login_max_attempts() <= 0:
        return None
    failures = connect_to_redis().get(_key())
    if failures is not None and int(failures) >= config.login_max_attempts():
        tk.h.flash_error(
            tk._("Too many failed logins for this account from your address. Try again later.")
        )
        return Response(tk.render("user/login.html", {}), status=429)
    return None


def count(response: Response) -> Response:
    if not _watched() or config.login_max_attempts() <= 0 or response.status_code == 429:
        return response
    redis = connect_to_redis()
    key = _key()
    if response.status_code == 200:  # the form again: the login failed
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, config.login_window())
        pipe.execute()
    elif 300 <= response.status_code < 400:
        redis.delete(key)
    return response


def install(app: Flask) -> None:
    app.before_request(refuse_when_exceeded)
    app.after_request(count)
