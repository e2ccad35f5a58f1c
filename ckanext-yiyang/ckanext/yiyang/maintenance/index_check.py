"""Does the search index say what the database says? (``ckan yiyang index-check``)

One SQL query reads what the index should hold of every entry (id, state, review state, last
change, owning unit, permission labels computed now by :mod:`ckanext.yiyang.visibility.labels`);
Solr is read with cursor paging (``cursorMark``), ids and a few stored fields only, and once more
per permission label (the labels are indexed, not stored: each label's ids are listed). Nothing
is read per entry, so 130,000 entries cost a few dozen requests.

The repair reindexes the differing entries through CKAN's own ``search.rebuild(package_ids=…)``,
deletes the documents of entries that no longer exist, commits, and the caller checks again.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import plugins as lib_plugins
from ckan.lib import search
from ckan.lib.search.common import make_connection

from ckanext.yiyang.visibility import labels as entry_labels

__all__ = ["KINDS", "Entry", "Report", "check", "repair"]

#: Kinds of difference, in the report's order: (key, Chinese, English).
KINDS: tuple[tuple[str, str, str], ...] = (
    ("missing", "索引中缺少的条目", "in the database, not in the index"),
    (
        "stale",
        "索引中多余的文档（条目已删除或不存在）",
        "in the index, deleted or gone from the database",
    ),
    ("state", "状态不一致", "state differs"),
    ("review_status", "审核状态不一致", "review state differs"),
    ("modified", "修改时间不一致", "metadata_modified differs"),
    ("labels", "权限标签不一致", "permission labels differ"),
    ("unit", "所属单位不一致", "owner unit differs"),
)
#: Documents per Solr request.
PAGE = 5000


@dataclasses.dataclass(frozen=True)
class Entry:
    """What the index should say (or says) of one entry."""

    state: str | None
    review_status: str | None
    modified: str | None  # ISO, to the millisecond, as Solr keeps dates: 2026-12-04T07:26:05.677Z
    unit: str | None  # the owning unit's name (the index's ``organization``)


@dataclasses.dataclass
class Report:
    """Differences by kind: ``{kind: [ids]}`` (ids sorted); ``entries`` and ``documents``
    counted."""

    entries: int = 0
    documents: int = 0
    differences: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.differences.values())

    def ids(self) -> set[str]:
        return {i for ids in self.differences.values() for i in ids}

    def lines(self, limit: int = 10) -> list[str]:
        """The report, Chinese then English, the first ``limit`` ids of each kind."""
        out = [
            f"数据库中应索引的条目 / entries the index should hold: {self.entries}",
            f"索引中的文档 / documents in the index: {self.documents}",
        ]
        for kind, zh, en in KINDS:
            ids = self.differences.get(kind, [])
            out.append(f"{zh} / {en}: {len(ids)}")
            out.extend(f"  {i}" for i in ids[:limit])
            if len(ids) > limit:
                out.append(f"  … 另有 {len(ids) - limit} 个 / {len(ids) - limit} more")
        out.append(
            "一致 / consistent"
            if self.ok
            else f"不一致的条目 / entries that differ: {len(self.ids())}"
        )
        return out


def _iso(value: datetime | None) -> str | None:
    """A database time as Solr returns it (UTC, milliseconds kept, trailing Z)."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _solr_iso(value: str | None) -> str | None:
    """Solr's date with the milliseconds always written (it drops trailing zeros)."""
    if not value:
        return None
    head, _, tail = value.rstrip("Z").partition(".")
    return f"{head}.{(tail + '000')[:3]}Z"


def database() -> tuple[dict[str, Entry], dict[str, set[str]]]:
    """What the index should hold: the entries (ids → :class:`Entry`) and their permission
    labels as computed now. Deleted entries are left out when CKAN removes them from the index
    (``ckan.search.remove_deleted_packages``, the default)."""
    package, group = model.package_table, model.group_table
    rows = model.Session.execute(
        sa.select(
            package.c.id,
            package.c.type,
            package.c.state,
            package.c.owner_org,
            package.c.private,
            package.c.creator_user_id,
            package.c.metadata_modified,
            package.c.extras,
            group.c.name,
        ).select_from(package.outerjoin(group, group.c.id == package.c.owner_org))
    ).all()
    remove_deleted = tk.asbool(tk.config.get("ckan.search.remove_deleted_packages"))
    entries: dict[str, Entry] = {}
    labels: dict[str, set[str]] = {}
    others: list[str] = []
    for row in rows:
        if remove_deleted and row.state in (None, "deleted"):
            continue
        extras = row.extras or {}
        entries[row.id] = Entry(
            row.state, extras.get("review_status"), _iso(row.metadata_modified), row.name
        )
        if row.type == entry_labels.DATASET_TYPE:
            labels[row.id] = set(entry_labels.entry_labels(row.state, row.owner_org, extras))
        else:
            others.append(row.id)
    if others:  # other kinds of package (none in the catalog today): the plugin's labels
        plugin = lib_plugins.get_permission_labels()
        for pkg in model.Session.query(model.Package).filter(model.Package.id.in_(others)):
            labels[pkg.id] = set(plugin.get_dataset_labels(pkg))
    return entries, labels


