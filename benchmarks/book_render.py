"""Render the catalog book for whatever entries are in the configured database and print the
render time, the page count and the peak memory.

    .venv/bin/python benchmarks/book_render.py --config var/ckan.ini --edition internal
    .venv/bin/python benchmarks/book_render.py --edition public --format xlsx -o var/bench/book.xlsx

    .venv/bin/python benchmarks/book_render.py --config config/test.ini --sample 5000 --jobs 2

CKAN is loaded in this process as its CLI does (``load_config`` + ``make_app``); the book is
generated exactly as ``ckan yiyang book`` and the background job generate it
(``ckanext.yiyang.book.generate``). ``--sample N`` instead lays out the PDF of N real catalog
entries (``book_sample.py``: the rows ``real_workbook.py`` chooses, 信息项 first), grouped as the
book groups them, without reading the index: the layout's time alone, at any size.

Peak memory: the process's maximum resident set size (``resource.getrusage``, including the
loading of CKAN, printed separately) and the peak of the **sum** of the resident sets of this
process and all its children (the layout workers), sampled every 0.1 s with psutil. Nothing in
the database is changed.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys
import threading
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TreeMemory:
    """The peak of the summed resident memory of this process and its descendants."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self.process = psutil.Process()
        self.start = 0  # this process alone, before the layout (no worker yet)
        self.peak = 0
        self.interval = interval
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _sample(self) -> int:
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except Exception:  # a worker that just ended
                continue
        return total

    def _watch(self) -> None:
        while not self.stopping.wait(self.interval):
            self.peak = max(self.peak, self._sample())

    def __enter__(self) -> TreeMemory:
        self.start = self.peak = self._sample()
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.thread.join()

    @property
    def peak_mib(self) -> float:
        return round(self.peak / 2**20, 1)

    @property
    def start_mib(self) -> float:
        return round(self.start / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "var" / "ckan.ini"))
    parser.add_argument("--edition", choices=("internal", "public"), default="internal")
    parser.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
    parser.add_argument("-o", "--output", help="where to write the book (default: var/bench/)")
    parser.add_argument(
        "--chunk-weight", type=int, help="ckanext.yiyang.book.chunk_weight for this run"
    )
    parser.add_argument("--jobs", type=int, help="ckanext.yiyang.book.jobs for this run")
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="lay out N real catalog entries (book_sample.py) instead of the database's",
    )
    args = parser.parse_args()
    if args.sample and args.format != "pdf":
        parser.error("--sample times the PDF's layout: use --format pdf")

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
    if args.jobs is not None:
        tk.config["ckanext.yiyang.book.jobs"] = args.jobs
    out = pathlib.Path(
        args.output or ROOT / "var" / "bench" / f"book-{args.edition}.{args.format}"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    seen = {"total": 0}

    def progress(done: int, total: int) -> None:
        seen["total"] = total
        print(f"\r  {done}/{total} entries", end="", file=sys.stderr, flush=True)

    with app.test_request_context():
        chosen = _chosen(args.sample, args.edition) if args.sample else None
        cpu = _cpu_seconds()
        with TreeMemory() as memory:
            began = time.monotonic()
            if chosen is not None:
                meta = _sample(chosen, out, progress)
            else:
                meta = generate(args.edition, args.format, out, progress=progress)
            seconds = time.monotonic() - began
        cpu = tuple(after - before for after, before in zip(_cpu_seconds(), cpu, strict=True))
    print(file=sys.stderr)
    figures = {
        "edition": args.edition,
        "format": args.format,
        "entries": meta["entries"],
        "items": meta["items"],
        "pages": meta.get("pages"),
        "render_seconds": round(seconds, 1),
        "entries_per_second": round(meta["entries"] / seconds, 1) if seconds else None,
        "sample": bool(args.sample),
        "jobs": tk.config.get("ckanext.yiyang.book.jobs"),
        "cpu_seconds_this_process": round(cpu[0], 1),
        "cpu_seconds_workers": round(cpu[1], 1),
        "peak_rss_mib": round(_rss_mib(), 1),
        "peak_rss_all_processes_mib": memory.peak_mib,
        "rss_before_layout_mib": memory.start_mib,
        "rss_after_loading_ckan_mib": round(loaded_rss, 1),
        "ckan_load_seconds": round(load_seconds, 1),
        "file": str(out),
        "file_mib": round(out.stat().st_size / 2**20, 2),
    }
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print(json.dumps(figures, ensure_ascii=False), file=sys.stderr)


def _cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process and of its ended children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _chosen(count: int, edition: str) -> tuple[Any, list[Any]]:
    from book_sample import sample

    return sample(count, edition)


def _sample(chosen: tuple[Any, list[Any]], out: pathlib.Path, progress: Any) -> dict[str, Any]:
    """The PDF of the sample's real entries, laid out as ``generate`` lays out an edition."""
    import datetime

    from ckanext.yiyang.book import config, pdf

    book_plan, blocks = chosen
    count = sum(1 for kind, _value in blocks if kind == "entry")
    written = pdf.write(
        None,
        book_plan,
        out,
        generated=datetime.datetime.now(),
        progress=lambda done: progress(done, count),
        weight_limit=config.chunk_weight(),
        blocks=blocks,
        jobs=config.jobs(),
    )
    return {"entries": written.entries, "items": written.items, "pages": written.pages}


if __name__ == "__main__":
    main()
