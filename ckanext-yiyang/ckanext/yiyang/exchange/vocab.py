"""The classification trees (catalog-model §3) and the code lists of §1 as SKOS concept
schemes, published by the portal itself (``/vocab/<scheme>.<format>``): DCAT's ``dcat:theme``
and the profile's coded values point at their concepts.

A concept's URI is ``<catalog URI>/vocab/<scheme>/<code>``; the graph of an entry repeats the
concept's ``skos:notation`` and ``skos:inScheme``, so a harvester reads the code without
resolving the URI (a county's concepts live under the county's address).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ckanext.dcat.utils import catalog_uri
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ckanext.yiyang.catalog import categories
from ckanext.yiyang.catalog import schema as catalog_schema

CATALOG_CATEGORY = "catalog-category"
SUBJECT_CATEGORY = "subject-category"
#: Code-list schemes: the scheme's name → the field (choice list) of catalog-model §1.
CODE_LISTS = {
    "format-class": "format_class",
    "share-type": "share_type",
    "share-method": "share_method",
    "update-cycle": "update_cycle",
    "disclosure-scope": "disclosure_scope",
    "management-mode": "management_mode",
    "data-type": "data_type",
}
SCHEMES = (CATALOG_CATEGORY, SUBJECT_CATEGORY, *CODE_LISTS)
TITLES = {
    CATALOG_CATEGORY: ("资源属性分类", "Catalog classification"),
    SUBJECT_CATEGORY: ("主题分类（GB/T 21063.4）", "Subject classification (GB/T 21063.4)"),
    "format-class": ("信息资源格式分类", "Resource format class"),
    "share-type": ("共享类型", "Share type"),
    "share-method": ("共享方式", "Share method"),
    "update-cycle": ("更新周期", "Update cycle"),
    "disclosure-scope": ("公开范围", "Disclosure scope"),
    "management-mode": ("管理方式", "Management mode"),
    "data-type": ("数据类型", "Data type"),
}


def scheme_uri(scheme: str) -> URIRef:
    return URIRef(f"{catalog_uri().rstrip('/')}/vocab/{scheme}")


def concept_uri(scheme: str, code: str) -> URIRef:
    return URIRef(f"{scheme_uri(scheme)}/{code}")


def scheme_of(uri: Any) -> str | None:
    """The name of the scheme whose URI (of any portal) ``uri`` is."""
    text = str(uri or "").rstrip("/")
    for scheme in SCHEMES:
        if text.endswith(f"/vocab/{scheme}"):
            return scheme
    return None


def _nodes(scheme: str) -> list[tuple[str, str, str, str | None]]:
    """``(code, title, title_en, parent)`` of every concept of ``scheme``."""
    if scheme == CATALOG_CATEGORY:
        return [
            (c.code, c.title, c.title_en, c.parent) for c in categories.catalog_nodes().values()
        ]
    if scheme == SUBJECT_CATEGORY:
        return [(c.code, c.title, c.title_en, None) for c in categories.subject_classes().values()]
    return [
        (c["value"], c["label"]["zh_Hans_CN"], c["label"]["en"], None)
        for c in catalog_schema.CHOICES[CODE_LISTS[scheme]]
    ]


def label(scheme: str, code: str) -> tuple[str, str]:
    """The Chinese and English labels of ``code`` in ``scheme`` (the code itself if unknown)."""
    for node_code, title, title_en, _parent in _nodes(scheme):
        if node_code == code:
            return title, title_en
    return code, code


def add_concept(graph: Graph, scheme: str, code: str) -> URIRef:
    """``code`` of ``scheme`` as a concept in ``graph``, with what a harvester needs to read it
    back (notation, scheme, labels)."""
    uri = concept_uri(scheme, code)
    title, title_en = label(scheme, code)
    graph.add((uri, RDF.type, SKOS.Concept))
    graph.add((uri, SKOS.notation, Literal(code)))
    graph.add((uri, SKOS.inScheme, scheme_uri(scheme)))
    graph.add((uri, SKOS.prefLabel, Literal(title, lang="zh")))
    if title_en and title_en != title:
        graph.add((uri, SKOS.prefLabel, Literal(title_en, lang="en")))
    return uri


def read_concept(graph: Graph, uri: Any) -> tuple[str | None, str | None]:
    """``(scheme, code)`` of a concept in ``graph`` (by its notation and scheme, else by its
    URI's last segments)."""
    scheme = scheme_of(graph.value(uri, SKOS.inScheme))
    code = graph.value(uri, SKOS.notation)
    if scheme is None or code is None:
        head, _, tail = str(uri).rstrip("/").rpartition("/")
        scheme = scheme or scheme_of(head)
        code = code if code is not None else tail
    return scheme, str(code) if code is not None else None


def scheme_graph(scheme: str) -> Graph:
    """The whole concept scheme ``scheme`` (a tree: ``skos:broader``/``skos:narrower``)."""
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    uri = scheme_uri(scheme)
    title, title_en = TITLES[scheme]
    graph.add((uri, RDF.type, SKOS.ConceptScheme))
    graph.add((uri, DCTERMS.title, Literal(title, lang="zh")))
    graph.add((uri, DCTERMS.title, Literal(title_en, lang="en")))
    nodes = _nodes(scheme)
    for code, _title, _en, parent in nodes:
        concept = add_concept(graph, scheme, code)
        if parent:
            graph.add((concept, SKOS.broader, concept_uri(scheme, parent)))
            graph.add((concept_uri(scheme, parent), SKOS.narrower, concept))
        else:
            graph.add((concept, SKOS.topConceptOf, uri))
            graph.add((uri, SKOS.hasTopConcept, concept))
    return graph


def all_schemes() -> Iterable[str]:
    return SCHEMES
