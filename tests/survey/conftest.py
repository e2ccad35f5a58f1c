"""People and entries of the survey tests: a unit (member, editor, admin) with entries in every
visibility, another unit's member, a registered user of no unit, a reviewer, a sysadmin."""

from __future__ import annotations

import io
import types

import openpyxl
import pytest
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.survey import workbooks

ROLES = (
    "anonymous",
    "registered",
    "outsider",
    "member",
    "editor",
    "admin",
    "reviewer",
    "sysadmin",
)

ITEMS = [
    {"name": "公开字段", "data_type": "string", "length": 50, "disclosure_scope": "public"},
    {"name": "内部字段", "data_type": "numeric", "unit": "万元", "disclosure_scope": "internal"},
]


@pytest.fixture
def people(make_unit):
    users = {
        role: factories.User()
        for role in ("registered", "outsider", "member", "editor", "admin", "reviewer")
    }
    unit = make_unit(
        title="市国土资源局",
        users=[{"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")],
    )
    other = make_unit(
        title="市统计局", users=[{"name": users["outsider"]["name"], "capacity": "member"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    users["sysadmin"] = factories.Sysadmin()
    tokens = {r: factories.APIToken(user=u["name"])["token"] for r, u in users.items()}
    return {"unit": unit, "other": other, "users": users, "tokens": tokens}


@pytest.fixture
def catalog(people, entry_factory):
    """Entries of the unit: partly public (published), internal (published), a draft, and a
    public one whose texts begin like formulas; one published entry of the other unit."""
    unit = people["unit"]["id"]
    made = {
        "partial": entry_factory(
            unit, published=True, title="部分公开的登记信息", data_items=ITEMS
        ),
        "internal": entry_factory(
            unit,
            published=True,
            title="对内公开的统计信息",
            disclosure_scope="internal",
            data_items=ITEMS,
        ),
        "draft": entry_factory(
            unit,
            title="草稿中的信息资源",
            disclosure_scope="public",
            tag_string="注册 登记,企业",  # a keyword with a space survives the round trip
        ),
        "formula": entry_factory(
            unit,
            published=True,
            title="公式样的文字",
            notes="=1+2 看似公式的摘要",
            provider_department="+86 办公室",
            format_type="-xls",
            share_condition="@SUM(A1) 仅用于核验",
            tag_string="公式,-负号",
            disclosure_scope="public",
            data_items=[
                {
                    "name": "=cmd|' /C calc'!A0",
                    "description": "-2+3",
                    "data_type": "string",
                    "length": 20,
                    "disclosure_scope": "public",
                }
            ],
        ),
        "other": entry_factory(
            people["other"]["id"],
            published=True,
            title="其他单位的信息",
            disclosure_scope="public",
        ),
    }
    return made


def headers(people, role):
    token = people["tokens"].get(role)
    return {"Authorization": token} if token else {}


def read_rows(book: openpyxl.Workbook, sheet: str) -> list[dict]:
    """The data rows of a survey sheet, by the keys of its hidden key row."""
    ws = book[sheet]
    keys = [c.value for c in ws[workbooks.KEY_ROW]]
    rows = []
    for values in ws.iter_rows(min_row=workbooks.EXAMPLE_ROW, values_only=True):
        row = dict(zip(keys, values, strict=False))
        if row.get("row") in (None, workbooks.EXAMPLE_KEY):
            continue
        rows.append(row)
    return rows


def load(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body))


@pytest.fixture
def xlsx():
    """``xlsx.load(body)``, ``xlsx.rows(book, sheet)``, ``xlsx.headers(people, role)``."""
    return types.SimpleNamespace(load=load, rows=read_rows, headers=headers)
