"""``index-check`` at the size of the real catalog: N entries written straight into the
database and their documents into Solr (what a full load and reindex would leave, minus the
text), then one check timed. 2,000 entries in the suite; by hand at full size:

    YIYANG_INDEX_CHECK_ENTRIES=130000 .venv/bin/pytest -p no:xdist -s tests/maintenance/test_index_check_scale.py
"""

from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk

from ckanext.yiyang.maintenance import index_check

ENTRIES = int(os.environ.get("YIYANG_INDEX_CHECK_ENTRIES", "2000"))
UNITS = 88
BATCH = 10000

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _catalog(make_unit) -> list[dict[str, str]]:
    units = [make_unit() for _ in range(UNITS)]
    model.Session.execute(
        sa.text(
            """
            INSERT INTO package (id, name, title, state, type, owner_org, private,
                                 metadata_created, metadata_modified, extras)
            SELECT 'scale-' || n, 'scale-' || n, '条目' || n, 'active', 'dataset',
                   (:units)[1 + n % :count], n % 3 <> 0,
                   timestamp '2026-01-01' + n * interval '1 second',
                   timestamp '2026-01-01' + n * interval '1.001 second',
                   jsonb_build_object(
                       'review_status', CASE WHEN n % 3 = 0 THEN 'published' ELSE 'draft' END,
                       'disclosure_scope', CASE WHEN n % 2 = 0 THEN 'public' ELSE 'internal' END)
            FROM generate_series(1, :entries) AS n
            """
        ),
        {"units": [u["id"] for u in units], "count": UNITS, "entries": ENTRIES},
    )
    model.Session.commit()
    return units


def _index(units: list[dict[str, str]]) -> None:
    """The documents CKAN would index, with the fields the check reads."""
    conn = make_connection()
    site = tk.config.get("ckan.site_id")
    docs = []
    for n in range(1, ENTRIES + 1):
        unit = units[n % UNITS]
        published = n % 3 == 0
        scope = "public" if n % 2 == 0 else "internal"
        labels = ["reviewer", f"member-{unit['id']}"]
        if published:
            labels.append("public" if scope == "public" else "government")
        seconds, millis = divmod(1001 * n, 1000)  # n × 1.001 s, as in SQL
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1767225600 + seconds))
        docs.append(
            {
                "id": f"scale-{n}",
                "index_id": f"scale-{n}-{site}",
                "site_id": site,
                "entity_type": "package",
                "dataset_type": "dataset",
                "name": f"scale-{n}",
                "state": "active",
                "extras_review_status": "published" if published else "draft",
                "metadata_modified": f"{stamp}.{millis:03d}Z",
                "organization": unit["name"],
                "permission_labels": labels,
            }
        )
        if len(docs) == BATCH:
            conn.add(docs, commit=False)
            docs = []
    conn.add(docs, commit=True)


def test_the_check_reads_a_large_catalog_quickly(make_unit, capsys):
    units = _catalog(make_unit)
    _index(units)
    started = time.monotonic()
    report = index_check.check()
    seconds = time.monotonic() - started
    assert report.ok, report.lines()
    assert report.entries == report.documents == ENTRIES
    with capsys.disabled():
        print(f"\nindex-check of {ENTRIES} entries, {UNITS} units: {seconds:.1f} s")
    # the budget: a minute for the real catalog's 130,000 entries, scaled
    assert seconds < max(5.0, 60.0 * ENTRIES / 130_000)
