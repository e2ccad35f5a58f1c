"""The data gate's rules one by one, beside the matrix: a hidden column is answered as one
that does not exist; filters, sorts and searches cannot reach one; a hidden value cannot be
found by search; refusals are Chinese 4xx, never a 500; an uploaded file's guessed download
address follows the same rule; every read, served or refused, is told by ``yiyang_data_read``."""

from __future__ import annotations

import io
import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from werkzeug.datastructures import FileStorage

from ckanext.yiyang.datagate import signals

from .conftest import COLUMNS, marker

pytestmark = pytest.mark.usefixtures("with_plugins")


def _headers(world: dict[str, Any], viewer: str) -> dict[str, str]:
    return {} if viewer == "anonymous" else {"Authorization": world["tokens"][viewer]}


def _search(app: Any, world: dict[str, Any], viewer: str, **data: Any) -> Any:
    data.setdefault("resource_id", world["resources"]["conditional"]["id"])
    return app.post("/api/3/action/datastore_search", json=data, headers=_headers(world, viewer))


def test_a_hidden_column_is_answered_as_one_that_does_not_exist(make_app, data_world):
    app = make_app()
    hidden = _search(app, data_world, "limited", fields=["企业名称", "法定代表人"])
    missing = _search(app, data_world, "limited", fields=["企业名称", "不存在的字段"])
    assert hidden.status_code == missing.status_code == 409
    assert hidden.json["error"]["fields"] == ["“法定代表人”不是该数据的字段"]
    assert missing.json["error"]["fields"] == ["“不存在的字段”不是该数据的字段"]


@pytest.mark.parametrize(
    "data",
    [
        {"filters": {"$or": [{"企业名称": "x"}, {"法定代表人": "x"}]}},
        {"filters": {"法定代表人": {"$in": ["x"]}}},
        {"sort": '"法定代表人" desc'},
        {"sort": "企业名称 asc, 法定代表人"},
        {"q": '{"法定代表人": "x"}'},
        {"fields": "企业名称,法定代表人"},
        {"distinct": True, "fields": ["法定代表人"]},
    ],
    ids=[
        "or-filter",
        "operator-filter",
        "quoted-sort",
        "second-sort",
        "q-json",
        "fields-text",
        "distinct",
    ],
)
def test_no_parameter_reaches_a_hidden_column(make_app, data_world, data):
    response = _search(make_app(), data_world, "service", **data)
    assert response.status_code == 409, response.json
    text = response.get_data(as_text=True)
    assert "mkcond" not in text


def test_a_hidden_value_cannot_be_found_by_search(make_app, data_world):
    app = make_app()
    secret = marker("conditional", "法定代表人", 0)
    for data in ({"q": secret}, {"full_text": secret}, {"q": secret, "plain": False}):
        response = _search(app, data_world, "limited", **data)
        assert response.status_code == 409
        assert "全文检索" in response.json["error"]["q"][0]
        assert secret not in response.get_data(as_text=True)
    # a search by a readable column finds by that column only
    found = _search(
        app, data_world, "limited", q={"企业名称": marker("conditional", "企业名称", 1)}
    )
    assert found.json["result"]["total"] == 1
    assert {f["id"] for f in found.json["result"]["fields"]} <= {
        "_id",
        "企业名称",
        "注册资本",
        "rank 企业名称",
    }


def test_the_preview_of_a_limited_reader_shows_its_columns_and_refuses_full_text(
    make_app, data_world
):
    app = make_app()
    view = data_world["views"]["conditional"]
    form = {"draw": "1", "start": "0", "length": "10", "search[value]": ""}
    headers = _headers(data_world, "limited")
    shown = app.post(f"/datatables/ajax/{view['id']}", data=form, headers=headers)
    assert shown.status_code == 200
    assert set(json.loads(shown.get_data(as_text=True))["data"][0]) == {
        "DT_RowId",
        "企业名称",
        "注册资本",
    }
    searched = app.post(
        f"/datatables/ajax/{view['id']}",
        data={**form, "search[value]": marker("conditional", "法定代表人", 0)},
        headers=headers,
    )
    assert searched.status_code == 400  # the preview's own answer to a refused search
    # (it echoes the words searched for; no row of the hidden column comes back)
    text = searched.get_data(as_text=True)
    assert "mkcondc3r1z" not in text and "mkcondc0" not in text


