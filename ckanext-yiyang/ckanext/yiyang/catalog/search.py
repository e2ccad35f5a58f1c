"""How entries are indexed, searched and faceted (catalog-model §1, §3).

Everything a user searches by is indexed as Chinese text (the configset's CJK bigrams): title,
summary, keywords, unit name, the names and descriptions of the 信息项, the resource code.
The query weights a hit in the title above one in the summary, and that above one in an item.
Facets are stored codes; they are shown with their labels (``label_facets``). What of an entry
is indexed for whom, and which fields an outsider may not search, is ``visibility.index``'s.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from typing import Any

from ckan import model

from ckanext.yiyang.catalog import categories, schema
from ckanext.yiyang.visibility.index import ITEMS_FIELD

CATALOG_FACET = "yiyang_ss_catalog"
UNIT_GROUP_FIELD = "yiyang_unit_group"
#: "true" while an objection to the entry is open (有异议, issue 14.2): a facet and filter.
OBJECTION_FIELD = "has_objection"

# Field → weight. `text` holds everything (copyFields) and catches the rest.
QUERY_FIELDS = " ".join(
    [
        "title^10",
        "yiyang_txt_code^10",
        "name^4",
        "yiyang_txt_keywords^5",
        "yiyang_txt_unit^3",
        "notes^2",
        f"{ITEMS_FIELD}^1",
        "text^0.5",
        "yiyang_uni^0.2",
    ]
)

#: The configset's word-segmented copy of title, summary and the yiyang_txt_* fields (ICU's
#: word breaker, query-time synonyms_gov.txt): below the title's pairs, so an exact phrase or
#: title still ranks first, above the catch-all.
WORDS_FIELD = "yiyang_words"
WORDS_WEIGHT = 1.5
#: The title alone in words: its words and synonyms rank above those found elsewhere.
TITLE_WORDS_FIELD = "yiyang_title_words"
TITLE_WORDS_WEIGHT = 4

# Free text stored as extras: searchable through `extras_<name>` (text), never as the plain
# single string field CKAN also writes (a long value there would be rejected by Solr).
_FREE_TEXT = (
    "share_condition",
    "open_condition",
    "provider_department",
    "format_type",
    "metadata_contact",
    "service_type",
    "online_url",
    "service_url",
)


def facets(facets_dict: OrderedDict[str, Any]) -> OrderedDict[str, Any]:
    """The search page's facets, in the order a catalog user looks for them."""
    from ckan.plugins.toolkit import _

    ours: OrderedDict[str, Any] = OrderedDict()
    ours[CATALOG_FACET] = _("Catalog category")
    ours["subject_category"] = _("Subject class")
    ours["organization"] = _("Provider")
    ours[UNIT_GROUP_FIELD] = _("Unit group")
    ours["share_type"] = _("Share type")
    ours["disclosure_scope"] = _("Disclosure scope")
    ours["update_cycle"] = _("Update cycle")
    ours["format_class"] = _("Format class")
    ours["management_mode"] = _("Management mode")
    ours[OBJECTION_FIELD] = _("Objection")
    ours["tags"] = _("Keywords")
    return ours


