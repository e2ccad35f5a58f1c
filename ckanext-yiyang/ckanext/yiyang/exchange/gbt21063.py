"""Entries as the core metadata of GB/T 21063.3 (政务信息资源目录体系 第3部分：核心元数据), in
XML that ``gbt21063.xsd`` (next to this module) describes.

One ``<metadata>`` per entry: first the standard's twelve elements, with their short names and
in the standard's order (design/standards.md) — resTitle, pubDate, abstract, IdPoC, DescKeys,
TpCat, onLineSrc, resID, ServInfo, mdId, MdContact, mdDateUpd — then the additions of the 2017
编制指南 (provider code, format, 信息项, share and open attributes, update cycle, related codes)
and the two fields of the 2015 Yiyang forms (公开范围, 管理方式). Coded values carry their code
(``code``) and their Chinese label (text). The whole catalog is ``<catalog>`` around them,
written piece by piece (``catalog_chunks``) so that a long catalog streams.

The entry dicts are what ``package_show``/``package_search`` gave the reader: §6 is already
applied (a partly public entry's non-public 信息项 are not in them).
"""

from __future__ import annotations

import datetime
import functools
import pathlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from ckanext.yiyang.catalog import categories
from ckanext.yiyang.catalog import schema as catalog_schema
from ckanext.yiyang.exchange import dcat as dcat_profile

NS = "http://yiyang.gov.cn/ns/gbt21063"
XSD_PATH = pathlib.Path(__file__).with_name("gbt21063.xsd")
# Characters XML 1.0 cannot carry (control characters of pasted text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.cache
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value)).strip()


def _sub(parent: etree._Element, tag: str, value: Any = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v})
    if value is not None:
        element.text = _text(value)
    return element


def _coded(parent: etree._Element, tag: str, field: str, value: Any) -> None:
    if value:
        _sub(parent, tag, catalog_schema.label(field, str(value), "zh_Hans_CN"), code=str(value))