def _documents(conn: Any, fq: list[str], fl: str) -> Iterator[dict[str, Any]]:
    """Every document of this site matching ``fq``, ``fl`` fields, by cursor paging."""
    site = f'+site_id:"{tk.config.get("ckan.site_id")}" +entity_type:package'
    cursor = "*"
    while True:
        results = conn.search(
            "*:*",
            fq=[site, *fq],
            fl=fl,
            sort="index_id asc",  # the uniqueKey, as cursor paging requires
            rows=PAGE,
            cursorMark=cursor,
            defType="lucene",
        )
        yield from results.docs
        if not results.nextCursorMark or results.nextCursorMark == cursor:
            return
        cursor = results.nextCursorMark


def index(label_names: set[str]) -> tuple[dict[str, Entry], dict[str, set[str]]]:
    """What the index holds: the documents (id → :class:`Entry`) and the labels of each
    (listed per label in ``label_names`` and per label the index's facet names)."""
    conn = make_connection(decode_dates=False)
    docs: dict[str, Entry] = {}
    for doc in _documents(
        conn, [], "id,state,extras_review_status,metadata_modified,organization"
    ):
        docs[doc["id"]] = Entry(
            doc.get("state"),
            doc.get("extras_review_status"),
            _solr_iso(doc.get("metadata_modified")),
            doc.get("organization"),
        )
    # the labels the index knows, as well as those the database expects
    site = f'+site_id:"{tk.config.get("ckan.site_id")}"'
    facets = conn.search(
        "*:*",
        fq=[site],
        rows=0,
        facet="true",
        **{"facet.field": "permission_labels", "facet.limit": -1, "facet.mincount": 1},
    ).facets["facet_fields"]["permission_labels"]
    names = set(label_names) | set(facets[::2])
    labels: dict[str, set[str]] = defaultdict(set)
    for name in sorted(names):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        for doc in _documents(conn, [f'permission_labels:"{quoted}"'], "id"):
            labels[doc["id"]].add(name)
    return docs, labels


def check() -> Report:
    """Compare the database and the index of every entry."""
    entries, labels = database()
    docs, indexed_labels = index({name for names in labels.values() for name in names})
    found: dict[str, list[str]] = {kind: [] for kind, _, _ in KINDS}
    for id_, entry in entries.items():
        doc = docs.get(id_)
        if doc is None:
            found["missing"].append(id_)
            continue
        if doc.state != entry.state:
            found["state"].append(id_)
        if (doc.review_status or None) != (entry.review_status or None):
            found["review_status"].append(id_)
        if doc.modified != entry.modified:
            found["modified"].append(id_)
        if indexed_labels.get(id_, set()) != labels[id_]:
            found["labels"].append(id_)
        if (doc.unit or None) != (entry.unit or None):
            found["unit"].append(id_)
    found["stale"] = [i for i in docs if i not in entries]
    for ids in found.values():
        ids.sort()
    return Report(entries=len(entries), documents=len(docs), differences=found)


def repair(report: Report) -> tuple[int, int]:
    """Reindex the entries that differ, delete the documents of the entries gone or deleted;
    one commit. Returns (reindexed, deleted)."""
    stale = set(report.differences.get("stale", []))
    reindex = sorted(report.ids() - stale)
    # what this process's session holds may be older than the database (it keeps objects
    # across commits): the reindex reads the database
    model.Session.expire_all()
    package_index = search.index_for(model.Package)
    for id_ in sorted(stale):
        package_index.delete_package({"id": id_})
    if reindex:
        search.rebuild(package_ids=reindex, defer_commit=True, quiet=True)
    search.commit()
    return len(reindex), len(stale)
