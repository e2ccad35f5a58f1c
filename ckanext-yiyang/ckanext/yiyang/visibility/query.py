"""What a search of a viewer outside government may ask Solr (catalog-model §6).

The non-public 信息项 of partly public entries are in the index (government viewers search
them), in fields of their own. Checking the text of a query for those fields' names cannot
work — Solr unescapes field names (``yiyang\\_gov_items``), accepts them in ``qf``/``df``,
in function queries (``termfreq(…)`` in ``fl``, ``sort``, ``bf``) and facets — so an outsider's
search may carry only the parameters and name only the fields on the lists below; anything else
is refused with the parameter named, before the query reaches Solr.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk

#: Parameters an outsider's search may carry (as ``package_search`` hands them to the
#: ``before_dataset_search`` hooks), each checked by ``_CHECKS`` where it has a shape.
ALLOWED_PARAMETERS = frozenset(
    {
        "q",
        "fq",
        "fq_list",
        "rows",
        "start",
        "sort",
        "fl",
        "facet",
        "facet.field",
        "facet.limit",
        "facet.mincount",
        "include_private",
        "include_drafts",
        "include_deleted",
        "use_default_schema",
        "extras",
        "df",
        "mm",
        "abort_search",
    }
)

#: Index fields an outsider's query may name (CKAN's own and the catalog's public fields).
PUBLIC_FIELDS = frozenset(
    {
        # CKAN's
        "id",
        "site_id",
        "index_id",
        "entity_type",
        "dataset_type",
        "type",
        "name",
        "title",
        "title_string",
        "title_ngram",
        "name_ngram",
        "notes",
        "text",
        "urls",
        "url",
        "ckan_url",
        "download_url",
        "tags",
        "groups",
        "organization",
        "owner_org",
        "capacity",
        "state",
        "private",
        "permission_labels",
        "license",
        "license_id",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "version",
        "creator_user_id",
        "metadata_created",
        "metadata_modified",
        "num_resources",
        "num_tags",
        "views_total",
        "views_recent",
        # the catalog's (schemas/dataset.yaml; data_items is not among them)
        "provider_department",
        "catalog_category",
        "subject_category",
        "resource_code",
        "metadata_id",
        "format_class",
        "format_type",
        "share_type",
        "share_condition",
        "share_method",
        "open_to_public",
        "open_condition",
        "update_cycle",
        "disclosure_scope",
        "management_mode",
        "release_date",
        "related_resource_codes",
        "online_url",
        "service_url",
        "service_type",
        "metadata_contact",
        "review_status",
        "yiyang_uni",
        "yiyang_unit_group",
        "has_objection",  # 有异议 (issue 14.2): whoever sees the entry sees its mark
    }
)
#: Families of public fields (dynamic fields of the configset). Resource fields of entries
#: shared on application are not in the index at all (``index``).
PUBLIC_FIELD_PREFIXES = ("extras_", "res_", "vocab_", "yiyang_txt_", "yiyang_ss_")
#: Fields a result may carry (``fl``) beyond the searchable ones: the whole entry, which
#: ``redaction`` cuts for the viewer, and the score.
RESULT_FIELDS = frozenset({"validated_data_dict", "data_dict", "score"})
#: Fields results may be sorted by.
SORT_FIELDS = frozenset(
    {
        "score",
        "id",
        "name",
        "title_string",
        "metadata_modified",
        "metadata_created",
        "views_recent",
        "view_recent",  # what CKAN's own home page sorts by
        "views_total",
        "resource_code",
        "release_date",
    }
)
#: Fields that may be faceted: the search page's (``catalog.search.facets``), CKAN's defaults
#: and the ones the catalog's own counts use.
FACET_FIELDS = frozenset(
    {
        "yiyang_ss_catalog",
        "subject_category",
        "organization",
        "owner_org",
        "yiyang_unit_group",
        "share_type",
        "open_to_public",
        "disclosure_scope",
        "update_cycle",
        "format_class",
        "management_mode",
        "catalog_category",
        "review_status",
        "tags",
        "groups",
        "res_format",
        "license_id",
        "dataset_type",
        "has_objection",
    }
)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_MM = re.compile(r"^[0-9%<\-\s]{1,40}$")
_SORT_PART = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s+(asc|desc)\s*$", re.IGNORECASE)
# The value of ``*:*`` (everything), after its colon.
_MATCH_ALL = re.compile(r"\s*\*(?=$|[\s)])")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\(.)", re.DOTALL)
# Characters that end a term and begin no field name (Lucene's syntax; "/" starts a regular
# expression, taken here as a separator: more names seen, never fewer).
_SEPARATORS = frozenset("()^~!/")


class Unbalanced(ValueError):
    """A quote or range that does not end: Solr would refuse it, so is it here."""


def _unescape(term: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], term)


def public_field(name: str) -> bool:
    """An outsider's query may name this field."""
    return bool(_NAME.match(name)) and (
        name in PUBLIC_FIELDS or name.startswith(PUBLIC_FIELD_PREFIXES)
    )