@pytest.mark.parametrize(
    ("viewer", "query", "status", "message"),
    [
        ("limited", {"q": "mkcondc3r0z"}, 400, "全文检索"),
        ("limited", {"fields": "法定代表人"}, 400, "不是该数据的字段"),
        ("other", {}, 403, "申请"),
        ("anonymous", {}, 403, "申请"),
    ],
)
def test_refused_dumps_are_chinese_4xx_not_500(
    make_app, data_world, viewer, query, status, message
):
    rid = data_world["resources"]["conditional"]["id"]
    response = make_app().get(
        f"/datastore/dump/{rid}", query_string=query, headers=_headers(data_world, viewer)
    )
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_an_unknown_resource_and_a_hidden_entry_answer_alike(make_app, data_world):
    app = make_app()
    unknown = app.post("/api/3/action/datastore_search", json={"resource_id": "no-such-resource"})
    assert unknown.status_code == 404
    dump = app.get("/datastore/dump/no-such-resource")
    assert dump.status_code == 404


def test_search_sql_cannot_bypass_the_rule(make_app, data_world):
    app = make_app()
    rid = data_world["resources"]["conditional"]["id"]
    for viewer in ("owner", "limited", "reviewer", "anonymous"):
        for sql in (
            f'SELECT "法定代表人" FROM "{rid}"',
            f'SELECT * FROM "{rid}" WHERE "企业名称" IS NOT NULL',
        ):
            response = app.post(
                "/api/3/action/datastore_search_sql",
                json={"sql": sql},
                headers=_headers(data_world, viewer),
            )
            assert response.status_code == 403, (viewer, response.json)
            assert "系统管理员" in response.json["error"]["message"]
            assert "mkcond" not in response.get_data(as_text=True)


def test_every_read_is_told_served_or_refused(make_app, data_world):
    app = make_app()
    told: list[dict[str, Any]] = []

    def receive(sender: Any, **kwargs: Any) -> None:
        told.append({"user": sender, **kwargs})

    signals.data_read.connect(receive)
    try:
        _search(app, data_world, "limited")
        _search(app, data_world, "other")
        _search(app, data_world, "limited", q="anything")
        rid = data_world["resources"]["conditional"]["id"]
        app.get(f"/datastore/dump/{rid}", headers=_headers(data_world, "limited"))
        app.get(f"/datastore/dump/{rid}", headers=_headers(data_world, "other"))
    finally:
        signals.data_read.disconnect(receive)
    users = data_world["users"]
    entry = data_world["entries"]["conditional"]["id"]
    served, refused, bad_q, dumped, dump_refused = told[:5]
    assert served["user"] == users["limited"]["name"]
    assert served["how"] == "datastore_search" and served["outcome"] == "served"
    assert served["dataset_id"] == entry and served["resource_id"] == rid
    assert set(served["columns"]) == {"_id", "企业名称", "注册资本"} and served["rows"] == 3
    assert refused["outcome"] == "refused" and refused["user"] == users["other"]["name"]
    assert "申请" in refused["reason"] and refused["columns"] == [] and refused["rows"] is None
    assert bad_q["outcome"] == "refused" and "全文检索" in bad_q["reason"]
    assert dumped["how"] == "dump" and dumped["outcome"] == "served" and dumped["rows"] == 3
    assert dump_refused["how"] == "dump" and dump_refused["outcome"] == "refused"


@pytest.fixture(scope="module")
def upload(data_world):
    """An uploaded CSV on the conditional entry (not in the DataStore)."""
    sysadmin = data_world["users"]["sysadmin"]["name"]
    body = "企业名称,法定代表人\n某公司,mkuploadsecret\n".encode()
    return tk.get_action("resource_create")(
        {"user": sysadmin},
        {
            "package_id": data_world["entries"]["conditional"]["id"],
            "name": "上传文件",
            "format": "CSV",
            "upload": FileStorage(io.BytesIO(body), filename="data.csv"),
            "url": "data.csv",
        },
    )


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("anonymous", 403),
        ("other", 403),
        ("revoked", 403),
        ("limited", 403),
        ("service", 403),
        ("approved", 200),
        ("owner", 200),
        ("reviewer", 200),
    ],
)
def test_the_guessed_download_address_of_an_upload(make_app, data_world, upload, viewer, status):
    url = f"/dataset/{upload['package_id']}/resource/{upload['id']}/download/data.csv"
    response = make_app().get(url, headers=_headers(data_world, viewer), follow_redirects=False)
    assert response.status_code == status
    assert ("mkuploadsecret" in response.get_data(as_text=True)) == (status == 200)


def test_the_columns_of_the_table_are_the_items():
    assert COLUMNS == ("企业名称", "统一社会信用代码", "注册资本", "法定代表人")
