"""Imports of 附件3 (entries and their 信息项) through the catalog's actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.imports import ImportReport, run_import

from .conftest import counts, entry_row, fill, item_row, solr_count

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _show(name: str) -> dict:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": name})


def _two_entries(tmp_path, unit, **first):
    return fill(
        "entries",
        tmp_path / "e.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(1, **first),
            entry_row(2, title="益阳市个体工商户信息", format_class="电子文件"),
        ],
        items=[
            item_row(1),
            item_row(
                1, name="注册资本", data_type="N", length=None, unit="万元", disclosure_scope=None
            ),
        ],
    )


def test_valid_entries_become_drafts(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    progress: list[tuple[int, int]] = []
    report = run_import(
        str(_two_entries(tmp_path, unit)),
        user=editor["name"],
        progress=lambda done, total: progress.append((done, total)),
    )
    assert isinstance(report, ImportReport)
    assert report.ok, report.as_dict()["problems"]
    assert report.kind == "entries" and report.written
    assert len(report.created) == 2 and not report.updated
    entry = _show(report.created[0])
    assert entry["review_status"] == "draft"  # nobody publishes without review
    assert entry["state"] == "active"
    assert entry["owner_org"] == unit["id"]
    assert entry["resource_code"].startswith("102/")
    assert entry["share_type"] == "conditional" and entry["share_method"] == "platform_api"
    assert [t["name"] for t in entry["tags"]] == ["企业", "注册登记"]
    assert [i["name"] for i in entry["data_items"]] == ["企业名称", "注册资本"]
    assert entry["data_items"][0]["length"] in (200, "200")
    assert entry["data_items"][1]["data_type"] == "numeric"
    # 不填则同所属信息资源
    assert entry["data_items"][1]["disclosure_scope"] == "partial"
    assert not _show(report.created[1]).get("data_items")
    assert solr_count() == 2
    assert progress[-1][0] == progress[-1][1] and progress[0][0] == 0
    # the example rows (行号 示例) were skipped
    assert model.Session.query(model.Package).filter_by(title="企业注册登记信息").count() == 0
    assert report.as_dict()["created"] == report.created


def test_mapping_of_codes_and_spellings_is_reported(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "m.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(
                1,
                share_type="有条件",
                update_cycle="按年",
                open_to_public="N",
                format_class="库表",
                catalog_category="102",
                subject_category="经济管理",
                management_mode="计算机",
                share_method="共享平台-接口",
                disclosure_scope="部分公开",
                tag_string="企业，注册登记、工商",
            )
        ],
        items=[
            item_row(1, name="名称", data_type="C", length=100.0),
            item_row(1, name="成立日期", data_type="日期", length=None),
            item_row(1, name="资本", data_type="varchar", length="12.0"),
            item_row(1, name="人数", data_type="I", length=None),
            item_row(1, name="照片", data_type="二进制", length=1024),
            item_row(1, name="更新时间", data_type="T", length=None),
        ],
    )
    report = run_import(str(path), user=editor["name"])
    assert report.ok, report.as_dict()["problems"]
    entry = _show(report.created[0])
    assert entry["share_type"] == "conditional"
    assert entry["update_cycle"] == "annual"
    assert entry["open_to_public"] == "no"
    assert entry["format_class"] == "database"
    assert entry["catalog_category"] == "102" and entry["subject_category"] == "02"
    assert entry["management_mode"] == "computer"
    assert sorted(t["name"] for t in entry["tags"]) == ["企业", "工商", "注册登记"]
    types = {i["name"]: (i["data_type"], str(i.get("length") or "")) for i in entry["data_items"]}
    assert types == {
        "名称": ("string", "100"),
        "成立日期": ("datetime", ""),
        "资本": ("string", "12"),
        "人数": ("integer", ""),
        "照片": ("binary", "1024"),
        "更新时间": ("datetime", ""),
    }
    mapped = {(m.column, m.value): (m.code, m.label, m.rows) for m in report.mapped}
    assert mapped[("共享类型", "有条件")] == ("conditional", "有条件共享", [6])
    assert mapped[("更新周期", "按年")][0] == "annual"
    assert mapped[("是否向社会开放", "N")][0] == "no"
    assert mapped[("资源属性分类", "102")][:2] == ("102", "102 法人单位")
    assert mapped[("主题分类", "经济管理")][0] == "02"
    assert mapped[("数据类型", "C")][0] == "string"
    assert mapped[("数据类型", "T")][0] == "datetime"
    # the template's own labels are not reported as mappings
    assert ("公开范围", "部分公开") not in mapped
    assert report.as_dict()["mapped"][0]["sheet"] == "信息资源"


def test_unknown_values_are_problems_naming_the_cell(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    before = counts()
    path = fill(
        "entries",
        tmp_path / "u.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(1, share_type="看情况", catalog_category="999 不存在"),
            entry_row(2, title="第二条"),
        ],
        items=[item_row(1, data_type="逻辑型"), item_row(7, name="孤儿")],
    )
    report = run_import(str(path), user=editor["name"])
    assert not report.ok and not report.written
    where = {(p.sheet, p.row, p.column): p.message for p in report.problems}
    assert "无条件共享、有条件共享、不予共享" in where[("信息资源", 6, "共享类型")]
    assert "资源属性分类" in where[("信息资源", 6, "资源属性分类")]
    assert "整数型" in where[("信息项", 7, "数据类型")]
    assert "行号“7”" in where[("信息项", 8, "行号")]
    assert counts() == before and solr_count() == 0


def test_schema_rules_give_problems_in_chinese(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "r.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(1, share_condition=None),  # conditional without its condition
            entry_row(2, title="无信息项的数据库"),  # a database without data items
            entry_row(3, title="长度", notes=None),
        ],
        items=[item_row(3, length=None), item_row(3, length=-5, name="负数")],
    )
    report = run_import(str(path), user=editor["name"])
    where = {(p.sheet, p.row, p.column): p.message for p in report.problems}
    assert where[("信息资源", 6, "共享条件/不予共享依据")] == "请填写共享条件"
    assert where[("信息资源", 7, "信息项")]
    assert ("信息资源", 8, "信息资源摘要") in where
    assert ("信息项", 7, "长度") in where and ("信息项", 8, "长度") in where
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p.message) for p in report.problems)
    assert counts()["packages"] == 0


def test_dry_run_writes_nothing(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    before = counts()
    report = run_import(str(_two_entries(tmp_path, unit)), user=editor["name"], dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert report.created == [] and len(report.planned_create) == 2
    assert counts() == before and solr_count() == 0
    # the check took no resource code: the first real entry gets number 1
    report = run_import(str(_two_entries(tmp_path, unit)), user=editor["name"])
    assert sorted(_show(n)["resource_code"] for n in report.created)[0].endswith("/000001")


def test_problems_import_nothing_unless_valid_only(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "v.xlsx",
        unit=unit["title"],
        rows=[
            entry_row(1),
            entry_row(2, title="坏行", update_cycle="偶尔"),
            entry_row(3, title="第三条"),
        ],
        items=[item_row(1), item_row(3)],
    )
    before = counts()
    report = run_import(str(path), user=editor["name"])
    # the unknown cycle, and (a database) its missing 信息项: every problem of the row
    assert [(p.row, p.column) for p in report.problems] == [(7, "更新周期"), (7, "信息项")]
    assert report.created == [] and not report.written
    assert counts() == before and solr_count() == 0

    report = run_import(str(path), user=editor["name"], valid_only=True)
    assert report.written and len(report.created) == 2
    assert report.rows_skipped == 1 and len(report.problems) == 2
    titles = sorted(_show(n)["title"] for n in report.created)
    assert titles == ["益阳市企业注册登记信息", "第三条"]


def test_reimport_updates_and_never_duplicates(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = _two_entries(tmp_path, unit)
    first = run_import(str(path), user=editor["name"])
    assert len(first.created) == 2
    activities = counts()["activities"]

    again = run_import(str(path), user=editor["name"])
    assert again.ok and again.created == [] and again.updated == []
    assert sorted(again.unchanged) == sorted(first.created)
    assert counts()["activities"] == activities  # nothing was called: no new activity

    changed = _two_entries(tmp_path, unit, notes="摘要改了。")
    report = run_import(str(changed), user=editor["name"])
    assert report.created == [] and len(report.updated) == 1 and len(report.unchanged) == 1
    assert _show(report.updated[0])["notes"] == "摘要改了。"
    assert counts()["packages"] == 2 and solr_count() == 2


def test_reimport_by_resource_code_may_rename(tmp_path, unit_with_editor):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    first = run_import(str(_two_entries(tmp_path, unit)), user=editor["name"])
    entry = _show(first.created[0])
    path = fill(
        "entries",
        tmp_path / "c.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, title="新名称", resource_code=entry["resource_code"])],
        items=[
            item_row(1),
            item_row(
                1, name="注册资本", data_type="N", length=None, unit="万元", disclosure_scope=None
            ),
        ],
    )
    report = run_import(str(path), user=editor["name"])
    assert report.updated == [entry["name"]]
    assert _show(entry["id"])["title"] == "新名称"
    bad = fill(
        "entries",
        tmp_path / "x.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, resource_code="102/999999")],
    )
    report = run_import(str(bad), user=editor["name"])
    assert report.problems[0].column == "信息资源代码"


def test_published_entry_gets_a_working_copy(
    tmp_path, unit_with_editor, entry_factory, entry_data
):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    published = entry_factory(owner_org=unit["id"], published=True)
    row = entry_row(
        1,
        title=published["title"],
        notes="新的摘要。",
        resource_code=published["resource_code"],
        owner_org=unit["title"],
    )
    items = [
        item_row(1),
        item_row(
            1,
            name="注册资本",
            description="企业的注册资本",
            data_type="数值型",
            length=None,
            unit="万元",
            disclosure_scope="对内公开",
        ),
    ]
    path = fill("entries", tmp_path / "p.xlsx", unit=unit["title"], rows=[row], items=items)
    report = run_import(str(path), user=editor["name"])
    assert report.ok and report.updated == [published["name"]]
    entry = _show(published["id"])
    assert entry["notes"] == published["notes"]  # the published version stays
    assert entry["review_status"] == "published"
    revision = tk.get_action("yiyang_revision_show")(
        {"user": editor["name"]}, {"id": published["id"]}
    )
    assert revision["status"] == "draft" and revision["data"]["notes"] == "新的摘要。"
    # the same file again: the working copy already says so
    report = run_import(str(path), user=editor["name"])
    assert report.unchanged == [published["name"]] and not report.updated


def test_roles_that_may_not_write_get_problems(tmp_path, unit_with_editor, make_unit):
    unit = unit_with_editor["unit"]
    stranger_unit = make_unit()
    outsider = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True},
        {"id": stranger_unit["id"], "username": outsider["name"], "role": "editor"},
    )
    path = _two_entries(tmp_path, unit)
    for user in (unit_with_editor["member"]["name"], outsider["name"]):
        report = run_import(str(path), user=user)
        assert not report.written and report.problems
        assert {p.column for p in report.problems} == {"信息资源提供方"}
        assert "不能为它登记" in report.problems[0].message
    report = run_import(str(path), user="no-such-user")
    assert report.fatal
    assert counts()["packages"] == 0
    # the unit's admin and a sysadmin may
    assert run_import(str(path), user=unit_with_editor["admin"]["name"], dry_run=True).ok
    assert run_import(str(path), user=factories.Sysadmin()["name"], dry_run=True).ok


def test_owner_column_and_unknown_unit(tmp_path, unit_with_editor, make_unit):
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "o.xlsx",
        unit="",
        rows=[
            entry_row(1, owner_org=unit["title"], format_class="电子文件"),
            entry_row(2, title="第二", owner_org="不存在的局", format_class="电子文件"),
        ],
    )
    report = run_import(str(path), user=editor["name"])
    assert [(p.row, p.column) for p in report.problems] == [(7, "信息资源提供方")]
    path = fill("entries", tmp_path / "n.xlsx", unit="", rows=[entry_row(1)])
    report = run_import(str(path), user=editor["name"])
    assert "填表单位" in report.problems[0].message


def test_exported_workbook_imported_back_changes_nothing(
    tmp_path, unit_with_editor, entry_factory
):
    """The exporter fills resource_code and owner_org and writes text starting with = + - @
    as typed string cells: such a workbook imported back is unchanged, row for row."""
    from openpyxl.cell.cell import TYPE_STRING

    from ckanext.yiyang.catalog import schema
    from ckanext.yiyang.survey import layout, workbooks

    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    entries = [
        entry_factory(owner_org=unit["id"], title="=公式样的名称", notes="+以加号开头的摘要"),
        entry_factory(owner_org=unit["id"], published=True, title="@已发布", notes="-减号"),
    ]
    book = workbooks.build("entries")
    sheet, items = book["信息资源"], book["信息项"]
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    item_keys = [c.key for c in layout.ITEM_COLUMNS]
    cats = {
        c: f"{c} {n.title}"
        for c, n in __import__("ckanext.yiyang.catalog.categories", fromlist=["x"])
        .catalog_nodes()
        .items()
    }
    subjects = {
        c: f"{c} {n.title}"
        for c, n in __import__("ckanext.yiyang.catalog.categories", fromlist=["x"])
        .subject_classes()
        .items()
    }
    item_row_number = workbooks.FIRST_DATA_ROW + 1
    for offset, stored in enumerate(_show(e["id"]) for e in entries):
        row = workbooks.FIRST_DATA_ROW + offset
        values = {
            "row": offset + 1,
            "owner_org": unit["title"],
            "catalog_category": cats[stored["catalog_category"]],
            "subject_category": subjects[stored["subject_category"]],
            "tag_string": ",".join(t["name"] for t in stored["tags"]),
            "related_resource_codes": ",".join(stored.get("related_resource_codes") or []),
        }
        for key in keys:
            if key in values:
                continue
            value = stored.get(key) or ""
            if key in schema.CHOICES and value:
                value = schema.label(key, value, "zh_Hans_CN")
            values[key] = value
        for key, value in values.items():
            cell = sheet.cell(row, keys.index(key) + 1, value)
            if isinstance(value, str) and value[:1] in "=+-@":
                cell.value, cell.data_type = value, TYPE_STRING
        for item in stored["data_items"]:
            for key in item_keys:
                value = offset + 1 if key == "row" else item.get(key) or ""
                if key in ("data_type", "disclosure_scope") and value:
                    value = schema.label(key, value, "zh_Hans_CN")
                items.cell(item_row_number, item_keys.index(key) + 1, value)
            item_row_number += 1
    path = tmp_path / "export.xlsx"
    book.save(path)
    before = counts()
    report = run_import(str(path), user=editor["name"])
    assert report.ok, report.as_dict()["problems"]
    assert sorted(report.unchanged) == sorted(e["name"] for e in entries)
    assert report.created == [] and report.updated == []
    assert counts() == before


def test_an_imported_change_is_one_activity_of_the_entry(tmp_path, unit_with_editor):
    """The import's one transaction still records what each write did: the creation, then
    the change of a draft, each once, in the entry's activity stream."""
    import sqlalchemy as sa

    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    first = run_import(str(_two_entries(tmp_path, unit)), user=editor["name"])
    entry_id = _show(first.created[0])["id"]

    def activities() -> list[str]:
        rows = model.Session.execute(
            sa.text("SELECT activity_type FROM activity WHERE object_id = :id ORDER BY timestamp"),
            {"id": entry_id},
        )
        return [row[0] for row in rows]

    assert activities() == ["new package"]
    changed = _two_entries(tmp_path, unit, notes="摘要改了。")
    report = run_import(str(changed), user=editor["name"])
    assert report.updated == [first.created[0]]
    assert activities() == ["new package", "changed package"]


def test_problems_are_written_in_the_language_of_the_page(tmp_path, unit_with_editor):
    """The job is told the language of the page it was started from (/en: English); the
    portal's default is Chinese."""
    unit, editor = unit_with_editor["unit"], unit_with_editor["editor"]
    path = fill(
        "entries",
        tmp_path / "l.xlsx",
        unit=unit["title"],
        rows=[entry_row(1, update_cycle="偶尔")],
    )
    chinese = run_import(str(path), user=editor["name"], dry_run=True)
    english = run_import(str(path), user=editor["name"], dry_run=True, lang="en")
    # the unknown cycle, and (a database) its missing 信息项
    assert [(p.row, p.column) for p in chinese.problems] == [(6, "更新周期"), (6, "信息项")]
    assert (english.problems[0].row, english.problems[0].column) == (6, "更新周期")
    assert len(english.problems) == 2
    assert "不是可选的值" in chinese.problems[0].message
    assert "is not one of the choices" in english.problems[0].message
