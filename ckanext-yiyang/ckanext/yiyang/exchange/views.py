"""The exchange's routes: the concept schemes (``/vocab/<scheme>.<format>``), the GB/T 21063.3
XML of an entry (``/dataset/<id>/gbt21063.xml``) and of the catalog (``/catalog/gbt21063.xml``,
streamed), and the API guide (``/api-guide``). The DCAT endpoints are ckanext-dcat's
(``/catalog.<format>``, ``/dataset/<id>.<format>``), through the actions of ``logic``."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, stream_with_context
from flask.typing import ResponseReturnValue

from ckanext.yiyang.exchange import gbt21063, guide, search, vocab
from ckanext.yiyang.exchange.logic.action import entry_for_export

exchange = Blueprint("yiyang_exchange", __name__)

XML = "application/xml; charset=utf-8"
RDF_FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "xml": ("pretty-xml", "application/rdf+xml"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


@exchange.route("/vocab/<scheme>.<fmt>")
def concept_scheme(scheme: str, fmt: str) -> ResponseReturnValue:
    """A classification tree or code list as a SKOS concept scheme (public: codes only)."""
    if scheme not in vocab.SCHEMES or fmt not in RDF_FORMATS:
        return tk.abort(404, tk._("No such concept scheme"))
    rdflib_format, mimetype = RDF_FORMATS[fmt]
    body = vocab.scheme_graph(scheme).serialize(format=rdflib_format)
    return Response(body, mimetype=mimetype.split(";")[0], content_type=mimetype)


@exchange.route("/dataset/<id>/gbt21063.xml")
def entry_xml(id: str) -> ResponseReturnValue:
    """One entry's GB/T 21063.3 core metadata, as the reader may see it."""
    try:
        pkg_dict = entry_for_export(_context(), id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    response = Response(gbt21063.entry_xml(pkg_dict), content_type=XML)
    filename = (pkg_dict.get("resource_code") or pkg_dict["name"]).replace("/", "-")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.xml"'
    return response


@exchange.route("/catalog/gbt21063.xml")
def catalog_xml() -> ResponseReturnValue:
    """The whole catalog the reader may see (``q``, ``modified_since`` narrow it), streamed."""
    params = {key: tk.request.args.get(key) for key in ("q", "modified_since")}
    context = _context()
    try:
        search.modified_filter(params["modified_since"])
        entries = search.every_entry(context, params)
        first = next(entries, None)
    except tk.ValidationError as error:
        return tk.abort(400, "; ".join(str(m) for ms in error.error_dict.values() for m in ms))

    def all_entries() -> Any:
        if first is not None:
            yield first
            yield from entries

    body = gbt21063.catalog_chunks(all_entries(), tk.config.get("ckan.site_title") or "")
    response = Response(stream_with_context(body), content_type=XML)
    response.headers["Content-Disposition"] = 'inline; filename="catalog-gbt21063.xml"'
    return response


@exchange.route("/api-guide")
def api_guide() -> ResponseReturnValue:
    """Every action of ours, with its parameters, who may call it and examples."""
    return tk.render(
        "yiyang/exchange/api_guide.html",
        {"actions": guide.actions(), "site_url": tk.config.get("ckan.site_url", "")},
    )
