"""CSRF per request (issue 11 point 10).

CKAN 2.12 exempted a view from CSRF for the life of the process after one request with an API
token (or an anonymous one) reached it. A token request to each form view comes first here; a
cookie-authenticated post without a CSRF token to the same views must still be refused.
"""

from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db"),
    pytest.mark.ckan_config("WTF_CSRF_ENABLED", True),
]


def _forms(entry_id: str) -> list[tuple[str, dict[str, str]]]:
    """The review, application, demand, import and book forms (url, a plausible post)."""
    return [
        (f"/dataset/{entry_id}/review/submit", {}),
        (f"/dataset/{entry_id}/subscribe", {"purpose": "测试"}),
        ("/subscription/no-such/approve", {}),
        ("/demand/new", {"title": "需求", "description": "说明"}),
        ("/demand/no-such/accept", {}),
        ("/survey/import", {}),
        ("/survey/import/no-such/run", {"mode": "all"}),
        ("/catalog/book/generate", {"edition": "public", "format": "pdf"}),
    ]


def _form_token(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def _log_in(app, user: dict[str, str]) -> None:
    """A real cookie session: the login form posted with its own CSRF token."""
    token = _form_token(app.get("/user/login").get_data(as_text=True))
    response = app.post(
        "/user/login",
        data={"login": user["name"], "password": "correct123", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _refused_for_csrf(response) -> bool:
    return response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_a_token_request_does_not_switch_csrf_off_for_cookie_posts(app, entry_factory):
    sysadmin = factories.Sysadmin(password="correct123")
    entry = entry_factory()
    token = tk.get_action("api_token_create")(
        {"user": sysadmin["name"], "ignore_auth": True},
        {"user": sysadmin["name"], "name": "csrf-test"},
    )["token"]
    forms = _forms(entry["id"])

    # With a token (and anonymously): CKAN skips the check for that request, as it should.
    for url, data in forms:
        response = app.post(url, data=data, headers={"Authorization": token})
        assert not _refused_for_csrf(response), url
        app.post(url, data=data)

    _log_in(app, sysadmin)
    for url, data in forms:
        response = app.post(url, data=data, follow_redirects=False)
        assert _refused_for_csrf(response), (url, response.status_code)


def test_a_cookie_post_with_the_token_of_the_form_passes(app):
    user = factories.User(password="correct123")
    _log_in(app, user)
    token = _form_token(app.get("/demand/new").get_data(as_text=True))
    response = app.post(
        "/demand/new",
        data={"_csrf_token": token, "title": "需求", "description": "说明"},
        follow_redirects=False,
    )
    assert not _refused_for_csrf(response)
