"""Our profile of ckanext-dcat (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 yiyang``): every
field of catalog-model §1 in DCAT / DCAT-AP 3 terms, on top of DCAT-AP 3's own mapping of
CKAN's core fields (title, description, keywords, distributions, dates), and back again
(``parse_dataset``) so that a harvester rebuilds the entry.

| field                          | term                                                        |
| resource_code                  | ``dct:identifier`` (instead of CKAN's id)                   |
| metadata_id                    | ``dct:identifier`` of the entry's ``dcat:CatalogRecord``    |
| owner_org, provider_department | ``dct:publisher`` (``foaf:Organization``: ``foaf:name``,    |
|                                | ``dct:identifier`` = 统一社会信用代码, ``skos:notation`` =  |
|                                | unit group + unit code), ``yy:providerDepartment``          |
| catalog_category,              | ``dcat:theme``, concepts of the portal's SKOS schemes       |
| subject_category               | (``/vocab/catalog-category``, ``/vocab/subject-category``)  |
| tags                           | ``dcat:keyword``                                            |
| update_cycle                   | ``dct:accrualPeriodicity`` (EU frequency authority) and     |
|                                | ``yy:updateCycle``                                          |
| share_type, disclosure_scope   | ``dct:accessRights`` (EU access-right authority: PUBLIC,    |
|                                | RESTRICTED, NON_PUBLIC) and ``yy:shareType``,               |
|                                | ``yy:disclosureScope`` (concepts of our code lists)         |
| share_condition, share_method  | ``yy:shareCondition``, ``yy:shareMethod``                   |
| open_to_public, open_condition | ``yy:openToPublic`` (boolean), ``yy:openCondition``         |
| format_class, format_type      | ``dct:type`` (concept), ``yy:formatType``                   |
| management_mode                | ``yy:managementMode`` (concept)                             |
| data_items (信息项)            | ``csvw:tableSchema``: an ordered ``csvw:column`` list       |
|                                | (``csvw:name``, ``dct:description``, ``csvw:datatype``,     |
|                                | ``csvw:maxLength``, ``yy:dataType``, ``yy:unit``,           |
|                                | ``yy:disclosureScope``)                                     |
| release_date                   | ``dct:issued``                                              |
| related_resource_codes         | ``yy:relatedResourceCode``, and ``dct:relation`` = the URI  |
|                                | of the entry holding the code (when this catalog has it)    |
| online_url                     | ``dcat:landingPage``                                        |
| service_url, service_type      | a ``dcat:DataService`` (``dcat:endpointURL``, ``dct:type``) |
|                                | serving the entry                                           |
| metadata_contact               | ``dcat:contactPoint`` (``vcard:Organization``, ``vcard:fn``)|
| resources of kind ``service``  | distributions with a ``dcat:accessService``                 |

``yy:`` is :data:`YY`, a fixed namespace (the same on every portal of this project, so a
county's graph reads as the city's). What the reader may see is decided before the profile
runs (the actions it is given the entry by apply §6).
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckanext.dcat.profiles import DCAT, DCT, FOAF, SKOS, VCARD, RDFProfile
from ckanext.dcat.utils import catalog_uri, dataset_uri, resource_uri
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ckanext.yiyang.catalog import codes
from ckanext.yiyang.exchange import vocab

YY = Namespace("http://yiyang.gov.cn/ns/catalog#")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")

#: update_cycle → the EU frequency authority
FREQUENCIES = {
    "realtime": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
}
#: data_type → the XSD datatype of the column
DATATYPES = {
    "integer": XSD.integer,
    "numeric": XSD.decimal,
    "datetime": XSD.dateTime,
    "string": XSD.string,
    "binary": XSD.base64Binary,
}
#: Coded fields carried as concepts of our code lists: field → (predicate, scheme).
CODED = {
    "share_type": (YY.shareType, "share-type"),
    "share_method": (YY.shareMethod, "share-method"),
    "disclosure_scope": (YY.disclosureScope, "disclosure-scope"),
    "management_mode": (YY.managementMode, "management-mode"),
    "update_cycle": (YY.updateCycle, "update-cycle"),
    "format_class": (DCT.type, "format-class"),
}
#: Plain text fields: field → predicate.
TEXTS = {
    "share_condition": YY.shareCondition,
    "open_condition": YY.openCondition,
    "format_type": YY.formatType,
    "provider_department": YY.providerDepartment,
}
#: DCAT-AP's parse of these predicates (extras) is replaced by our fields.
REPLACED_EXTRAS = {
    "identifier",
    "frequency",
    "access_rights",
    "dcat_type",
    "theme",
    "issued",
    "contact_name",
    "contact_uri",
    "related_resource",
}


def access_right(share_type: str | None, scope: str | None) -> URIRef:
    """The EU access right of an entry: NON_PUBLIC when it is not shared or not disclosed,
    PUBLIC when shared unconditionally and wholly public, RESTRICTED otherwise."""
    if share_type == "none" or scope == "undisclosed":
        return ACCESS_RIGHT.NON_PUBLIC
    if share_type == "unconditional" and scope == "public":
        return ACCESS_RIGHT.PUBLIC
    return ACCESS_RIGHT.RESTRICTED


def unit_codes(owner_org: str | None) -> dict[str, str]:
    """``title``, ``name``, ``unit_group``, ``unit_code``, ``credit_code`` of a unit (public
    fields of its organization)."""
    group = model.Group.get(owner_org) if owner_org else None
    if group is None:
        return {}
    extras = group.extras or {}
    return {
        "title": group.title or "",
        "name": group.name,
        "unit_group": extras.get("unit_group") or "",
        "unit_code": extras.get("unit_code") or "",
        "credit_code": extras.get("credit_code") or "",
    }


class YiyangDCATProfile(RDFProfile):
    """Catalog-model §1 in DCAT-AP 3 terms (after ``euro_dcat_ap_3``), and back."""

    # Out

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref: Any) -> None:
        """The catalog names the portal's two classification trees as its theme taxonomies."""
        for scheme in (vocab.CATALOG_CATEGORY, vocab.SUBJECT_CATEGORY):
            self.g.add((catalog_ref, DCAT.themeTaxonomy, vocab.scheme_uri(scheme)))
            self.g.add((vocab.scheme_uri(scheme), RDF.type, SKOS.ConceptScheme))

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        g: Graph = self.g
        g.bind("yy", YY)
        g.bind("csvw", CSVW)
        g.bind("skos", SKOS)
        d = dataset_dict
        self._replace(dataset_ref, DCT.identifier, Literal(d.get("resource_code") or d["id"]))
        self._record(d, dataset_ref)
        self._publisher(d, dataset_ref)
        g.remove((dataset_ref, DCAT.theme, None))
        for field, scheme in (
            ("catalog_category", vocab.CATALOG_CATEGORY),
            ("subject_category", vocab.SUBJECT_CATEGORY),
        ):
            if d.get(field):
                g.add((dataset_ref, DCAT.theme, vocab.add_concept(g, scheme, str(d[field]))))
        g.remove((dataset_ref, DCT.type, None))
        for field, (predicate, scheme) in CODED.items():
            if d.get(field):
                g.add((dataset_ref, predicate, vocab.add_concept(g, scheme, str(d[field]))))
        for field, predicate in TEXTS.items():
            if d.get(field):
                g.add((dataset_ref, predicate, Literal(d[field])))
        if d.get("update_cycle") in FREQUENCIES:
            self._replace(
                dataset_ref, DCT.accrualPeriodicity, FREQUENCY[FREQUENCIES[d["update_cycle"]]]
            )
            g.add((FREQUENCY[FREQUENCIES[d["update_cycle"]]], RDF.type, DCT.Frequency))
        self._replace(
            dataset_ref,
            DCT.accessRights,
            access_right(d.get("share_type"), d.get("disclosure_scope")),
        )
        if d.get("open_to_public") in ("yes", "no"):
            g.add((dataset_ref, YY.openToPublic, Literal(d["open_to_public"] == "yes")))
        g.remove((dataset_ref, DCT.issued, None))
        if d.get("release_date"):
            g.add((dataset_ref, DCT.issued, _date(d["release_date"])))
        for code in d.get("related_resource_codes") or []:
            g.add((dataset_ref, YY.relatedResourceCode, Literal(code)))
            related = codes.package_id_by_code(code)
            if related:
                g.add((dataset_ref, DCT.relation, URIRef(dataset_uri({"id": related}))))
        if d.get("online_url"):
            self._replace(dataset_ref, DCAT.landingPage, URIRef(d["online_url"]))
        if d.get("metadata_contact"):
            contact = BNode()
            self._replace(dataset_ref, DCAT.contactPoint, contact)
            g.add((contact, RDF.type, VCARD.Organization))
            g.add((contact, VCARD.fn, Literal(d["metadata_contact"])))
        self._table_schema(d.get("data_items") or [], dataset_ref)
        self._services(d, dataset_ref)

    def _replace(self, subject: Any, predicate: Any, value: Any) -> None:
        self.g.remove((subject, predicate, None))
        self.g.add((subject, predicate, value))

    def _record(self, d: dict[str, Any], dataset_ref: Any) -> None:
        """The entry's metadata record: its own identifier (元数据标识符) and update date."""
        if not d.get("metadata_id"):
            return
        record = URIRef(f"{dataset_ref}#record")
        g = self.g
        g.add((record, RDF.type, DCAT.CatalogRecord))
        g.add((record, FOAF.primaryTopic, dataset_ref))
        g.add((record, DCT.identifier, Literal(d["metadata_id"])))
        if d.get("metadata_modified"):
            g.add((record, DCT.modified, _date(d["metadata_modified"])))
        catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
        if catalogs:
            g.add((catalogs[0], DCAT.record, record))

    def _publisher(self, d: dict[str, Any], dataset_ref: Any) -> None:
        unit = unit_codes(d.get("owner_org"))
        if not unit:
            return
        g = self.g
        for old in list(g.objects(dataset_ref, DCT.publisher)):
            g.remove((old, None, None))
        publisher = URIRef(f"{catalog_uri().rstrip('/')}/organization/{unit['name']}")
        self._replace(dataset_ref, DCT.publisher, publisher)
        g.add((publisher, RDF.type, FOAF.Organization))
        g.add((publisher, FOAF.name, Literal(unit["title"])))
        if unit["credit_code"]:
            g.add((publisher, DCT.identifier, Literal(unit["credit_code"])))
        if unit["unit_group"] and unit["unit_code"]:
            g.add((publisher, SKOS.notation, Literal(unit["unit_group"] + unit["unit_code"])))
            g.add((publisher, YY.unitGroup, Literal(unit["unit_group"])))
            g.add((publisher, YY.unitCode, Literal(unit["unit_code"])))

    def _table_schema(self, items: list[dict[str, Any]], dataset_ref: Any) -> None:
        """The 信息项 as a CSVW table schema, in their order."""
        if not items:
            return
        g = self.g
        schema = BNode()
        g.add((dataset_ref, CSVW.tableSchema, schema))
        g.add((schema, RDF.type, CSVW.Schema))
        columns: list[Node] = []
        for item in items:
            column = BNode()
            g.add((column, RDF.type, CSVW.Column))
            g.add((column, CSVW.name, Literal(item.get("name") or "")))
            if item.get("description"):
                g.add((column, DCT.description, Literal(item["description"])))
            data_type = item.get("data_type")
            if data_type:
                g.add((column, YY.dataType, vocab.add_concept(g, "data-type", data_type)))
                if data_type in DATATYPES:
                    g.add((column, CSVW.datatype, DATATYPES[data_type]))
            if item.get("length") not in (None, ""):
                g.add((column, CSVW.maxLength, Literal(int(item["length"]))))
            if item.get("unit"):
                g.add((column, YY.unit, Literal(item["unit"])))
            if item.get("disclosure_scope"):
                scope = vocab.add_concept(g, "disclosure-scope", item["disclosure_scope"])
                g.add((column, YY.disclosureScope, scope))
            columns.append(column)
        head = BNode()
        Collection(g, head, columns)
        g.add((schema, CSVW.column, head))

    def _services(self, d: dict[str, Any], dataset_ref: Any) -> None:
        """服务信息 and the resources of kind ``service`` as ``dcat:DataService``s."""
        g = self.g
        if d.get("service_url"):
            service = URIRef(f"{dataset_ref}#service")
            g.add((service, RDF.type, DCAT.DataService))
            g.add((service, DCAT.endpointURL, URIRef(d["service_url"])))
            g.add((service, DCAT.servesDataset, dataset_ref))
            g.add((service, DCT.title, Literal(d.get("title") or "")))
            if d.get("service_type"):
                g.add((service, DCT.type, Literal(d["service_type"])))
            g.add((dataset_ref, YY.service, service))
        for resource in d.get("resources") or []:
            if resource.get("resource_kind") != "service":
                continue
            distribution = URIRef(resource_uri(resource))
            service = URIRef(f"{distribution}#service")
            g.add((distribution, DCAT.accessService, service))
            g.add((service, RDF.type, DCAT.DataService))
            endpoint = resource.get("service_url") or resource.get("url")
            if endpoint:
                g.add((service, DCAT.endpointURL, URIRef(endpoint)))
            g.add((service, DCAT.servesDataset, dataset_ref))
            g.add((service, DCT.title, Literal(resource.get("name") or "")))

    # Back

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        g: Graph = self.g
        d = dataset_dict
        d["extras"] = [e for e in d.get("extras", []) if e["key"] not in REPLACED_EXTRAS]
        identifier = g.value(dataset_ref, DCT.identifier)
        if identifier is not None:
            d["resource_code"] = str(identifier)
        for record in g.subjects(FOAF.primaryTopic, dataset_ref):
            if g.value(record, DCT.identifier) is not None:
                d["metadata_id"] = str(g.value(record, DCT.identifier))
        for theme in g.objects(dataset_ref, DCAT.theme):
            scheme, code = vocab.read_concept(g, theme)
            if scheme == vocab.CATALOG_CATEGORY:
                d["catalog_category"] = code
            elif scheme == vocab.SUBJECT_CATEGORY:
                d["subject_category"] = code
        for field, (predicate, _scheme) in CODED.items():
            value = g.value(dataset_ref, predicate)
            if value is not None:
                d[field] = vocab.read_concept(g, value)[1]
        if "update_cycle" not in d:
            frequency = str(g.value(dataset_ref, DCT.accrualPeriodicity) or "")
            for cycle, code in FREQUENCIES.items():
                if frequency.endswith(f"/{code}"):
                    d["update_cycle"] = cycle
        for field, predicate in TEXTS.items():
            value = g.value(dataset_ref, predicate)
            if value is not None:
                d[field] = str(value)
        opened = g.value(dataset_ref, YY.openToPublic)
        if opened is not None:
            d["open_to_public"] = "yes" if opened.toPython() is True else "no"
        issued = g.value(dataset_ref, DCT.issued)
        if issued is not None:
            d["release_date"] = str(issued)[:10]
        codes = sorted(str(c) for c in g.objects(dataset_ref, YY.relatedResourceCode))
        if codes:
            d["related_resource_codes"] = codes
        if d.get("url"):
            d["online_url"] = d.pop("url")
        contact = g.value(dataset_ref, DCAT.contactPoint)
        if contact is not None and g.value(contact, VCARD.fn) is not None:
            d["metadata_contact"] = str(g.value(contact, VCARD.fn))
        publisher = g.value(dataset_ref, DCT.publisher)
        if publisher is not None:
            d["publisher"] = {
                "uri": str(publisher) if isinstance(publisher, URIRef) else "",
                "title": str(g.value(publisher, FOAF.name) or ""),
                "credit_code": str(g.value(publisher, DCT.identifier) or ""),
                "unit_group": str(g.value(publisher, YY.unitGroup) or ""),
                "unit_code": str(g.value(publisher, YY.unitCode) or ""),
            }
        items = self._parse_items(dataset_ref)
        if items:
            d["data_items"] = items
        service = g.value(dataset_ref, YY.service)
        if service is not None:
            d["service_url"] = str(g.value(service, DCAT.endpointURL) or "")
            if g.value(service, DCT.type) is not None:
                d["service_type"] = str(g.value(service, DCT.type))
        for resource in d.get("resources", []):
            ref = resource.get("distribution_ref")
            access = g.value(URIRef(ref), DCAT.accessService) if ref else None
            if access is not None:
                resource["resource_kind"] = "service"
                endpoint = g.value(access, DCAT.endpointURL)
                if endpoint is not None:
                    resource["service_url"] = str(endpoint)
        return d

    def _parse_items(self, dataset_ref: Any) -> list[dict[str, Any]]:
        g = self.g
        schema = g.value(dataset_ref, CSVW.tableSchema)
        head = g.value(schema, CSVW.column) if schema is not None else None
        if head is None:
            return []
        items = []
        for column in Collection(g, head):
            item: dict[str, Any] = {"name": str(g.value(column, CSVW.name) or "")}
            for key, predicate in (("description", DCT.description), ("unit", YY.unit)):
                if g.value(column, predicate) is not None:
                    item[key] = str(g.value(column, predicate))
            for key, predicate in (
                ("data_type", YY.dataType),
                ("disclosure_scope", YY.disclosureScope),
            ):
                if g.value(column, predicate) is not None:
                    item[key] = vocab.read_concept(g, g.value(column, predicate))[1]
            if "data_type" not in item:
                datatype = g.value(column, CSVW.datatype)
                for name, xsd in DATATYPES.items():
                    if datatype == xsd:
                        item["data_type"] = name
            length = g.value(column, CSVW.maxLength)
            if length is not None:
                item["length"] = int(length)
            items.append(item)
        return items


def _date(value: str) -> Literal:
    """A date or date-time of the entry as a typed literal."""
    text = str(value)
    if len(text) == 10:
        return Literal(text, datatype=XSD.date)
    return Literal(text[:19], datatype=XSD.dateTime)
