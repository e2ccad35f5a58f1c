"""Solr stopped (really: its process ended by ``solr.sh stop``) during a review decision, a
search, an import and a reindex (issue 17.1). After it is started again: no entry half-written,
the database and the index agree (``ckan yiyang index-check``), and what failed can be done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from tests.conftest import _entry_data
from tests.faults.conftest import UNIT, Stack

DOWN = "检索服务"


def submitted(stack: Stack, title: str) -> dict[str, Any]:
    entry = stack.portal.action("package_create", **_entry_data(UNIT, title=title))
    return dict(stack.portal.action("yiyang_review_submit", id=entry["id"]))


def review_status(stack: Stack, entry_id: str) -> str:
    rows = stack.sql("SELECT extras ->> 'review_status' FROM package WHERE id = %s", entry_id)
    return str(rows[0][0])


def test_a_decision_and_a_search_while_solr_is_down(stack: Stack) -> None:
    entry = submitted(stack, "故障测试：检索服务停止时的审核")
    stack.service("solr", "stop")
    try:
        answer = stack.post("yiyang_review_approve", id=entry["id"])
        assert answer.status_code == 503, answer.text
        assert DOWN in answer.json()["error"]["message"]
        assert "solr" not in answer.text.lower()  # nor its address and password
        assert review_status(stack, entry["id"]) == "submitted"  # the decision rolled back
        page = requests.get(f"{stack.portal.url}/dataset/", timeout=60)
        assert page.status_code == 503
        assert DOWN in page.text
    finally:
        stack.service("solr", "start")
    answer = stack.post("yiyang_review_approve", id=entry["id"])
    assert answer.status_code == 200, answer.text
    assert review_status(stack, entry["id"]) == "published"
    stack.assert_consistent()


TITLES = ["故障测试导入一", "故障测试导入二"]


def test_an_import_while_solr_is_down(stack: Stack, tmp_path: Path) -> None:
    import_id = stack.checked_import(tmp_path, TITLES)
    stack.portal.action("yiyang_import_run", id=import_id)
    stack.service("solr", "stop")
    try:
        worked = stack.worker()
        assert worked.returncode == 0, worked.stderr[-3000:]
        shown = stack.portal.action("yiyang_import_show", id=import_id)
        assert shown["status"] == "failed", shown
        assert DOWN in shown["error"], shown["error"]
        assert "solr" not in shown["error"].lower()
        assert stack.count("故障测试导入") == 0  # all or nothing: nothing
    finally:
        stack.service("solr", "start")
    stack.assert_consistent()
    # the same workbook again, now that the index answers: every row
    again = stack.checked_import(tmp_path, TITLES)
    stack.portal.action("yiyang_import_run", id=again)
    worked = stack.worker()
    assert worked.returncode == 0, worked.stderr[-3000:]
    shown = stack.portal.action("yiyang_import_show", id=again)
    assert shown["status"] == "done", (shown, worked.stderr[-5000:])
    assert stack.count("故障测试导入") == 2
    stack.assert_consistent()


def test_a_reindex_while_solr_is_down(stack: Stack) -> None:
    entry = submitted(stack, "故障测试：重建索引")
    stack.service("solr", "stop")
    try:
        rebuilt = stack.run("search-index", "rebuild")
        assert rebuilt.returncode != 0
    finally:
        stack.service("solr", "start")
    # the index lost nothing it held; what it lacks, the check finds and repairs
    repaired = stack.index_check("--repair")
    assert repaired.returncode in (0, 1), repaired.stdout + repaired.stderr
    stack.assert_consistent()
    found = stack.portal.action("package_search", fq=f"id:{entry['id']}", include_private=True)
    assert found["count"] == 1
