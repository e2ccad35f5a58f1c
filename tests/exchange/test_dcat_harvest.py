"""The city's DCAT through ckanext-dcat's own harvester into a third catalog (issue 15, "Done
when"): a stock CKAN with ckanext-dcat's ``dcat_rdf`` harvester and the plain ``euro_dcat_ap_3``
profile (none of ours) harvests the city's ``/catalog.ttl`` (``ckan harvester run-test`` in the
third catalog's own process); what arrived is compared with the city's entry field by field.

Every field of the entry is either :data:`CARRIED` (and checked here) or :data:`NOT_CARRIED`
(with the reason): a field added to the schema must be put in one of them."""

from __future__ import annotations

import json
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckanext.dcat.utils import dataset_uri

from ckanext.yiyang.exchange import vocab
from ckanext.yiyang.exchange.dcat import ACCESS_RIGHT, FREQUENCY

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")]

#: Fields of the entry a DCAT-AP 3 reader (ckanext-dcat's stock profile) receives, and where.
CARRIED = {
    "title": "title (dct:title)",
    "notes": "notes (dct:description)",
    "owner_org": "publisher_name, publisher_uri, publisher_identifier (统一社会信用代码)",
    "catalog_category": "theme (a concept of the portal's /vocab/catalog-category)",
    "subject_category": "theme (a concept of the portal's /vocab/subject-category)",
    "tag_string": "tags (dcat:keyword)",
    "resource_code": "identifier (dct:identifier)",
    "format_class": "dcat_type (dct:type, a concept of /vocab/format-class)",
    "update_cycle": "frequency (dct:accrualPeriodicity, the EU frequency authority)",
    "release_date": "issued (dct:issued)",
    "related_resource_codes": "related_resource (dct:relation, the related entries' URIs)",
    "online_url": "url (dcat:landingPage)",
    "metadata_contact": "contact_name (dcat:contactPoint vcard:fn)",
}
#: Fields of a resource that arrive (the distribution's dct:title, dct:description,
#: dcat:accessURL, dct:format; an API's dcat:accessService endpoint).
CARRIED_RESOURCE = {
    "name": "name",
    "description": "description",
    "url": "url",
    "format": "format",
    "resource_kind": "access_services (kind service: the distribution's dcat:accessService)",
    "service_url": "access_services[].endpoint_url",
}
#: What DCAT (as ckanext-dcat's stock profile reads it) cannot carry. Our graph has most of it
#: under ``yy:`` and ``csvw:`` terms, which a harvester with our profile reads back.
NOT_CARRIED = {
    "name": "the entry's URL name: ckanext-dcat's harvester makes one from the title "
    "(a Chinese title munges to underscores)",
    "metadata_id": "dct:identifier of the entry's dcat:CatalogRecord: ckanext-dcat reads no "
    "catalog records",
    "provider_department": "yy:providerDepartment: DCAT-AP's agent has no sub-unit",
    "format_type": "yy:formatType: DCAT has formats of distributions only",
    "share_type": "yy:shareType; only the access right it makes arrives (access_rights: "
    "PUBLIC, RESTRICTED, NON_PUBLIC of share type and 公开范围)",
    "disclosure_scope": "yy:disclosureScope; only the access right it makes arrives",
    "share_condition": "yy:shareCondition: no DCAT-AP property",
    "share_method": "yy:shareMethod: no DCAT-AP property",
    "open_to_public": "yy:openToPublic: no DCAT-AP property",
    "open_condition": "yy:openCondition: no DCAT-AP property",
    "management_mode": "yy:managementMode: no DCAT-AP property",
    "data_items": "信息项, a csvw:tableSchema: DCAT-AP 3 has no table schema and ckanext-dcat "
    "reads none",
    "service_url": "服务信息, a dcat:DataService serving the entry (dcat:servesDataset): "
    "ckanext-dcat reads data services only through a distribution's dcat:accessService",
    "service_type": "dct:type of that dcat:DataService (same reason)",
    "review_status": "the review state: only published entries are in the catalog",
    "harvest_origin": "our harvesting's bookkeeping (ckanext-dcat keeps its own guid and source)",
    "harvest_source_url": "our harvesting's bookkeeping",
    "unit_group, unit_code": "the publisher's codes (skos:notation, yy:unitGroup, yy:unitCode): "
    "DCAT-AP's agent has a name, an identifier and a type only",
}
RESOURCES = [
    {
        "name": "企业名单",
        "description": "全市企业的名单（每月更新）",
        "url": "http://www.example.gov.cn/data/list.csv",
        "format": "CSV",
    },
    {
        "name": "企业信息查询接口",
        "description": "按统一社会信用代码查询",
        "url": "http://api.example.gov.cn/company",
        "resource_kind": "service",
        "service_url": "http://api.example.gov.cn/company/v2",
        "format": "API",
    },
]


