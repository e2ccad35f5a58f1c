"""A search that met a Solr server error is asked once more (``resilience.retry``).

The searches go to the suite's real Solr through a small forwarding proxy that answers the
first search it sees with the error a SolrCloud node gives when a replica's node stops under
it (HTTP 500, ``session closed``), or with a refusal (HTTP 400); everything else is Solr's own
answer. The SolrCloud test (tests/solrcloud) stops a real node under load."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.lib.search import SearchError, SolrConnectionError

from ckanext.yiyang.resilience import retry

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SESSION_CLOSED = (
    '{"error":{"msg":"org.apache.solr.client.solrj.SolrServerException: session closed",'
    '"code":500}}'
)


class _Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str, first: tuple[int, str] | None) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.target = target.rstrip("/")
        self.first = first  # the answer to the first search instead of Solr's
        self.searches = 0


class _Forward(http.server.BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, *_args: Any) -> None:
        pass

    def _answer(self, body: bytes | None) -> None:
        proxy = self.server
        path = self.path.split("/solr/", 1)[-1].split("/", 1)[-1]
        if path.startswith("select"):
            proxy.searches += 1
            if proxy.searches == 1 and proxy.first is not None:
                status, text = proxy.first
                self._send(status, text.encode(), "application/json")
                return
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization",)}
        if body is not None:
            headers["Content-Type"] = self.headers.get("Content-Type", "")
        answer = requests.request(
            self.command, f"{proxy.target}/{path}", data=body, headers=headers, timeout=30
        )
        self._send(answer.status_code, answer.content, answer.headers.get("Content-Type", ""))

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(None)

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))


@pytest.fixture
def proxied(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``proxied(first)``: the searches go through a proxy whose first search is answered
    with ``first`` (status, body)."""
    started: list[_Proxy] = []

    def start(first: tuple[int, str] | None) -> _Proxy:
        proxy = _Proxy(str(tk.config["solr_url"]), first)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        started.append(proxy)
        core = str(tk.config["solr_url"]).rstrip("/").rsplit("/", 1)[1]
        monkeypatch.setitem(
            tk.config, "solr_url", f"http://127.0.0.1:{proxy.server_address[1]}/solr/{core}"
        )
        return proxy

    yield start
    for proxy in started:
        proxy.shutdown()
        proxy.server_close()


def test_a_search_that_met_a_node_going_down_is_answered_in_full(proxied, entry_factory):
    for title in ("益阳市企业注册登记信息", "益阳市企业年报信息"):
        entry_factory(published=True, disclosure_scope="public", title=title)
    proxy = proxied((500, SESSION_CLOSED))
    found = tk.get_action("package_search")({"user": None}, {"q": "企业"})
    assert found["count"] == 2
    assert proxy.searches == 2  # the failed one and the one asked again


def test_a_refused_search_is_not_asked_again(proxied, entry_factory):
    entry_factory(published=True, disclosure_scope="public")
    proxy = proxied((400, '{"error":{"msg":"undefined field nope","code":400}}'))
    with pytest.raises((SearchError, tk.ValidationError)):
        tk.get_action("package_search")({"user": None}, {"q": "企业"})
    assert proxy.searches == 1


def test_the_search_page_survives_the_error(app, proxied, entry_factory):
    entry_factory(published=True, disclosure_scope="public", title="益阳市企业注册登记信息")
    proxy = proxied((500, SESSION_CLOSED))
    page = app.get("/dataset/?q=企业")
    assert "益阳市企业注册登记信息" in page.body
    assert proxy.searches >= 2


def test_only_solr_server_errors_are_transient():
    assert retry.transient(SearchError("Solr responded with an error (HTTP 500): session closed"))
    assert retry.transient(SearchError("... (HTTP 503): no servers hosting shard"))
    assert not retry.transient(SearchError("Solr responded with an error (HTTP 400): bad"))
    assert not retry.transient(SolrConnectionError("Failed to connect (HTTP 502)"))


def test_the_api_still_answers_a_search_by_get(app, entry_factory):
    entry_factory(published=True, disclosure_scope="public", title="益阳市企业注册登记信息")
    answer = app.get("/api/3/action/package_search?q=企业")
    assert answer.json["result"]["count"] == 1
