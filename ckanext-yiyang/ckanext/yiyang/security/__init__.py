"""The portal's request-level defences (issue 11 §13, points 10 and 12): CSRF per request,
security headers, a guard against NUL bytes in input, login throttling.

:func:`install` hooks them into CKAN's Flask app (``IMiddleware.make_middleware`` of the base
plugin).
"""

from __future__ import annotations

from flask import Flask

from ckanext.yiyang.security import csrf, downloads, guard, headers, throttle


def install(app: Flask) -> Flask:
    csrf.install(app)
    guard.install(app)
    downloads.install(app)
    headers.install(app)
    throttle.install(app)
    return app
