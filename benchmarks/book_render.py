"""Render the catalog book for whatever entries are in the configured database and print the
render time, the page count and the peak memory.

    .venv/bin/python benchmarks/book_render.py --config var/ckan.ini --edition internal
    .venv/bin/python benchmarks/book_render.py --edition public --format xlsx -o var/bench/book.xlsx

CKAN is loaded in this process as its CLI does (``load_config`` + ``make_app``); the book is
generated exactly as ``ckan yiyang book`` and the background job generate it
(``ckanext.yiyang.book.generate``). Peak memory is the process's maximum resident set size
(``resource.getrusage``; on Linux in KiB), including the loading of CKAN, which is printed
separately. Nothing in the database is changed.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "var" / "ckan.ini"))
    parser.add_argument("--edition", choices=("internal", "public"), default="internal")
    parser.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
    parser.add_argument("-o", "--output", help="where to write the book (default: var/bench/)")
    parser.add_argument(
        "--chunk-weight", type=int, help="ckanext.yiyang.book.chunk_weight for this run"
    )
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    started = time.monotonic()
    app = make_app(load_config(args.config))._wsgi_app
    loaded_rss = _rss_mib()
    load_seconds = time.monotonic() - started

    import ckan.plugins.toolkit as tk

    from ckanext.yiyang.book.generate import generate

    if args.chunk_weight:
        tk.config["ckanext.yiyang.book.chunk_weight"] = args.chunk_weight
    out = pathlib.Path(
        args.output or ROOT / "var" / "bench" / f"book-{args.edition}.{args.format}"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    seen = {"total": 0}

    def progress(done: int, total: int) -> None:
        seen["total"] = total
        print(f"\r  {done}/{total} entries", end="", file=sys.stderr, flush=True)

    with app.test_request_context():
        began = time.monotonic()
        meta = generate(args.edition, args.format, out, progress=progress)
        seconds = time.monotonic() - began
    print(file=sys.stderr)
    figures = {
        "edition": args.edition,
        "format": args.format,
        "entries": meta["entries"],
        "items": meta["items"],
        "pages": meta.get("pages"),
        "render_seconds": round(seconds, 1),
        "entries_per_second": round(meta["entries"] / seconds, 1) if seconds else None,
        "peak_rss_mib": round(_rss_mib(), 1),
        "rss_after_loading_ckan_mib": round(loaded_rss, 1),
        "ckan_load_seconds": round(load_seconds, 1),
        "file": str(out),
        "file_mib": round(out.stat().st_size / 2**20, 2),
    }
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print(json.dumps(figures, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
