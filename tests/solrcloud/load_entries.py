"""Child process of the SolrCloud test: real entries made through CKAN on the site its
environment names (CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL pointing at the cloud's collection).

    python tests/solrcloud/load_entries.py CONFIG SKIP COUNT COMMIT

Makes COUNT published entries from the real catalogs' mapped rows after the first SKIP
candidates (their units made when missing), with ``ckan.search.solr_commit`` = COMMIT
(``false``: indexed without a commit, a Solr commit at the end, as a bulk load does; ``true``:
CKAN's default, a commit with every entry; ``none``: no commit at all, Solr's soft commit
shows them). Prints ``{"made": N, "titles": [...]}``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import real_data  # noqa: E402
from search_quality import ckan_app, site_user  # noqa: E402


def candidates(wanted: int) -> list[real_data.Candidate]:
    """The first ``wanted`` mapped rows of the catalog file (read only as far as needed)."""
    stats = real_data.Stats()
    found: list[real_data.Candidate] = []
    with gzip.open(real_data.data_path(None), "rt", encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            row.pop("raw", None)
            candidate = real_data.map_row(row, stats)
            if candidate is not None:
                found.append(candidate)
            if len(found) >= wanted:
                break
    return found


def main() -> None:
    config, skip, count, commit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    # a few candidates are refused by validation: read a margin beyond the ones wanted
    rows = candidates(skip + int(count * 1.3) + 10)
    with ckan_app(Path(config)).test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan.lib import search

        from ckanext.yiyang.review import workflow

        tk.config["ckan.search.solr_commit"] = commit == "true"
        user = site_user()
        units = real_data.assign_units(rows)
        unit_ids: dict[str, str] = {}
        made: list[str] = []
        for candidate in rows[skip:]:
            if len(made) >= count:
                break
            if candidate.unit not in unit_ids:
                group, code = units[candidate.unit]
                name = f"cloud-{group}{code}"
                try:
                    org = tk.get_action("organization_show")({"user": user}, {"id": name})
                except tk.ObjectNotFound:
                    org = tk.get_action("organization_create")(
                        {"user": user},
                        {
                            "name": name,
                            "title": candidate.unit,
                            "unit_group": group,
                            "unit_code": code,
                        },
                    )
                unit_ids[candidate.unit] = org["id"]
            context = {
                "user": user,
                workflow.APPLYING: True,
                "yiyang_system_override": {"review_status": "published"},
            }
            try:
                entry = tk.get_action("package_create")(
                    context, {**candidate.dataset, "owner_org": unit_ids[candidate.unit]}
                )
            except tk.ValidationError:
                continue
            made.append(entry["title"])
        if commit != "none":
            search.commit()
    print(json.dumps({"made": len(made), "titles": made}, ensure_ascii=False))


if __name__ == "__main__":
    main()
