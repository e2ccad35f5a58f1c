"""Reads through the DataStore are in the access log: the API's ``datastore_search`` and
``datastore_info`` (served and refused), a dump recorded once with every row it streamed, a
datatables preview; trusted internal calls are not reads."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest

from .conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins")

ROWS = [{"企业名称": f"益阳市第{n}公司", "注册资本": n} for n in range(1, 8)]


def _table(entry: dict[str, Any]) -> str:
    resource = entry["resources"][0]["id"]
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("datastore_create")(
        {"user": site_user},
        {
            "resource_id": resource,
            "force": True,
            "fields": [{"id": "企业名称", "type": "text"}, {"id": "注册资本", "type": "numeric"}],
            "records": ROWS,
        },
    )
    return resource


@pytest.fixture(scope="module")
def tables(city: dict[str, Any]) -> dict[str, str]:
    return {share: _table(city[share]) for share in ("conditional", "unconditional")}


def _api(app: Any, city: dict[str, Any], role: str, action: str, **params: Any) -> Any:
    return app.post(
        f"/api/3/action/{action}",
        json=params,
        headers={"Authorization": city["tokens"][role]},
    )


def _log(city: dict[str, Any], resource: str, **filters: Any) -> list[dict[str, Any]]:
    return act(
        "yiyang_access_log_list", city["users"]["reviewer"], resource_id=resource, **filters
    )["results"]


def test_the_api_search_served_and_refused(app, city, tables):
    served = _api(
        app, city, "a_member", "datastore_search", resource_id=tables["conditional"], limit=3
    )
    assert served.status_code == 200
    refused = _api(app, city, "b_member", "datastore_search", resource_id=tables["conditional"])
    assert refused.status_code == 403
    rows = _log(city, tables["conditional"], how="datastore_search")
    by_outcome = {r["outcome"]: r for r in rows}
    assert by_outcome["served"]["user_name"] == city["users"]["a_member"]
    assert by_outcome["served"]["columns"] == ["企业名称", "注册资本"]
    assert by_outcome["served"]["rows"] == 3
    assert by_outcome["served"]["token_name"] == "audit-test"
    assert by_outcome["served"]["dataset_id"] == city["conditional"]["id"]
    assert by_outcome["served"]["dataset_org"] == city["unit_a"]["id"]
    assert by_outcome["refused"]["user_name"] == city["users"]["b_member"]
    assert by_outcome["refused"]["reason"]


def test_the_api_info(app, city, tables):
    assert (
        _api(app, city, "a_admin", "datastore_info", id=tables["unconditional"]).status_code == 200
    )
    (row,) = _log(city, tables["unconditional"], how="datastore_info")
    assert row["columns"] == ["企业名称", "注册资本"] and row["rows"] is None


def test_a_dump_is_one_record_with_every_row(app, city, tables):
    response = app.get(
        f"/datastore/dump/{tables['unconditional']}",
        headers={"Authorization": city["tokens"]["b_member"]},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("益阳市第") == len(ROWS)
    (row,) = _log(city, tables["unconditional"], how="dump")
    assert row["rows"] == len(ROWS)
    assert row["columns"] == ["企业名称", "注册资本"]
    assert row["user_name"] == city["users"]["b_member"] and row["outcome"] == "served"


def test_a_refused_dump(app, city, tables):
    response = app.get(
        f"/datastore/dump/{tables['conditional']}",
        headers={"Authorization": city["tokens"]["c_member"]},
    )
    assert response.status_code in (403, 404)
    rows = _log(city, tables["conditional"], how="dump", user=city["users"]["c_member"])
    assert [r["outcome"] for r in rows] == ["refused"]


def test_a_preview(app, city, tables):
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    view = tk.get_action("resource_view_create")(
        {"user": site_user},
        {"resource_id": tables["unconditional"], "view_type": "datatables_view", "title": "预览"},
    )
    response = app.post(
        f"/datatables/ajax/{view['id']}",
        data={"draw": "1", "search[value]": "", "start": "0", "length": "5"},
        headers={"Authorization": city["tokens"]["c_member"]},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    (row,) = _log(city, tables["unconditional"], how="preview")
    assert row["rows"] == 5 and row["user_name"] == city["users"]["c_member"]


def test_trusted_internal_calls_are_not_reads(city, tables):
    before = len(_log(city, tables["unconditional"]))
    tk.get_action("datastore_search")(
        {"ignore_auth": True}, {"resource_id": tables["unconditional"]}
    )
    assert len(_log(city, tables["unconditional"])) == before


@pytest.fixture
def sql_search(ckan_config, monkeypatch):
    """The DataStore's SQL search switched on (it is off by default), and off again after."""
    import ckan.plugins as p

    monkeypatch.setitem(ckan_config, "ckan.datastore.sqlsearch.enabled", True)
    p.load_all()
    yield
    monkeypatch.undo()
    p.load_all()


def test_an_sql_search_names_each_resource_it_read(app, city, tables, sql_search):
    """SQL reads any column of any table, so only a sysadmin may send it (the gate); what a
    sysadmin reads by SQL is logged like any other read."""
    sql = f'SELECT "企业名称" FROM "{tables["unconditional"]}" LIMIT 2'
    refused = _api(app, city, "a_admin", "datastore_search_sql", sql=sql)
    assert refused.status_code == 403
    response = _api(app, city, "sysadmin", "datastore_search_sql", sql=sql)
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = _log(city, tables["unconditional"], how="datastore_search_sql")
    by_outcome = {r["outcome"]: r for r in rows}
    assert len(rows) == 2 and by_outcome["refused"]["user_name"] == city["users"]["a_admin"]
    row = by_outcome["served"]
    assert row["user_name"] == city["users"]["sysadmin"]
    assert row["rows"] == 2 and row["columns"] == ["企业名称"]
    assert row["dataset_id"] == city["unconditional"]["id"]
