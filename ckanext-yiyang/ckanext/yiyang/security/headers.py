"""Security headers on every response of the portal (issue 11 point 13).

The Content-Security-Policy allows what CKAN's pages use: scripts, styles, fonts and images of
the portal itself (webassets), inline ``style`` attributes, ``data:`` images; nothing may frame
the portal. ``ckanext.yiyang.security.csp`` replaces the policy (empty: none is sent).
"""

from __future__ import annotations

from flask import Flask, Response

from ckanext.yiyang import config

FIXED = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def add_headers(response: Response) -> Response:
    for name, value in FIXED.items():
        response.headers.setdefault(name, value)
    policy = config.content_security_policy()
    if policy:
        response.headers.setdefault("Content-Security-Policy", policy)
    return response


def install(app: Flask) -> None:
    app.after_request(add_headers)
