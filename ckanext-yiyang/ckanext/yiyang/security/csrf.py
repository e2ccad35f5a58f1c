"""CSRF checked per request instead of CKAN's process-wide exemption (issue 11 point 10).

CKAN 2.12's ``ckan_before_request`` calls ``csrf.exempt(view)`` whenever a request was
authenticated by an API token — or was anonymous — so that request skips Flask-WTF's check.
``exempt`` adds the view to the protector's one set for the life of the process: after a single
token request to a form view, every cookie-authenticated post to that view skipped the check.

Here the protector's ``exempt`` no longer records such calls made during a request: the skip
is remembered on ``g`` for this request only, and our own ``before_request`` (registered after
CKAN's, so it sees the decision) does the check Flask-WTF's default hook would have done.
Exemptions declared outside a request (``@csrf.exempt`` on a view or blueprint at import
time) keep working.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, request
from flask_wtf.csrf import CSRFProtect

_SKIP = "yiyang_csrf_skip"


def _per_request(protector: CSRFProtect) -> None:
    """Make ``protector.exempt`` record a call made during a request on ``g`` only (CKAN has
    one protector for every app of the process: patched once)."""
    if getattr(protector, "_yiyang_per_request", False):
        return
    declared = protector.exempt

    def exempt(view: Any) -> Any:
        if isinstance(view, str) and has_request_context():
            # CKAN's per-request decision (token or anonymous request): this request only.
            g.setdefault(_SKIP, set()).add(view)
            return view
        return declared(view)

    protector.exempt = exempt
    protector._yiyang_per_request = True


def install(app: Flask) -> None:
    protector: CSRFProtect | None = app.extensions.get("csrf")
    if protector is None:
        return
    _per_request(protector)
    # Flask-WTF's own hook would consult only the global set; ours runs instead.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False

    @app.before_request
    def yiyang_csrf_protect() -> None:
        if not app.config.get("WTF_CSRF_ENABLED", True) or not request.endpoint:
            return
        view = app.view_functions.get(request.endpoint)
        if view is not None and f"{view.__module__}.{view.__name__}" in g.get(_SKIP, ()):
            return
        protector.protect(apply_exemptions=True)