def _closing(query: str, i: int, ends: str) -> int:
    """The index of the first of ``ends`` from ``i`` on, escapes (and, in a range, quoted
    bounds) skipped."""
    while i < len(query):
        c = query[i]
        if c == "\\":
            i += 2
        elif c == '"' and ends != '"':
            i = _closing(query, i + 1, '"') + 1
        elif c in ends:
            return i
        else:
            i += 1
    raise Unbalanced(query)


def named_fields(query: str) -> list[str]:
    """The field names ``query`` (Lucene syntax) refers to — a term before a colon, maybe with
    whitespace between — unescaped as Solr reads them; ``*:*`` (everything) names ``*``.
    Quoted phrases and ranges are values; anything else that may be a field counts as one."""
    names: list[str] = []
    term: list[str] = []
    last: str | None = None  # the term before the whitespace just read
    i = 0
    while i < len(query):
        c = query[i]
        if c == "\\":
            width = 6 if query[i + 1 : i + 2] == "u" else 2
            term.append(query[i : i + width])
            i += width
            continue
        if c == '"':
            i = _closing(query, i + 1, '"') + 1
        elif c in "[{":
            i = _closing(query, i + 1, "]}") + 1
        elif c == ":":
            name = "".join(term) or last
            if name and not (name == "*" and _MATCH_ALL.match(query, i + 1)):
                names.append(_unescape(name).lstrip("+-"))
            i += 1
        elif c.isspace():
            if term:
                last = "".join(term)
                term = []
            i += 1
            continue
        elif c in _SEPARATORS or (c in "+-" and not term):
            i += 1
        else:
            term.append(c)
            i += 1
            continue
        term, last = [], None
    return names


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif value is not None:
        yield str(value)


def _refuse(parameter: str) -> None:
    from ckan.lib.search.common import SearchQueryError

    raise SearchQueryError(
        tk._("This search parameter is not allowed: {parameter}").format(parameter=parameter)
    )


def _check_query(parameter: str, value: Any) -> None:
    for text in _strings(value):
        if "{!" in text or "_query_" in text or "_val_" in text:
            _refuse(parameter)
        try:
            names = named_fields(text)
        except Unbalanced:
            _refuse(parameter)
        for name in names:
            if not public_field(name):
                _refuse(f"{parameter} ({name.lower()})")  # as the field is usually spelt


def _check_fl(parameter: str, value: Any) -> None:
    for text in _strings(value):
        for name in (n for n in re.split(r"[\s,]+", text) if n):
            if not (public_field(name) or name in RESULT_FIELDS):
                _refuse(f"{parameter} ({name.lower()})")  # as the field is usually spelt


def _check_sort(parameter: str, value: Any) -> None:
    for text in _strings(value):
        for part in text.split(","):
            match = _SORT_PART.match(part)
            if part.strip() and (match is None or match[1] not in SORT_FIELDS):
                _refuse(f"{parameter} ({part.strip()})")


def _check_facets(parameter: str, value: Any) -> None:
    for name in _strings(value):
        if name not in FACET_FIELDS:
            _refuse(f"{parameter} ({name})")


def _check_df(parameter: str, value: Any) -> None:
    if value not in (None, "", "text"):
        _refuse(parameter)


def _check_mm(parameter: str, value: Any) -> None:
    if not (isinstance(value, str | int) and _MM.match(str(value))):
        _refuse(parameter)


_CHECKS = {
    "q": _check_query,
    "fq": _check_query,
    "fq_list": _check_query,
    "fl": _check_fl,
    "sort": _check_sort,
    "facet.field": _check_facets,
    "df": _check_df,
    "mm": _check_mm,
}


def check_local_parameters(search_params: dict[str, Any]) -> None:
    """Refuse anybody's query that carries Solr local parameters (``{!…}``), as CKAN does
    unless a parser is allowed: the catalog allows ``edismax`` for its own use
    (``catalog.search.MOST_WORDS``), never for a caller's."""
    for parameter in ("q", "fq", "fq_list"):
        if any("{!" in text for text in _strings(search_params.get(parameter))):
            _refuse(parameter)


def check(search_params: dict[str, Any]) -> None:
    """Refuse (``SearchQueryError``, naming the parameter) an outsider's search that carries a
    parameter or names a field not on the lists above."""
    for parameter, value in search_params.items():
        if parameter not in ALLOWED_PARAMETERS:
            _refuse(parameter)
        checker = _CHECKS.get(parameter)
        if checker is not None:
            checker(parameter, value)
