"""One catalog for the exchange tests, built once per module: a unit with entries in every
state and scope that matters to an export, a government user (member of another unit) with
an API token, and an outsider with an account. And a third catalog (stock CKAN with
ckanext-dcat's harvester) that harvests the city's DCAT."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.conftest import ROOT
from tests.harvest.conftest import Portal, purge_all, start_portal

SERVICE = {
    "name": "企业信息查询接口",
    "url": "http://api.example.gov.cn/company",
    "resource_kind": "service",
    "service_url": "http://api.example.gov.cn/company",
    "format": "API",
}


@dataclasses.dataclass
class World:
    sysadmin: dict[str, Any]
    unit: dict[str, Any]
    government: dict[str, Any]
    government_token: str
    outsider: dict[str, Any]
    outsider_token: str
    entries: dict[str, dict[str, Any]]

    def headers(self, viewer: str) -> dict[str, str]:
        token = {"government": self.government_token, "outsider": self.outsider_token}
        return {"Authorization": token[viewer]} if viewer in token else {}


def _act(world_user: str, action: str, data: dict[str, Any]) -> Any:
    return tk.get_action(action)({"user": world_user}, data)


@pytest.fixture(scope="module")
def world(module_entry_factory, make_unit) -> World:
    sysadmin = factories.Sysadmin()
    unit = make_unit(title="益阳市交换测试局", credit_code="11140800558745220K")
    other = make_unit(title="益阳市其他单位")
    government = factories.User(name="exchange_gov")
    _act(
        sysadmin["name"],
        "organization_member_create",
        {"id": other["id"], "username": government["name"], "role": "member"},
    )
    outsider = factories.User(name="exchange_outsider")
    tokens = {
        name: _act(sysadmin["name"], "api_token_create", {"user": name, "name": "t"})["token"]
        for name in (government["name"], outsider["name"])
    }
    make = module_entry_factory
    public = make(
        owner_org=unit["id"],
        published=True,
        title="交换公开条目",
        disclosure_scope="public",
        share_type="unconditional",
        share_condition="",
        open_to_public="yes",
        open_condition="注册后下载",
        related_resource_codes=[],
        provider_department="数据科",
        online_url="http://www.example.gov.cn/data",
        service_url="http://api.example.gov.cn/",
        service_type="REST",
        metadata_contact="益阳市交换测试局信息中心",
        resources=[dict(SERVICE)],
        tag_string="交换,目录",
    )
    entries = {
        "public": public,
        "partial": make(
            owner_org=unit["id"],
            published=True,
            title="交换部分公开条目",
            related_resource_codes=[public["resource_code"]],
            data_items=[
                {
                    "name": "公开字段mkpubx",
                    "description": "公开",
                    "data_type": "string",
                    "length": 20,
                    "disclosure_scope": "public",
                },
                {
                    "name": "内部字段mksecretx",
                    "description": "内部",
                    "data_type": "numeric",
                    "unit": "万元",
                    "disclosure_scope": "internal",
                },
            ],
        ),
        "internal": make(
            owner_org=unit["id"],
            published=True,
            title="交换对内公开条目mkinternalx",
            disclosure_scope="internal",
        ),
        "undisclosed": make(
            owner_org=unit["id"],
            published=True,
            title="交换不公开条目mkundisclosedx",
            disclosure_scope="undisclosed",
        ),
        "draft": make(owner_org=unit["id"], title="交换草稿条目mkdraftx"),
        "withdrawn": make(owner_org=unit["id"], published=True, title="交换撤销条目mkwithdrawnx"),
    }
    entries["withdrawn"] = _act(
        sysadmin["name"],
        "yiyang_review_withdraw",
        {"id": entries["withdrawn"]["id"], "reason": "测试撤销"},
    )
    # the entries as the exchange should show them (fresh, with release dates)
    entries = {
        k: _act(sysadmin["name"], "package_show", {"id": v["id"]}) for k, v in entries.items()
    }
    return World(
        sysadmin,
        unit,
        government,
        tokens[government["name"]],
        outsider,
        tokens[outsider["name"]],
        entries,
    )


@pytest.fixture(scope="session")
def _dcat_process(request: pytest.FixtureRequest) -> Iterator[Portal]:
    """A third catalog: stock CKAN with ckanext-dcat's RDF harvester and ckanext-harvest
    (``euro_dcat_ap_3`` only, none of our plugins), on its own database and Solr core."""
    ini = ROOT / "var" / "test-dcat.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{(ROOT / request.config.getoption('ckan_ini')).resolve()}\n"
        "ckan.plugins = activity dcat dcat_rdf_harvester harvest\n"
        "ckanext.dcat.rdf.profiles = euro_dcat_ap_3\n"
        "ckan.locale_default = en\n",
        encoding="utf-8",
    )
    for portal, _proc in start_portal("dcat", str(ini), "ckan_test_dcat"):
        name = "dcat-admin"
        if name not in portal.ckan("user", "list"):
            portal.ckan("user", "add", name, "email=dcat@example.com", "password=dcat-admin-2026")
        portal.ckan("sysadmin", "add", name)
        portal.token = portal.ckan("user", "token", "add", name, "tests").split()[-1]
        yield portal


@pytest.fixture
def dcat_portal(_dcat_process: Portal) -> Portal:
    """The third catalog, emptied for the test (its entries and its harvest sources)."""
    for source in _dcat_process.action("harvest_source_list"):
        _dcat_process.ckan("harvester", "source", "clear", source["id"])
        _dcat_process.ckan("harvester", "source", "remove", source["id"])
    purge_all(_dcat_process)
    return _dcat_process
