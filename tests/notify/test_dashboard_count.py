"""The header's count of new dashboard activities is kept a minute per user in Redis and
forgotten when the user opens the dashboard (``notify.dashboard``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang.notify import dashboard

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def token(user: dict) -> dict:
    made = tk.get_action("api_token_create")(
        {"user": user["name"]}, {"user": user["name"], "name": "test"}
    )
    return {"Authorization": made["token"]}


def _badge(body: str) -> int:
    marker = body.index('href="/dashboard/"')
    badge = body.index('class="badge"', marker)
    return int(body[body.index(">", badge) + 1 : body.index("</span>", badge)])


def test_the_count_is_kept_until_the_dashboard_is_opened(app, make_unit):
    editor = factories.User()
    other = factories.User()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    tk.get_action("follow_group")({"user": editor["name"]}, {"id": unit["id"]})
    headers = token(editor)
    dashboard.forget(editor["id"])
    first = _badge(app.get("/dataset/", headers=headers).body)
    # something new in a followed unit: the kept count does not see it yet
    tk.get_action("organization_patch")(
        {"user": other["name"], "ignore_auth": True}, {"id": unit["id"], "description": "新"}
    )
    assert _badge(app.get("/dataset/", headers=headers).body) == first
    dashboard.forget(editor["id"])  # a minute later, as it were
    assert _badge(app.get("/dataset/", headers=headers).body) == first + 1
    app.get("/dashboard/", headers=headers)  # opened: every activity old, the count forgotten
    assert _badge(app.get("/dataset/", headers=headers).body) == 0


def test_the_count_is_asked_of_ckan_without_redis(monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    def down():
        raise RedisDown("Redis is down")

    monkeypatch.setattr(dashboard, "connect_to_redis", down)
    assert dashboard.counted("someone", lambda: 3) == 3
    dashboard.forget("someone")  # no error either
