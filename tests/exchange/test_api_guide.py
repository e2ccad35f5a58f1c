"""The API guide (issue 15.5): every registered action of ours with its parameters, who may
call it and examples, the exchange endpoints; Chinese, English under /en; in the footer."""

from __future__ import annotations

import html

import pytest

from ckanext.yiyang.exchange import guide

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_every_action_appears(app):
    names = guide.action_names()
    assert "yiyang_review_submit" in names and len(names) > 30
    page = html.unescape(app.get("/api-guide").data.decode())
    for name in names:
        assert f'id="{name}"' in page, name
        assert f"/api/3/action/{name}" in page, name
        assert f"ckanapi action {name}" in page, name
    for endpoint in ("/catalog.ttl", "/catalog/gbt21063.xml", "/dataset/<id>/gbt21063.xml"):
        assert endpoint in page
    assert "接口说明" in page


def test_english_and_footer(app):
    page = app.get("/en/api-guide").data.decode()
    assert "API guide" in page and "Who may call it" in page
    assert 'href="/api-guide"' in app.get("/").data.decode()


def test_docstrings_parameters_and_who():
    docs = {d.name: d for d in guide.actions("http://portal.example")}
    submit = docs["yiyang_review_submit"]
    assert [p.name for p in submit.params] == ["id"]
    assert submit.params[0].type == "string"
    assert "editors" in submit.who
    assert not submit.read_only and submit.curl.startswith("curl -X POST")
    tree = docs["yiyang_category_tree"]
    assert tree.read_only and "tree=catalog" in tree.curl
    assert tree.ckanapi.startswith("ckanapi action yiyang_category_tree tree='catalog'")
    assert all(d.summary for d in docs.values()), [n for n, d in docs.items() if not d.summary]
