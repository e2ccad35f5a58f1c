"""Imports of 附件2 (demands, through yiyang_demand_create) and 附件4 (a unit's contacts,
through organization_patch); a write that fails on the way leaves nothing behind."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang.imports import entries as entries_module
from ckanext.yiyang.imports import run_import

from .conftest import counts, entry_row, fill, item_row, solr_count

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _demand(**overrides):
    data = {
        "row": 1,
        "title": "不动产登记信息",
        "content": "权利人、坐落、面积",
        "purpose": "核验房产",
        "update_frequency": "每日",
    }
    data.update(overrides)
    return data


def test_demands(tmp_path, unit_with_editor, make_unit):
    unit, member = unit_with_editor["unit"], unit_with_editor["member"]
    provider = make_unit(title="市国土资源测试局")
    path = fill(
        "demands",
        tmp_path / "d.xlsx",
        unit=unit["title"],
        rows=[
            _demand(provider_org=provider["title"]),
            _demand(row=2, title="社保缴纳信息", update_frequency="按月"),
        ],
    )
    report = run_import(str(path), user=member["name"])  # any member of the unit raises demands
    assert report.ok and report.kind == "demands", report.problems
    assert len(report.created) == 2
    shown = tk.get_action("yiyang_demand_show")(
        {"user": member["name"]}, {"id": report.created[0]}
    )
    assert shown["status"] == "submitted" and shown["provider_org"] == provider["id"]
    assert {(m.value, m.code) for m in report.mapped} == {("按月", "monthly")}
    again = run_import(str(path), user=member["name"])
    assert again.ok and again.created == [] and sorted(again.unchanged) == sorted(report.created)
    changed = fill(
        "demands", tmp_path / "c.xlsx", unit=unit["title"], rows=[_demand(content="改了")]
    )
    report = run_import(str(changed), user=member["name"])
    assert "不能通过导入修改" in report.problems[0].message
    assert counts()["demands"] == 2


def test_demand_problems_and_roles(tmp_path, unit_with_editor, make_unit):
    unit = unit_with_editor["unit"]
    path = fill(
        "demands",
        tmp_path / "d.xlsx",
        unit=unit["title"],
        rows=[
            _demand(purpose=None, provider_org=unit["title"]),
            _demand(row=2, title="别的", update_frequency="偶尔"),
        ],
    )
    outsider = factories.User()
    before = counts()
    report = run_import(str(path), user=unit_with_editor["editor"]["name"])
    where = {(p.row, p.column) for p in report.problems}
    assert where == {(6, "用途"), (6, "数据提供单位"), (7, "数据更新频率要求")}
    ok = fill("demands", tmp_path / "ok.xlsx", unit=unit["title"], rows=[_demand()])
    report = run_import(str(ok), user=outsider["name"])
    assert report.problems[0].row == 2 and "不能以它的名义" in report.problems[0].message
    assert counts() == before
    assert run_import(str(ok), user=factories.Sysadmin()["name"], dry_run=True).ok


def _contacts(unit_title, **leader):
    rows = [
        {
            "name": "张三",
            "position": "副局长",
            "office_phone": "0737-6206182",
            "mobile": "13907370000",
            "email": "zs@example.cn",
            **leader,
        },
        {"name": "李四", "position": "科长", "mobile": "13907370001"},
        {},
    ]
    return rows


def test_contacts(tmp_path, unit_with_editor):
    unit, admin = unit_with_editor["unit"], unit_with_editor["admin"]
    path = fill("contacts", tmp_path / "c.xlsx", unit=unit["title"], rows=_contacts(unit["title"]))
    before = counts()
    for user in (unit_with_editor["editor"]["name"], unit_with_editor["member"]["name"]):
        report = run_import(str(path), user=user)
        assert report.problems and report.problems[0].row == 2 and not report.written
    assert counts() == before
    members = tk.get_action("member_list")(
        {"ignore_auth": True}, {"id": unit["id"], "object_type": "user"}
    )
    report = run_import(str(path), user=admin["name"])
    assert report.ok and report.kind == "contacts" and report.updated == [unit["name"]], (
        report.problems
    )
    shown = tk.get_action("organization_show")({"ignore_auth": True}, {"id": unit["id"]})
    assert (
        shown["leader"]["name"] == "张三" and shown["business_contact"]["mobile"] == "13907370001"
    )
    assert shown["it_contact"]["name"] == ""  # a blank row keeps what the unit had
    again = run_import(str(path), user=admin["name"])
    assert again.unchanged == [unit["name"]] and not again.updated
    users = tk.get_action("member_list")(
        {"ignore_auth": True}, {"id": unit["id"], "object_type": "user"}
    )
    assert sorted(users) == sorted(members)  # patching the contacts kept the unit's members
    bad = fill(
        "contacts",
        tmp_path / "b.xlsx",
        unit=unit["title"],
        rows=_contacts(unit["title"], mobile="123", email="nope"),
    )
    report = run_import(str(bad), user=admin["name"])
    assert {(p.row, p.column) for p in report.problems} == {(5, "分管负责人")}
    assert (
        tk.get_action("organization_show")({"ignore_auth": True}, {"id": unit["id"]})["leader"][
            "mobile"
        ]
        == "13907370000"
    )


def test_a_failure_while_writing_takes_back_everything(
    tmp_path, unit_with_editor, entry_factory, monkeypatch
):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    draft = entry_factory(
        owner_org=unit["id"], title="已有草稿", format_class="electronic_document", data_items=[]
    )
    published = entry_factory(owner_org=unit["id"], published=True, title="已发布的")
    rows = [
        entry_row(1, title="新的一条", format_class="电子文件"),
        entry_row(2, title="已有草稿", notes="改过的摘要", format_class="电子文件"),
        entry_row(
            3, title="已发布的", notes="改过的摘要二", resource_code=published["resource_code"]
        ),
        entry_row(4, title="写到这里出错", format_class="电子文件"),
    ]
    items = [item_row(3), item_row(3, name="注册资本", data_type="数值型", length=None)]
    path = fill("entries", tmp_path / "f.xlsx", unit=unit["title"], rows=rows, items=items)
    before = counts()
    before_solr = solr_count()
    draft_before = tk.get_action("package_show")({"ignore_auth": True}, {"id": draft["id"]})

    original = entries_module.Entries.write

    def failing(self, user, planned):
        if planned.label == "写到这里出错":
            raise RuntimeError("数据库连接中断")
        return original(self, user, planned)

    monkeypatch.setattr(entries_module.Entries, "write", failing)
    report = run_import(str(path), user=editor["name"])
    assert not report.written and report.created == [] and report.updated == []
    assert report.problems[-1].row == 9 and "已全部撤销" in report.problems[-1].message
    assert counts() == before and solr_count() == before_solr
    draft_after = tk.get_action("package_show")({"ignore_auth": True}, {"id": draft["id"]})
    assert draft_after["notes"] == draft_before["notes"]
    assert (
        tk.get_action("yiyang_revision_show")({"ignore_auth": True}, {"id": published["id"]})
        is None
    )
    from ckan import model
    from ckan.lib.search import query_for

    hits = query_for(model.Package).run({"q": 'title:"新的一条"', "fq": "+dataset_type:dataset"})
    assert hits["count"] == 0