def _date(value: Any) -> str | None:
    """``CCYY-MM-DD`` of a date or timestamp, None if there is none."""
    text = str(value or "")[:10]
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def entry_element(pkg: dict[str, Any], unit: dict[str, str] | None = None) -> etree._Element:
    """One entry as ``<metadata>``; ``unit``: its provider's codes (``dcat.unit_codes``)."""
    unit = unit if unit is not None else dcat_profile.unit_codes(pkg.get("owner_org"))
    org_title = unit.get("title") or (pkg.get("organization") or {}).get("title") or ""
    md = etree.Element(f"{{{NS}}}metadata", nsmap={None: NS})
    _sub(md, "resTitle", pkg.get("title") or "")
    _sub(md, "pubDate", _date(pkg.get("release_date")) or _date(pkg.get("metadata_created")))
    _sub(md, "abstract", pkg.get("notes") or pkg.get("title") or "")
    poc = _sub(md, "IdPoC")
    _sub(poc, "rpOrgName", org_title)
    if pkg.get("provider_department"):
        _sub(poc, "rpOrgDept", pkg["provider_department"])
    keys = _sub(md, "DescKeys")
    for tag in pkg.get("tags") or []:
        _sub(keys, "keyword", tag["name"] if isinstance(tag, dict) else tag)
    if not len(keys):
        _sub(keys, "keyword", pkg.get("title") or "")
    for mode, code, node in (
        (
            "资源属性分类",
            pkg.get("catalog_category"),
            categories.get(str(pkg.get("catalog_category") or "")),
        ),
        (
            "主题分类",
            pkg.get("subject_category"),
            categories.subject_classes().get(str(pkg.get("subject_category") or "")),
        ),
    ):
        if code:
            cat = _sub(md, "TpCat")
            _sub(cat, "catMode", mode)
            _sub(cat, "catName", node.title if node else code)
            _sub(cat, "catCode", code)
    if pkg.get("online_url"):
        _sub(md, "onLineSrc", pkg["online_url"])
    _sub(md, "resID", pkg.get("resource_code") or pkg.get("id") or "")
    if pkg.get("service_url") or pkg.get("service_type"):
        serv = _sub(md, "ServInfo")
        if pkg.get("service_url"):
            _sub(serv, "servAdd", pkg["service_url"])
        if pkg.get("service_type"):
            _sub(serv, "servType", pkg["service_type"])
    _sub(md, "mdId", pkg.get("metadata_id") or pkg.get("id") or "")
    contact = _sub(md, "MdContact")
    _sub(contact, "rpOrgName", pkg.get("metadata_contact") or org_title)
    updated = _date(pkg.get("metadata_modified"))
    if updated:
        _sub(md, "mdDateUpd", updated)
    # the 2017 guide's additions
    if unit.get("credit_code"):
        _sub(md, "providerCode", unit["credit_code"])
    if unit.get("unit_group") and unit.get("unit_code"):
        _sub(md, "providerUnitCode", unit["unit_group"] + unit["unit_code"])
    if pkg.get("format_class") or pkg.get("format_type"):
        fmt = _sub(md, "resFormat")
        _coded(fmt, "formatClass", "format_class", pkg.get("format_class"))
        if pkg.get("format_type"):
            _sub(fmt, "formatType", pkg["format_type"])
    items = [i for i in pkg.get("data_items") or [] if isinstance(i, dict)]
    if items:
        element = _sub(md, "dataItems")
        for item in items:
            row = _sub(element, "dataItem")
            _sub(row, "itemName", item.get("name") or "")
            if item.get("description"):
                _sub(row, "itemDesc", item["description"])
            _coded(row, "dataType", "data_type", item.get("data_type"))
            if item.get("length") not in (None, ""):
                _sub(row, "length", int(item["length"]))
            if item.get("unit"):
                _sub(row, "unit", item["unit"])
            _coded(row, "disclosureScope", "disclosure_scope", item.get("disclosure_scope"))
    share = _sub(md, "shareAttr")
    _coded(share, "shareType", "share_type", pkg.get("share_type"))
    if pkg.get("share_condition"):
        _sub(share, "shareCondition", pkg["share_condition"])
    _coded(share, "shareMethod", "share_method", pkg.get("share_method"))
    if pkg.get("open_to_public"):
        opened = _sub(md, "openAttr")
        _coded(opened, "isOpen", "open_to_public", pkg["open_to_public"])
        if pkg.get("open_condition"):
            _sub(opened, "openCondition", pkg["open_condition"])
    _coded(md, "updateCycle", "update_cycle", pkg.get("update_cycle"))
    codes = pkg.get("related_resource_codes") or []
    if codes:
        related = _sub(md, "relatedResCodes")
        for code in codes:
            _sub(related, "resCode", code)
    # the 2015 Yiyang forms
    _coded(md, "disclosureScope", "disclosure_scope", pkg.get("disclosure_scope"))
    _coded(md, "managementMode", "management_mode", pkg.get("management_mode"))
    return md


def entry_xml(pkg: dict[str, Any], unit: dict[str, str] | None = None) -> bytes:
    """One entry as a whole XML document."""
    return etree.tostring(
        entry_element(pkg, unit), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def catalog_chunks(entries: Iterable[dict[str, Any]], title: str) -> Iterator[bytes]:
    """The catalog as ``<catalog>`` around the ``<metadata>`` of each entry, piece by piece."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="{NS}" '
        f'title="{_attr(title)}" generated="{now}">\n'
    ).encode()
    units: dict[str, dict[str, str]] = {}
    for pkg in entries:
        owner = pkg.get("owner_org") or ""
        if owner not in units:
            units[owner] = dcat_profile.unit_codes(owner)
        yield etree.tostring(entry_element(pkg, units[owner]), encoding="UTF-8", pretty_print=True)
    yield b"</catalog>\n"


def _attr(value: str) -> str:
    return _text(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def validate(document: bytes) -> list[str]:
    """The schema's complaints about ``document`` (none: valid)."""
    schema = xml_schema()
    if schema.validate(etree.fromstring(document)):
        return []
    return [str(error) for error in schema.error_log]
