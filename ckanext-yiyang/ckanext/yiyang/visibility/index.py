"""What goes into the search index for whom (catalog-model §6).

A search knows no per-document rule beyond the permission labels, which say whether a viewer
sees an entry at all. So what only some of an entry's viewers may see is kept apart:

- the non-public 信息项 of a partly public entry go to their own field, which only government
  viewers' queries search, and which an outsider's query may not name (a hit or a miss would
  tell whether the entry has such an item) — an allow-list of parameters and fields
  (``visibility.query``), not a check of the query's text;
- the data resources of an entry shared on application (names, URLs, formats, and their copies
  in ``text``, ``urls``, the ``res_format`` facet) are not indexed at all rather than findable
  by everyone.
"""

from __future__ import annotations

import json
from typing import Any

from ckanext.yiyang.visibility import grants, query

#: The searchable 信息项 (names and descriptions) that every viewer of the entry may see.
ITEMS_FIELD = "yiyang_txt_items"
#: The non-public 信息项 of partly public entries, for government viewers only.
GOV_ITEMS_FIELD = "yiyang_gov_items"
#: The same non-public 信息项 cut into words (the configset copies GOV_ITEMS_FIELD there).
GOV_WORDS_FIELD = "yiyang_gov_words"
#: Fields of the index that only government viewers' queries may name.
GOV_FIELD_PREFIX = "yiyang_gov_"


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: the 信息项 split by who may see them; the resource fields of an
    entry shared on application left out."""
    validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    items = [i for i in validated.get("data_items") or [] if isinstance(i, dict)]
    partial = validated.get("disclosure_scope") == "partial"
    for field, public in ((ITEMS_FIELD, True), (GOV_ITEMS_FIELD, False)):
        pkg_dict[field] = [
            text
            for item in items
            if (not partial or item.get("disclosure_scope") == "public") == public
            for text in (item.get("name"), item.get("description"))
            if text
        ]
    if validated.get("share_type") in grants.RESTRICTED:
        for key in [k for k in pkg_dict if k.startswith("res_")]:
            pkg_dict.pop(key)
    return pkg_dict


def check_query(search_params: dict[str, Any], government: bool) -> None:
    """Refuse an outsider's search that carries a parameter or names a field not on the
    allow-lists of ``visibility.query`` (``SearchQueryError``, the parameter named); and
    anybody's that carries Solr local parameters."""
    query.check_local_parameters(search_params)
    if not government:
        query.check(search_params)


def query_fields(government: bool) -> str:
    """The fields (with weights, in ``qf`` syntax) that the viewer's free-text queries search
    beyond everybody's."""
    return f" {GOV_ITEMS_FIELD}^1" if government else ""


def query_word_fields(government: bool) -> str:
    """Like ``query_fields``, for the word-segmented field the viewer's queries search beyond
    everybody's (used when the search searches words, ``catalog.search.words_enabled``)."""
    return f" {GOV_WORDS_FIELD}^0.5" if government else ""
