"""Export the catalog an anonymous visitor sees as the 附件3 workbook, then import that workbook
back as a sysadmin: how long each takes, peak memory, and whether the round trip changes nothing
(every row reported unchanged, nothing created or updated).

    .venv/bin/python benchmarks/export_roundtrip.py [--config config/bench.ini] [-o FILE]

Run it after loading entries (e.g. benchmarks/real_workbook.py → import_throughput.py →
publish_drafts.py). Through the same code as the site's export (``survey.exports.write``) and
the importer (``imports.run_import``).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument("-o", "--output", default=str(ROOT / "var" / "bench" / "export.xlsx"))
    args = parser.parse_args()
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))._wsgi_app
    with app.test_request_context("/"):
        import ckan.plugins.toolkit as tk

        from ckanext.yiyang.imports import run_import
        from ckanext.yiyang.survey import exports

        started = time.perf_counter()
        written = exports.write(
            args.output, {"user": ""}, {"q": "*:*", "sort": "name asc"}, cap=1_000_000
        )
        export_seconds = time.perf_counter() - started
        export_rss = _rss_mib()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        started = time.perf_counter()
        report = run_import(args.output, user=site_user)
        import_seconds = time.perf_counter() - started
        print(
            json.dumps(
                {
                    "exported_entries": written.entries,
                    "exported_items": written.items,
                    "export_seconds": round(export_seconds, 1),
                    "export_entries_per_second": round(written.entries / export_seconds, 1),
                    "export_peak_rss_mib": round(export_rss, 1),
                    "file_mib": round(Path(args.output).stat().st_size / 2**20, 2),
                    "reimport_seconds": round(import_seconds, 1),
                    "reimport_problems": len(report.problems),
                    "reimport_created": len(report.created),
                    "reimport_updated": len(report.updated),
                    "reimport_unchanged": len(report.unchanged),
                    "peak_rss_mib": round(_rss_mib(), 1),
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
