"""Workbooks for the import tests: the real templates, filled in as a unit would."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.survey import layout, workbooks


def fill(
    kind: str,
    path: pathlib.Path,
    unit: str = "",
    rows: list[dict[str, Any]] | None = None,
    items: list[dict[str, Any]] | None = None,
    keep_example: bool = True,
) -> pathlib.Path:
    """Write the template of ``kind`` with ``rows`` (dicts by API key) from row 6 (contacts:
    from row 5, one per role in the template's order) and save it at ``path``."""
    book = workbooks.build(kind)
    sheet_name, columns = {
        "entries": ("信息资源", layout.ENTRY_COLUMNS),
        "demands": ("数据需求调研表", layout.DEMAND_COLUMNS),
        "contacts": ("分管负责人及联络人名单", layout.CONTACT_COLUMNS),
    }[kind]
    sheet = book[sheet_name]
    sheet.cell(workbooks.UNIT_ROW, 2, unit)
    first = workbooks.EXAMPLE_ROW if kind == "contacts" else workbooks.FIRST_DATA_ROW
    keys = [c.key for c in columns]
    for offset, row in enumerate(rows or []):
        for key, value in row.items():
            sheet.cell(first + offset, keys.index(key) + 1, value)
    if items is not None:
        item_sheet = book["信息项"]
        item_keys = [c.key for c in layout.ITEM_COLUMNS]
        for offset, row in enumerate(items):
            for key, value in row.items():
                item_sheet.cell(
                    workbooks.FIRST_DATA_ROW + 1 + offset, item_keys.index(key) + 1, value
                )
    book.save(path)
    return path


def entry_row(row: int | str = 1, **overrides: Any) -> dict[str, Any]:
    data = {
        "row": row,
        "title": "益阳市企业注册登记信息",
        "notes": "全市企业的注册登记信息，包括企业名称和注册资本。",
        "catalog_category": "102 法人单位",
        "subject_category": "02 经济管理",
        "tag_string": "企业,注册登记",
        "format_class": "数据库",
        "format_type": "oracle",
        "share_type": "有条件共享",
        "share_condition": "用于市场监管",
        "share_method": "共享平台·接口",
        "open_to_public": "否",
        "update_cycle": "每日",
        "disclosure_scope": "部分公开",
        "management_mode": "计算机（电子表格）",
    }
    data.update(overrides)
    return data


def item_row(row: int | str = 1, **overrides: Any) -> dict[str, Any]:
    data = {
        "row": row,
        "name": "企业名称",
        "description": "营业执照上的名称",
        "data_type": "字符型",
        "length": 200,
        "disclosure_scope": "对外公开",
    }
    data.update(overrides)
    return data


@pytest.fixture
def unit_with_editor(make_unit):
    """A unit and its editor, admin and plain member."""
    editor, admin, member = factories.User(), factories.User(), factories.User()
    unit = make_unit(
        users=[
            {"name": editor["name"], "capacity": "editor"},
            {"name": admin["name"], "capacity": "admin"},
            {"name": member["name"], "capacity": "member"},
        ]
    )
    return {"unit": unit, "editor": editor, "admin": admin, "member": member}


def counts() -> dict[str, Any]:
    """Entries, demands, units' contact fields, working copies, activities: what an import
    could change."""
    import sqlalchemy as sa

    from ckanext.yiyang.demand.model import Demand
    from ckanext.yiyang.review.model import Revision

    def scalar(sql: str) -> int:
        return int(model.Session.execute(sa.text(sql)).scalar() or 0)

    return {
        "packages": model.Session.query(model.Package)
        .filter(model.Package.state != "deleted")
        .count(),
        "demands": model.Session.query(Demand).count(),
        "revisions": model.Session.query(Revision).count(),
        "activities": scalar("SELECT count(*) FROM activity"),
        "contacts": sorted(
            (g.name, k, str(v))
            for g in model.Session.query(model.Group).all()
            for k, v in (g.extras or {}).items()
            if k in ("leader", "business_contact", "it_contact")
        ),
        "group_revision": scalar("SELECT count(*) FROM \"group\" WHERE state = 'active'"),
    }


def solr_count() -> int:
    from ckan.lib.search import query_for

    result = query_for(model.Package).run({"q": "*:*", "fq": "+dataset_type:dataset", "rows": 0})
    return int(result["count"])
