"""GB/T 21063.3 XML (issue 15.2): each entry and the whole catalog, valid against our schema
(ckanext/yiyang/exchange/gbt21063.xsd), with the standard's elements in its order, showing
what the reader may see, and the XML of 100 real entries (../shared/data) valid too."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import pathlib
import re
import sys

import pytest
from lxml import etree

from ckanext.yiyang.exchange import gbt21063

ROOT = pathlib.Path(__file__).resolve().parents[2]
REAL_CATALOGS = pathlib.Path(
    os.environ.get("YIYANG_REAL_CATALOGS")
    or ROOT.parent / "shared" / "data" / "real-catalogs" / "catalog_all.jsonl.gz"
)
#: The twelve core elements of GB/T 21063.3, in the standard's order.
CORE = [
    "resTitle",
    "pubDate",
    "abstract",
    "IdPoC",
    "DescKeys",
    "TpCat",
    "onLineSrc",
    "resID",
    "ServInfo",
    "mdId",
    "MdContact",
    "mdDateUpd",
]
SEEN = {
    "anonymous": {"public", "partial"},
    "outsider": {"public", "partial"},
    "government": {"public", "partial", "internal"},
}
NS = {"g": gbt21063.NS}


def _local(element) -> str:
    return etree.QName(element).localname


def _assert_valid(document: bytes) -> etree._Element:
    assert gbt21063.validate(document) == []
    return etree.fromstring(document)


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("viewer", SEEN)
def test_entry_xml_per_reader(app, world, viewer):
    for key, entry in world.entries.items():
        response = app.get(f"/dataset/{entry['name']}/gbt21063.xml", headers=world.headers(viewer))
        if key not in SEEN[viewer]:
            assert response.status_code == 404, (viewer, key)
            continue
        assert response.status_code == 200
        assert response.content_type.startswith("application/xml")
        root = _assert_valid(response.data)
        assert root.findtext("g:resID", namespaces=NS) == entry["resource_code"]
        assert root.findtext("g:mdId", namespaces=NS) == entry["metadata_id"]
        assert ("mksecretx" in response.data.decode()) == (
            viewer == "government" and key == "partial"
        )


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("viewer", SEEN)
def test_catalog_xml_per_reader(app, world, viewer):
    response = app.get("/catalog/gbt21063.xml", headers=world.headers(viewer))
    assert response.status_code == 200
    root = _assert_valid(response.data)
    codes = {m.findtext("g:resID", namespaces=NS) for m in root.findall("g:metadata", NS)}
    assert codes == {world.entries[k]["resource_code"] for k in SEEN[viewer]}
    text = response.data.decode()
    for marker in ("mkundisclosedx", "mkdraftx", "mkwithdrawnx"):
        assert marker not in text
    assert ("mkinternalx" in text) == (viewer == "government")
    assert ("mksecretx" in text) == (viewer == "government")


@pytest.mark.usefixtures("with_plugins")
def test_catalog_xml_modified_since(app, world):
    root = _assert_valid(app.get("/catalog/gbt21063.xml?modified_since=2999-01-01").data)
    assert root.findall("g:metadata", NS) == []
    assert app.get("/catalog/gbt21063.xml?modified_since=not-a-date").status_code == 400


@pytest.mark.usefixtures("with_plugins")
def test_elements_in_the_standards_order(world):
    root = etree.fromstring(gbt21063.entry_xml(world.entries["public"]))
    names = [_local(child) for child in root]
    # each element once (TpCat repeats: one per classification), in the standard's order
    once = [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]
    assert once[: len(CORE)] == CORE  # the public entry has every optional core element
    assert names.count("TpCat") == 2
    assert root.findtext("g:IdPoC/g:rpOrgName", namespaces=NS) == world.unit["title"]
    assert root.findtext("g:providerCode", namespaces=NS) == "11140800558745220K"
    modes = [c.findtext("g:catMode", namespaces=NS) for c in root.findall("g:TpCat", NS)]
    assert modes == ["资源属性分类", "主题分类"]
    assert root.find("g:shareAttr/g:shareType", NS).get("code") == "unconditional"


@pytest.mark.usefixtures("with_plugins")
def test_download_links(app, world):
    entry = world.entries["public"]
    page = app.get(f"/dataset/{entry['name']}").data.decode()
    assert f"/dataset/{entry['name']}/gbt21063.xml" in page
    assert f"/dataset/{entry['name']}.ttl" in page
    search = app.get("/dataset/").data.decode()
    assert "/catalog/gbt21063.xml" in search
    assert "/catalog.ttl" in search


def _real_data():
    spec = importlib.util.spec_from_file_location(
        "real_data", ROOT / "benchmarks" / "real_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_data", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_real_entries_validate():
    """100 real entries (mapped onto our schema as the benchmarks map them, with the codes and
    dates the portal would give them) as GB/T 21063 XML, each and as one catalog."""
    if not REAL_CATALOGS.exists():
        pytest.fail(f"{REAL_CATALOGS} not found (set YIYANG_REAL_CATALOGS to the file)")
    real_data = _real_data()
    stats = real_data.Stats()
    entries = []
    with gzip.open(REAL_CATALOGS, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream):
            if number % 7:  # spread over the file's portals
                continue
            candidate = real_data.map_row(json.loads(line), stats)
            if candidate is None:
                continue
            pkg = dict(candidate.dataset)
            pkg.update(
                id=f"real-{len(entries)}",
                resource_code=f"{pkg['catalog_category']}/{len(entries) + 1:06d}",
                metadata_id=f"YY-{len(entries) + 1:08d}",
                release_date="2026-01-15",
                metadata_modified="2026-02-01T08:30:00.123456",
                tags=[{"name": t} for t in pkg.pop("tag_string").split(",") if t],
                organization={"title": candidate.unit},
            )
            unit = {"title": candidate.unit, "unit_group": "02", "unit_code": "001"}
            document = gbt21063.entry_xml(pkg, unit)
            assert gbt21063.validate(document) == [], (candidate.source_id, document[:2000])
            entries.append((pkg, unit))
            if len(entries) == 100:
                break
    assert len(entries) == 100
    body = b"".join(gbt21063.catalog_chunks((p for p, _ in entries), "真实目录"))
    # in the catalog the provider is named from the entry's organization (no unit here)
    root = _assert_valid(body)
    assert len(root.findall("g:metadata", NS)) == 100
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", body)
