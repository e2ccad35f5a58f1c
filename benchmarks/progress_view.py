"""Time the progress view (督促检查) on the database of a CKAN config.

Prints how long ``yiyang_progress_list`` takes for every unit (as the site user, a sysadmin),
with how many units and entries it covered, and how long the Excel export of the result takes.
The action runs a handful of aggregate queries whatever the number of units; this shows it on
a real load (88 units, 130,000 entries)::

    .venv/bin/python benchmarks/progress_view.py                      # var/ckan.ini
    .venv/bin/python benchmarks/progress_view.py --config config/bench.ini --runs 10

Nothing is written: the script only reads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "var" / "ckan.ini"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="a CKAN ini file")
    parser.add_argument("--runs", type=int, default=5, help="timed calls (after one warm-up)")
    parser.add_argument("--sort", default="order", help="the action's sort parameter")
    args = parser.parse_args(argv)

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))._wsgi_app
    with app.test_request_context():
        import ckan.plugins.toolkit as tk

        from ckanext.yiyang.progress import export

        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        action = tk.get_action("yiyang_progress_list")

        def call() -> dict:
            return action({"user": site_user}, {"sort": args.sort})

        result = call()  # warm-up: imports, the calendar's years, the database's caches
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        workbook = export.workbook(result)
        export_time = time.perf_counter() - start

    totals = result["totals"]
    print(f"config:   {args.config}")
    print(
        f"covered:  {totals['units']} units, {totals['entries']} entries "
        f"({totals['published']} published, {totals['submitted']} submitted, "
        f"{totals['review_overdue']} overdue in review), "
        f"{totals['demands_pending']} demands and {totals['applications_pending']} "
        f"applications pending"
    )
    print(
        f"action:   median {statistics.median(times) * 1000:.0f} ms, "
        f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {args.runs} runs"
    )
    print(f"export:   {export_time * 1000:.0f} ms, {len(workbook) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
