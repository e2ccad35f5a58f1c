"""The home page's statistics: what anyone may know of the published catalog.

Every figure comes from ``package_search`` run as the viewer, restricted to published entries,
so the permission labels hold (catalog-model §6): an anonymous visitor's figures count only
what an anonymous visitor may see. The answer is kept a short while per viewer (the home page
is the busiest page; the figures change slowly).
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.yiyang import workdays
from ckanext.yiyang.catalog import categories, search
from ckanext.yiyang.subscription.model import Subscription

PUBLISHED_FQ = "+review_status:published"
#: How many units and entries the lists of the home page name.
TOP = 10
LATEST = 6
APPLIED = 5

_lock = threading.Lock()
_kept: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}


def cache_seconds() -> int:
    return tk.config.get("ckanext.yiyang.portal.stats_cache_seconds")


def forget() -> None:
    """Drop every kept answer (after a test empties the database, or a notice changes)."""
    with _lock:
        _kept.clear()


def kept(user: str | None, lang: str, compute: Any) -> dict[str, Any]:
    """``compute()`` for this viewer and language, or its answer of the last few seconds."""
    key = (user or "", lang)
    seconds = cache_seconds()
    now = time.monotonic()
    with _lock:
        hit = _kept.get(key)
        if hit and hit[0] > now:
            return hit[1]
    value = compute()
    if seconds > 0:
        with _lock:
            # one answer per viewer who came lately: the others' are dropped as they expire
            for stale in [k for k, (until, _v) in _kept.items() if until <= now]:
                del _kept[stale]
            _kept[key] = (now + seconds, value)
    return value


def _search(user: str | None, **params: Any) -> dict[str, Any]:
    params.setdefault("rows", 0)
    fq = " ".join(f for f in (PUBLISHED_FQ, params.pop("fq", "")) if f)
    return tk.get_action("package_search")(
        {"user": user}, {"q": "*:*", "fq": fq, "include_private": True, **params}
    )


def _facet(result: dict[str, Any], field: str) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in result["search_facets"].get(field, {}).get("items", [])}


def _entry(pkg: dict[str, Any]) -> dict[str, Any]:
    org = pkg.get("organization") or {}
    return {
        "id": pkg["id"],
        "name": pkg["name"],
        "title": pkg.get("title") or pkg["name"],
        "resource_code": pkg.get("resource_code"),
        "release_date": pkg.get("release_date"),
        "unit": org.get("title") or org.get("name"),
        "unit_name": org.get("name"),
    }


def _most_applied(user: str | None) -> list[dict[str, Any]]:
    """The published entries the viewer may see with the most applications (any state), most
    first; ties in the order of their titles."""
    rows = model.Session.execute(
        sa.select(Subscription.dataset_id, sa.func.count().label("n"))
        .group_by(Subscription.dataset_id)
        .order_by(sa.desc("n"), Subscription.dataset_id)
        .limit(50)
    ).all()
    if not rows:
        return []
    counts = {dataset_id: n for dataset_id, n in rows}
    ids = " OR ".join(f'"{dataset_id}"' for dataset_id in counts)
    found = _search(user, fq=f"+id:({ids})", rows=len(counts))["results"]
    entries = [{**_entry(pkg), "applications": counts[pkg["id"]]} for pkg in found]
    entries.sort(key=lambda e: (-e["applications"], e["title"]))
    return entries[:APPLIED]


def _classes(counts: dict[str, int], lang: str) -> list[dict[str, Any]]:
    english = lang == "en"
    result = []
    for node in categories.with_counts(categories.catalog_tree(), counts):
        result.append(
            {
                "code": node["code"],
                "label": (node["title_en"] if english and node["title_en"] else node["title"]),
                "count": node["count"],
                "children": [
                    {
                        "code": child["code"],
                        "label": (
                            child["title_en"] if english and child["title_en"] else child["title"]
                        ),
                        "count": child["count"],
                    }
                    for child in node["children"]
                    if child["count"]
                ],
            }
        )
    return result


def _share(count: int, total: int) -> dict[str, Any]:
    return {"count": count, "percent": round(100 * count / total) if total else 0}


def compute(user: str | None, lang: str, today: datetime.date | None = None) -> dict[str, Any]:
    """The statistics as ``user`` may see them (see ``yiyang_portal_stats_show``)."""
    today = today or workdays.today()
    faceted = _search(
        user,
        **{
            "facet.field": [search.CATALOG_FACET, "organization", "share_type", "open_to_public"],
            "facet.limit": -1,
            "facet.mincount": 1,
        },
    )
    total = faceted["count"]
    units = sorted(
        _facet(faceted, "organization").values(), key=lambda i: (-i["count"], i["display_name"])
    )
    shares = {k: v["count"] for k, v in _facet(faceted, "share_type").items()}
    opened = _facet(faceted, "open_to_public").get("yes", {}).get("count", 0)
    month = today.replace(day=1).isoformat()
    this_month = _search(user, fq=f"+release_date:[{month}T00:00:00Z TO *]")["count"]
    latest = _search(user, rows=LATEST, sort="release_date desc, metadata_modified desc")
    catalog_counts = {k: v["count"] for k, v in _facet(faceted, search.CATALOG_FACET).items()}
    return {
        "total": total,
        "by_class": _classes(catalog_counts, lang),
        "by_unit": [
            {"name": i["name"], "title": i["display_name"], "count": i["count"]}
            for i in units[:TOP]
        ],
        "units_with_entries": len(units),
        "shared": _share(shares.get("unconditional", 0) + shares.get("conditional", 0), total),
        "unconditional": _share(shares.get("unconditional", 0), total),
        "conditional": _share(shares.get("conditional", 0), total),
        "open": _share(opened, total),
        "published_this_month": this_month,
        "month": month[:7],
        "latest": [_entry(pkg) for pkg in latest["results"]],
        "most_applied": _most_applied(user),
    }