def _unit_group(org_id: str | None) -> str | None:
    if not org_id:
        return None
    group = model.Group.get(org_id)
    return (group.extras or {}).get("unit_group") if group is not None else None


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: flatten what scheming stores as JSON into searchable fields
    (the 信息项 are split by who may see them before, in ``visibility.index``)."""
    validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")

    code = validated.get("resource_code")
    if code:
        pkg_dict["yiyang_txt_code"] = [code]
    pkg_dict["yiyang_txt_keywords"] = list(pkg_dict.get("tags") or [])

    org = validated.get("organization") or {}
    if org.get("title"):
        pkg_dict["yiyang_txt_unit"] = [org["title"]]
    unit_group = _unit_group(validated.get("owner_org"))
    if unit_group:
        pkg_dict[UNIT_GROUP_FIELD] = unit_group

    category = validated.get("catalog_category")
    if category:
        pkg_dict[CATALOG_FACET] = categories.ancestors(category) or [category]

    related = validated.get("related_resource_codes") or []
    pkg_dict["yiyang_ss_related"] = related if isinstance(related, list) else []

    from ckanext.yiyang.objection.workflow import marked

    pkg_dict[OBJECTION_FIELD] = "true" if marked(pkg_dict["id"]) else "false"

    for key in ("data_items", "related_resource_codes", *_FREE_TEXT):
        pkg_dict.pop(key, None)
    pkg_dict.pop("extras_data_items", None)
    pkg_dict.pop("extras_related_resource_codes", None)
    return pkg_dict


def facet_counts(context: Any, fields: list[str]) -> tuple[dict[str, dict[str, int]], int]:
    """Entry counts per value of ``fields`` among what the caller may see, and the total."""
    from ckan.plugins import toolkit as tk

    result = tk.get_action("package_search")(
        {"user": context.get("user")},
        {
            "q": "*:*",
            "rows": 0,
            "facet.field": fields,
            "facet.limit": -1,
            "facet.mincount": 1,
            "include_private": True,
        },
    )
    counts = {
        field: {i["name"]: i["count"] for i in result["search_facets"][field]["items"]}
        for field in fields
    }
    return counts, result["count"]


# What dismax takes literally and edismax would not: its partialEscape (SolrPluginUtils)
# escapes these; its parser knows no AND/OR/NOT, and drops the quotes of an odd count.
_EDISMAX_SYNTAX = re.compile(r"([\\!():^\[\]{}~*?/])")
_OPERATORS = re.compile(r"\b(AND|OR|NOT)\b|&&|\|\|")


def dismax_text(q: str) -> str:
    """``q`` as edismax must see it to read it as CKAN's dismax did: the wildcards, ranges,
    fuzziness and operators of the full syntax made plain text (上海市**年… is a title with
    stars, not a wildcard query); + and - and "phrases" keep their meaning."""
    if q.count('"') % 2:
        q = q.replace('"', "")
    q = _EDISMAX_SYNTAX.sub(r"\\\1", q)
    return _OPERATORS.sub(lambda m: m.group(0).lower() if m.group(1) else " ", q)


def words_enabled() -> bool:
    """Search the word-segmented field too (``ckanext.yiyang.search.words``)."""
    from ckan.plugins import toolkit as tk

    return bool(tk.config.get("ckanext.yiyang.search.words", True))


def word_match() -> str:
    """How many of a query's words a found entry must have (``ckanext.yiyang.search.word_match``):
    ``all``, or ``most`` (CKAN's minimum-should-match, ``2<-1 5<80%``: one word of three or
    four may be missing, a fifth of five or more)."""
    from ckan.plugins import toolkit as tk

    value = str(tk.config.get("ckanext.yiyang.search.word_match") or "most")
    return value if value in ("all", "most") else "most"


#: The local parameters that make edismax apply CKAN's minimum-should-match to the words one
#: query word is cut into (CKAN sends ``q.op=AND``, under which Solr requires all of them and
#: ignores ``mm``; ``q.op`` is not one of the parameters ``package_search`` passes on).
MOST_WORDS = "{!edismax q.op=OR}"


def search_params(
    search_params: dict[str, Any], viewer_fields: str = "", viewer_word_fields: str = ""
) -> dict[str, Any]:
    """``before_dataset_search``: our field weights unless the caller chose its own, with the
    fields only this viewer's queries search (``visibility.index.query_fields``).

    With the word fields (issue 16.2) a free-text query (no ``field:`` in it, which CKAN hands
    to the standard parser) is parsed by edismax instead of CKAN's dismax: both split the
    query on whitespace and make each query word a phrase of character pairs, but only
    edismax applies the query's operator to the words one query word is cut into — CKAN's
    q.op=AND: all of them, in any order — so 企业注册信息 (企业|注册|信息) finds
    企业注册登记信息, where dismax would take any one of them. The text is made plain first
    (``dismax_text``). A caller's own ``mm`` keeps dismax. An outsider's query was checked
    before (``visibility.query``): it names no field beyond the public ones and has no local
    parameters."""
    if not search_params.get("defType") and "qf" not in search_params:
        fields = QUERY_FIELDS + viewer_fields
        if words_enabled():
            fields += f" {TITLE_WORDS_FIELD}^{TITLE_WORDS_WEIGHT} {WORDS_FIELD}^{WORDS_WEIGHT}"
            fields += viewer_word_fields
            q = search_params.get("q") or ""
            # a caller that sets its own minimum-should-match (a demand's many loose words:
            # yiyang_demand_suggest) keeps dismax, which applies it to the query's words
            if q and ":" not in q and "mm" not in search_params:
                if word_match() == "most":
                    # Solr reads a query's local parameters only under the standard parser;
                    # CKAN reads them up to the query's last brace: none in the words (a
                    # brace is no part of a title's words)
                    search_params["defType"] = "lucene"
                    plain = dismax_text(q.replace("{", " ").replace("}", " "))
                    search_params["q"] = MOST_WORDS + plain
                else:
                    search_params["defType"] = "edismax"
                    search_params["q"] = dismax_text(q)
        search_params["qf"] = fields
    return search_params


def label_facets(search_results: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Show each facet value with its label, not its code."""
    for field, facet in (search_results.get("search_facets") or {}).items():
        for item in facet.get("items", []):
            label = facet_label(field, item["name"], lang)
            if label is not None:
                item["display_name"] = label
    return search_results


def facet_label(field: str, value: str, lang: str | None) -> str | None:
    """The label of a facet value, or None for facets that are not ours."""
    if field == CATALOG_FACET:
        node = categories.get(value)
        return f"{value} {node.label(lang)}" if node else value
    if field == "subject_category":
        subject = categories.subject_classes().get(value)
        return subject.label(lang) if subject else value
    if field == UNIT_GROUP_FIELD:
        node = categories.get(categories.DEPARTMENT_CLASS + value)
        return node.label(lang) if node else value
    if field == OBJECTION_FIELD:
        from ckan.plugins.toolkit import _

        return _("Has objection") if value == "true" else _("No objection")
    if field in schema.CHOICES:
        return schema.label(field, value, lang)
    return None
