"""The real Solr 9 behind CKAN: version, health, and a schema CKAN accepts."""

from __future__ import annotations

from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.lib.search import check_solr_schema_version
from ckan.lib.search.common import is_available


def _auth() -> tuple[str, str] | None:
    user, password = tk.config.get("solr_user"), tk.config.get("solr_password")
    return (user, password) if user and password else None


def _solr_base() -> str:
    url = urlparse(tk.config["solr_url"])
    return f"{url.scheme}://{url.netloc}/solr"


@pytest.mark.usefixtures("with_plugins")
class TestSolr:
    def test_reports_solr_9(self):
        info = requests.get(
            f"{_solr_base()}/admin/info/system", params={"wt": "json"}, auth=_auth(), timeout=10
        )
        info.raise_for_status()
        lucene = info.json()["lucene"]
        assert lucene["solr-spec-version"].startswith("9.")
        assert lucene["lucene-spec-version"].startswith("9.")

    def test_core_answers_ping(self):
        ping = requests.get(
            f"{tk.config['solr_url']}/admin/ping", params={"wt": "json"}, auth=_auth(), timeout=10
        )
        ping.raise_for_status()
        assert ping.json()["status"] == "OK"

    def test_ckan_accepts_the_schema(self):
        assert is_available()
        assert check_solr_schema_version()

    def test_text_field_makes_chinese_bigrams(self):
        analysis = requests.get(
            f"{tk.config['solr_url']}/analysis/field",
            params={
                "analysis.fieldtype": "text",
                "analysis.fieldvalue": "企业注册",
                "analysis.query": "企业注册",
                "wt": "json",
            },
            auth=_auth(),
            timeout=10,
        ).json()
        field = analysis["analysis"]["field_types"]["text"]

        def tokens(stage):
            return sorted((t["position"], t["text"]) for t in stage)

        indexed = tokens(field["index"][-1])
        # Overlapping pairs; the query side is analysed the same way, or phrases would not
        # line up (one-character search is the unigram field's job).
        assert indexed == [(1, "企业"), (2, "业注"), (3, "注册")]
        assert tokens(field["query"][-1]) == indexed
