"""The real Solr 9 behind CKAN: version, health, and a schema CKAN accepts."""

from __future__ import annotations

from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.lib.search import check_solr_schema_version
from ckan.lib.search.common import is_available


def _solr_base() -> str:
    url = urlparse(tk.config["solr_url"])
    return f"{url.scheme}://{url.netloc}/solr"


@pytest.mark.usefixtures("with_plugins")
class TestSolr:
    def test_reports_solr_9(self):
        info = requests.get(f"{_solr_base()}/admin/info/system", params={"wt": "json"}, timeout=10)
        info.raise_for_status()
        lucene = info.json()["lucene"]
        assert lucene["solr-spec-version"].startswith("9.")
        assert lucene["lucene-spec-version"].startswith("9.")

    def test_core_answers_ping(self):
        ping = requests.get(
            f"{tk.config['solr_url']}/admin/ping", params={"wt": "json"}, timeout=10
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
            timeout=10,
        ).json()
        field = analysis["analysis"]["field_types"]["text"]
        indexed = {t["text"] for t in field["index"][-1]}
        queried = [t["text"] for t in field["query"][-1]]
        # The index keeps single characters too; a query is made of adjacent pairs only.
        assert {"企业", "业注", "注册"} <= indexed
        assert queried == ["企业", "业注", "注册"]
