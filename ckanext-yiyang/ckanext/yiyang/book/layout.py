"""Lays out parts of the book's body in worker processes, several at a time.

A worker (``python -m ckanext.yiyang.book.layout``) imports WeasyPrint only (not CKAN), reads
one request a line on its standard input — the JSON ``{"html": path, "pdf": path}`` of a part's
HTML file and of the PDF to write — and answers one JSON line on its standard output: the part's
``pages``, its page ``size`` in PDF points and its ``anchors`` (element id → [page index within
the part, top in points]). The parent (``Pool``) keeps ``jobs`` workers busy, one part each, so
the parts are laid out on every core while the parent reads the next entries; it learns each
part's page count from the answer and numbers the pages when it joins them (``pdf.py``).
"""

from __future__ import annotations

import concurrent.futures
import gc
import json
import os
import pathlib
import queue
import subprocess
import sys
from typing import Any, TypedDict

PX_TO_PT = 0.75  # WeasyPrint positions are CSS px (1/96 in); PDF points are 1/72 in.


class Laid(TypedDict):
    pages: int
    size: list[float]
    anchors: dict[str, list[float]]


def lay_out(html_path: str, pdf_path: str, base_url: str) -> Laid:
    """Lay out one part (an HTML file) and write it as PDF: what a worker does per request."""
    from weasyprint import HTML

    html = pathlib.Path(html_path).read_text(encoding="utf-8")
    document = HTML(string=html, base_url=base_url).render()
    del html
    anchors: dict[str, list[float]] = {}
    size = [595.0, 842.0]
    for index, page in enumerate(document.pages):
        size = [page.width * PX_TO_PT, page.height * PX_TO_PT]
        for name, (_x, y, *_rest) in page.anchors.items():
            anchors[name] = [index, y * PX_TO_PT]
    document.write_pdf(pdf_path)
    laid: Laid = {"pages": len(document.pages), "size": size, "anchors": anchors}
    del document
    gc.collect()
    return laid


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ckanext.yiyang.book.layout"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, request: dict[str, str]) -> Laid:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"book layout worker ended (exit {self.process.wait()})")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"book layout worker: {answer['error']}")
        laid: Laid = answer
        return laid

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Pool:
    """``jobs`` worker processes laying out parts; ``submit`` returns a future of the part's
    ``Laid``. Workers start when first needed and end with ``close`` (or the ``with`` block)."""

    def __init__(self, jobs: int, base_url: str) -> None:
        self.jobs = max(1, jobs)
        self.base_url = base_url
        self.idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self.workers: list[_Worker] = []
        self.threads = concurrent.futures.ThreadPoolExecutor(self.jobs)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _run(self, html_path: str, pdf_path: str) -> Laid:
        try:
            worker = self.idle.get_nowait()
        except queue.Empty:
            worker = _Worker()
            self.workers.append(worker)
        try:
            return worker.ask({"html": html_path, "pdf": pdf_path, "base_url": self.base_url})
        finally:
            self.idle.put(worker)

    def submit(
        self, html_path: pathlib.Path, pdf_path: pathlib.Path
    ) -> concurrent.futures.Future[Laid]:
        return self.threads.submit(self._run, str(html_path), str(pdf_path))

    def close(self) -> None:
        self.threads.shutdown(wait=True, cancel_futures=True)
        for worker in self.workers:
            worker.close()
        self.workers = []


def _serve() -> None:
    # Layout makes millions of objects, most alive until the part is written: the collector's
    # default thresholds would scan them again and again (a quarter of the time). Collect
    # rarely, and once after each part (``lay_out``); what the imports made is never scanned.
    import weasyprint  # noqa: F401

    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer: dict[str, Any] = dict(
                lay_out(request["html"], request["pdf"], request["base_url"])
            )
        except Exception as error:  # reported to the parent, which raises it
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
