"""The answer while the search server cannot be reached (the configured address refuses
connections): a 503 in Chinese naming it, never a 500 or Solr's address; nothing saved.

The fault stack's tests (test_solr_down.py …) stop the real services; these run on the suite's
own stack with the search address pointed at a port where nothing listens."""

from __future__ import annotations

import json
import socket

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

DOWN = "检索服务"
NOTHING_SAVED = "本次请求的内容均未保存"


def take_down(monkeypatch: pytest.MonkeyPatch) -> str:
    """The search address from now on: a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/solr/gone"
    monkeypatch.setitem(tk.config, "solr_url", url)
    return url


def test_the_search_page_says_the_search_service_is_down(app, monkeypatch):
    take_down(monkeypatch)
    page = app.get("/dataset/", status=None)
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert DOWN in text and NOTHING_SAVED in text
    assert page.headers["Retry-After"] == "30"
    english = app.get("/en/dataset/", status=None)
    assert english.status_code == 503
    assert "search service" in english.get_data(as_text=True)


def test_the_api_answers_503_without_solr_s_address(app, monkeypatch, make_unit, entry_data):
    sysadmin = factories.Sysadmin()
    token = tk.get_action("api_token_create")(
        {"user": sysadmin["name"], "ignore_auth": True}, {"user": sysadmin["name"], "name": "t"}
    )["token"]
    unit = make_unit()
    before = model.Session.query(model.Package).count()
    solr_down = take_down(monkeypatch)
    answer = app.post(
        "/api/3/action/package_create",
        data=json.dumps(entry_data(unit["id"], title="检索服务停止时登记的信息")),
        content_type="application/json",
        headers={"Authorization": token},
        status=None,
    )
    assert answer.status_code == 503, answer.get_data(as_text=True)
    error = answer.json["error"]
    assert error["__type"] == "Service Unavailable"
    assert DOWN in error["message"] and NOTHING_SAVED in error["message"]
    assert solr_down.split("/solr")[0] not in answer.get_data(as_text=True)
    model.Session.remove()
    assert model.Session.query(model.Package).count() == before
    search = app.get("/api/3/action/package_search?q=x", status=None)
    assert search.status_code == 503
