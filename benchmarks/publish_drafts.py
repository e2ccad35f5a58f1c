"""Put every draft entry of the benchmark database through review (submit, approve) as the
site user, so that a catalog book can be rendered from imported entries.

    .venv/bin/python benchmarks/publish_drafts.py [--config config/bench.ini] [--title-prefix P]

Through the review actions themselves (``yiyang_review_submit``, ``yiyang_review_approve``),
as the office would approve a round; prints entries per second. Solr commits once at the end.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument(
        "--skip-title-suffix",
        default="（无信息项）",
        help="leave entries whose title ends so (import_throughput.py's variant without 信息项)",
    )
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))._wsgi_app
    with app.test_request_context("/"):
        import ckan.plugins.toolkit as tk
        from ckan import model
        from ckan.lib import search

        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        import sqlalchemy as sa

        status = sa.func.coalesce(model.Package.extras["review_status"].astext, "draft")
        rows = (
            model.Session.query(model.Package.id, model.Package.title)
            .filter(status == "draft", model.Package.type == "dataset")
            .filter(model.Package.state.in_(["active", "draft"]))
            .all()
        )
        ids = [i for i, title in rows if not (title or "").endswith(args.skip_title_suffix)]
        tk.config["ckan.search.solr_commit"] = False
        started = time.perf_counter()
        for n, package_id in enumerate(ids, start=1):
            for step in ("submit", "approve"):
                tk.get_action(f"yiyang_review_{step}")({"user": site_user}, {"id": package_id})
            if n % 500 == 0:
                rate = n / (time.perf_counter() - started)
                print(f"{n}/{len(ids)} published ({rate:.1f}/s)", flush=True)
        search.commit()
        elapsed = time.perf_counter() - started
        print(
            f"published {len(ids)} entries in {elapsed:.0f} s ({len(ids) / max(elapsed, 1e-9):.1f}/s)"
        )


if __name__ == "__main__":
    main()
