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
    assert tree.read_only and "?tree=catalog&with_counts=true" in tree.curl
    assert tree.ckanapi.startswith(
        "ckanapi action yiyang_category_tree tree=catalog with_counts:true"
    )
    assert all(d.summary for d in docs.values()), [n for n, d in docs.items() if not d.summary]


def test_every_action_says_who_may_call_it():
    missing = [d.name for d in guide.actions("http://portal.example") if not d.who]
    assert missing == []


def test_examples_reach_the_actions(app, world):
    """Each example's request, as curl would send it, reaches its action (as a government
    user): a read answers, a change is at worst refused, never a server error."""
    import json
    import shlex
    from urllib.parse import urlsplit

    for doc in guide.actions("http://portal.example"):
        words = shlex.split(doc.curl.replace("$CKAN_API_TOKEN", "x"))
        address = urlsplit(words[-1])
        path = f"{address.path}?{address.query}" if address.query else address.path
        headers = world.headers("government")
        if doc.read_only:
            response = app.get(path, headers=headers)
        else:
            body = json.loads(words[words.index("-d") + 1])
            response = app.post(path, json=body, headers=headers)
        assert response.status_code < 500, (doc.name, response.status_code)
        assert response.json["help"].endswith(f"help_show?name={doc.name}"), doc.name