def test_every_field_is_carried_or_listed() -> None:
    schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": "dataset"})
    fields = {f["field_name"] for f in schema["dataset_fields"]}
    listed = set(CARRIED) | {f for key in NOT_CARRIED for f in key.split(", ")}
    assert fields <= listed, fields - listed
    assert not set(CARRIED) & set(NOT_CARRIED)
    assert {f["field_name"] for f in schema["resource_fields"]} <= set(CARRIED_RESOURCE)


def _extras(dataset: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in dataset.get("extras", [])}


def test_round_trip_into_a_third_catalog(
    dcat_portal: Any,
    live_portal: str,
    entry_factory: Any,
    make_unit: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the URIs of the graph are the city portal's (live_portal serves this database)
    monkeypatch.setitem(tk.config, "ckan.site_url", live_portal)
    unit = make_unit(title="益阳市往返测试局", credit_code="11140800558745220K")
    related = entry_factory(
        owner_org=unit["id"], published=True, title="往返关联条目", disclosure_scope="public"
    )
    made = entry_factory(
        owner_org=unit["id"],
        published=True,
        title="往返公开条目",
        notes="全市企业的注册登记信息，往返测试。",
        disclosure_scope="public",
        share_type="unconditional",
        share_condition="",
        open_to_public="yes",
        open_condition="注册后下载",
        update_cycle="quarterly",
        online_url="http://www.example.gov.cn/data",
        service_url="http://api.example.gov.cn/",
        service_type="REST",
        metadata_contact="益阳市往返测试局信息中心",
        tag_string="交换,目录,企业",
        related_resource_codes=[related["resource_code"]],
        resources=RESOURCES,
    )
    entry = tk.get_action("package_show")({"ignore_auth": True}, {"id": made["id"]})

    org = dcat_portal.action(
        "organization_create", name=f"yiyang-{uuid.uuid4().hex[:8]}", title="Yiyang"
    )
    source = dcat_portal.action(
        "harvest_source_create",
        url=f"{live_portal}/catalog.ttl",
        name=f"yiyang-city-{uuid.uuid4().hex[:8]}",
        title="益阳市",
        source_type="dcat_rdf",
        owner_org=org["id"],
    )
    dcat_portal.ckan("harvester", "run-test", source["id"])
    arrived = {
        _extras(d)["identifier"]: d
        for d in dcat_portal.action("package_search", q="*:*", rows=100)["results"]
    }
    assert set(arrived) == {entry["resource_code"], related["resource_code"]}, arrived
    copy = arrived[entry["resource_code"]]
    extras = _extras(copy)

    assert copy["title"] == entry["title"]
    assert copy["notes"] == entry["notes"]
    assert copy["url"] == entry["online_url"]
    assert sorted(t["name"] for t in copy["tags"]) == sorted(t["name"] for t in entry["tags"])
    assert extras["identifier"] == entry["resource_code"]
    assert set(json.loads(extras["theme"])) == {
        str(vocab.concept_uri("catalog-category", entry["catalog_category"])),
        str(vocab.concept_uri("subject-category", entry["subject_category"])),
    }
    assert extras["dcat_type"] == str(vocab.concept_uri("format-class", entry["format_class"]))
    assert extras["publisher_name"] == unit["title"]
    assert extras["publisher_identifier"] == "11140800558745220K"
    assert extras["publisher_uri"] == f"{live_portal}/organization/{unit['name']}"
    assert extras["contact_name"] == entry["metadata_contact"]
    assert extras["frequency"] == str(FREQUENCY.QUARTERLY)
    assert extras["access_rights"] == str(ACCESS_RIGHT.PUBLIC)
    assert extras["issued"] == entry["release_date"]
    assert extras["modified"] == entry["metadata_modified"]
    assert json.loads(extras["related_resource"]) == [dataset_uri({"id": related["id"]})]
    assert extras["uri"] == dataset_uri(entry)

    by_name = {r["name"]: r for r in copy["resources"]}
    assert set(by_name) == {r["name"] for r in RESOURCES}
    for resource in RESOURCES:
        got = by_name[resource["name"]]
        assert (got["url"], got["format"], got["description"]) == (
            resource["url"],
            resource["format"],
            resource["description"],
        )
    [service] = json.loads(by_name["企业信息查询接口"]["access_services"])
    assert service["endpoint_url"] == ["http://api.example.gov.cn/company/v2"]
    assert "access_services" not in by_name["企业名单"]
