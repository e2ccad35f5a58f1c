"""The data stack of issue 13 point 1: CKAN's DataStore in a database of its own, written by
CKAN's role and read by one that can only SELECT, xloader and the datatables view loaded."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import psycopg2
import pytest

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def test_the_data_plugins_are_loaded():
    for name in ("datastore", "xloader", "datatables_view"):
        assert p.plugin_loaded(name), name


def test_a_table_with_chinese_columns_is_written_and_read(entry_factory):
    entry = entry_factory(published=True, share_type="unconditional", share_condition="")
    sysadmin = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    resource = tk.get_action("resource_create")(
        sysadmin,
        {"package_id": entry["id"], "url": "http://example.gov.cn/x.csv", "format": "CSV"},
    )
    tk.get_action("datastore_create")(
        sysadmin,
        {
            "resource_id": resource["id"],
            "force": True,
            "fields": [{"id": "企业名称", "type": "text"}, {"id": "注册资本", "type": "numeric"}],
            "records": [{"企业名称": "益阳市某某公司", "注册资本": 100}],
        },
    )
    found = tk.get_action("datastore_search")(sysadmin, {"resource_id": resource["id"]})
    assert found["total"] == 1
    assert [f["id"] for f in found["fields"]] == ["_id", "企业名称", "注册资本"]
    assert found["records"][0]["企业名称"] == "益阳市某某公司"


def test_the_read_role_cannot_write():
    read_url = tk.config["ckan.datastore.read_url"]
    with (
        psycopg2.connect(read_url) as connection,
        connection.cursor() as cursor,
        pytest.raises(psycopg2.errors.InsufficientPrivilege),
    ):
        cursor.execute("CREATE TABLE intruder (a int)")
