"""目录与数据一致性 (issue 13.3): a loaded table against the entry's 信息项, kept per resource;
the 信息项 as the DataStore data dictionary; adopting a file's columns as 信息项 through review."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from ckanext.yiyang.data import consistency
from ckanext.yiyang.imports.common import request_context

from .conftest import site

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

CSV = "企业名称,注册资本,统一社会信用代码\n益阳市资江食品有限公司,100.5,91430900MA4L000001\n赫山区碧云峰茶业有限公司,2000,91430903MA4L000002\n"


def _loaded(entry, file_server, run_jobs, text=CSV):
    folder, base = file_server
    (folder / "qy.csv").write_text(text, encoding="utf-8")
    resource = tk.get_action("resource_create")(
        site(), {"package_id": entry["id"], "url": f"{base}/qy.csv", "format": "CSV"}
    )
    run_jobs()
    return resource


def _show(entry, user=None):
    return tk.get_action("yiyang_data_consistency_show")(
        {"user": user or site()["user"]}, {"id": entry["id"]}
    )


def test_compare_names_types_and_lengths():
    items = [
        {"name": "企业名称", "data_type": "string", "length": 5},
        {"name": "注册资本", "data_type": "integer"},
        {"name": "成立日期", "data_type": "datetime"},
        {"name": "员工人数", "data_type": "numeric"},
    ]
    columns = [
        {"id": "企业名称", "type": "string", "length": 11},
        {"id": "注册资本", "type": "numeric", "length": 5},
        {"id": "员工人数", "type": "integer", "length": 2},
        {"id": "备注", "type": "string", "length": 3},
    ]
    found = {(d["item"], d["problem"]) for d in consistency.compare(items, columns)}
    assert found == {
        ("企业名称", "length"),
        ("注册资本", "type"),
        ("成立日期", "missing_column"),
        ("备注", "undeclared_column"),
    }


def test_a_load_keeps_the_differences_and_shows_them_in_chinese(
    entry_factory, file_server, run_jobs
):
    entry = entry_factory()  # 信息项: 企业名称 (string 200), 注册资本 (numeric)
    resource = _loaded(entry, file_server, run_jobs)

    with request_context("zh_Hans_CN"):
        shown = _show(entry)
    assert shown["status"] == "differs"
    (row,) = shown["resources"]
    assert row["resource_id"] == resource["id"]
    assert [(d["item"], d["problem"]) for d in row["differences"]] == [
        ("统一社会信用代码", "undeclared_column")
    ]
    assert row["differences"][0]["message"] == "文件中的列“统一社会信用代码”未在信息项中声明。"


def test_consistent_when_the_file_matches(entry_factory, file_server, run_jobs):
    entry = entry_factory()
    _loaded(entry, file_server, run_jobs, "企业名称,注册资本\n益阳市资江食品有限公司,100.5\n")
    assert _show(entry)["status"] == "consistent"


def test_the_items_become_the_data_dictionary_and_follow_changes(
    entry_factory, file_server, run_jobs
):
    entry = entry_factory()
    resource = _loaded(entry, file_server, run_jobs)
    info = tk.get_action("datastore_info")(site(), {"id": resource["id"]})
    fields = {f["id"]: f.get("info") or {} for f in info["fields"]}
    assert fields["企业名称"]["label"] == "企业名称"
    assert fields["企业名称"]["notes"] == "营业执照上的名称"
    assert fields["注册资本"]["notes"] == "企业的注册资本（计量单位：万元）"
    assert not fields["统一社会信用代码"].get("label")

    items = entry["data_items"] + [
        {
            "name": "统一社会信用代码",
            "description": "18 位代码",
            "data_type": "string",
            "length": 18,
        }
    ]
    tk.get_action("package_patch")(site(), {"id": entry["id"], "data_items": items})
    run_jobs()

    assert _show(entry)["status"] == "consistent"
    info = tk.get_action("datastore_info")(site(), {"id": resource["id"]})
    fields = {f["id"]: f.get("info") or {} for f in info["fields"]}
    assert fields["统一社会信用代码"]["notes"] == "18 位代码"
    # The table itself is untouched.
    found = tk.get_action("datastore_search")(site(), {"resource_id": resource["id"]})
    assert found["total"] == 2


def test_adopting_the_columns_of_a_draft_changes_its_items(
    entry_factory, file_server, run_jobs, people
):
    entry = entry_factory(owner_org=people["unit"]["id"])
    resource = _loaded(entry, file_server, run_jobs)
    tk.get_action("yiyang_data_items_adopt")(
        {"user": people["editor"]["name"]}, {"resource_id": resource["id"]}
    )
    items = tk.get_action("package_show")(site(), {"id": entry["id"]})["data_items"]
    assert [(i["name"], i["data_type"]) for i in items] == [
        ("企业名称", "string"),
        ("注册资本", "numeric"),
        ("统一社会信用代码", "string"),
    ]
    assert items[0]["description"] == "营业执照上的名称"  # kept
    assert int(items[2]["length"]) == 18


def test_adopting_for_a_published_entry_is_a_change_under_review(
    entry_factory, file_server, run_jobs, people
):
    entry = entry_factory(owner_org=people["unit"]["id"], published=True)
    resource = _loaded(entry, file_server, run_jobs)
    tk.get_action("yiyang_data_items_adopt")(
        {"user": people["editor"]["name"]}, {"resource_id": resource["id"]}
    )
    published = tk.get_action("package_show")(site(), {"id": entry["id"]})
    assert [i["name"] for i in published["data_items"]] == ["企业名称", "注册资本"]
    revision = tk.get_action("yiyang_revision_show")(
        {"user": people["editor"]["name"]}, {"id": entry["id"]}
    )
    assert revision is not None
    assert "统一社会信用代码" in str(revision)


def test_adopting_without_loaded_data_is_refused(entry_factory, people):
    entry = entry_factory(owner_org=people["unit"]["id"])
    resource = tk.get_action("resource_create")(
        site(), {"package_id": entry["id"], "url": "http://example.gov.cn/a.pdf", "format": "PDF"}
    )
    with (
        request_context("zh_Hans_CN"),
        pytest.raises(tk.ValidationError, match="没有已加载的数据"),
    ):
        tk.get_action("yiyang_data_items_adopt")(
            {"user": people["editor"]["name"]}, {"resource_id": resource["id"]}
        )


ROLES = ("anonymous", "member", "editor", "admin", "other", "reviewer", "sysadmin")
MAY = {
    "yiyang_data_consistency_show": {"member", "editor", "admin", "reviewer", "sysadmin"},
    "yiyang_data_items_adopt": {"editor", "admin", "sysadmin"},
    "yiyang_data_load": {"editor", "admin", "sysadmin"},
    "yiyang_data_status_show": {"member", "editor", "admin", "reviewer", "sysadmin"},
}


@pytest.mark.parametrize("action", sorted(MAY))
def test_who_may_act(action, entry_factory, people):
    """A draft entry of the unit: its data's state is the unit's and the reviewers' (and
    ``yiyang_data_status_show`` follows ``package_show``)."""
    entry = entry_factory(owner_org=people["unit"]["id"])
    resource = tk.get_action("resource_create")(
        site(), {"package_id": entry["id"], "url": "http://example.gov.cn/a.csv", "format": "CSV"}
    )
    data = {"id": entry["id"], "resource_id": resource["id"]}
    for role in ROLES:
        user = "" if role == "anonymous" else people[role]["name"]
        allowed = True
        try:
            tk.check_access(action, {"user": user}, data)
        except tk.NotAuthorized:
            allowed = False
        assert allowed == (role in MAY[action]), (action, role)


def test_a_deleted_resource_leaves_no_state(entry_factory, file_server, run_jobs):
    entry = entry_factory()
    resource = _loaded(entry, file_server, run_jobs)
    assert _show(entry)["status"] == "differs"

    tk.get_action("resource_delete")(site(), {"id": resource["id"]})

    assert _show(entry) == {"status": "unchecked", "resources": []}
    shown = tk.get_action("yiyang_data_status_show")(site(), {"id": entry["id"]})
    assert shown["resources"] == []
