"""The web server's throughput (issue 16.3): the development server ``make run`` used to start
(``ckan run --threaded``) against the one it starts now (gunicorn, ckanext/yiyang/serving/),
on the same data in the same run.

    .venv/bin/python benchmarks/serve.py                         # 300 entries, 1,000 requests
    .venv/bin/python benchmarks/serve.py --entries 50 --requests 200 --workers 4 --threads 8

1. In this process (CKAN loaded from ``--config``, as its CLI does): one unit and ``--entries``
   published public entries (``package_create``, then review submitted and approved), through
   the actions; Solr committed. Each run makes a new unit (a random tag): the data stays in
   the configured databases.
2. Starts both servers — ``ckan run --threaded`` (one process, a thread per request) and
   gunicorn with ``--workers`` processes of ``--threads`` threads — each on a free port; a
   warm-up (every kind of request a few times per process); then ``--requests`` requests of
   each kind per server from ``--clients`` concurrent clients (threads, one
   ``requests.Session`` each), anonymous, in ``--rounds`` rounds in which the servers take
   turns (the first one alternating), so that the machine's other load falls on both alike:

   - ``entry page``: ``/dataset/<name>`` of a random one of the entries;
   - ``package_search``: the action API with a query from a small mix (words of the titles and
     notes, one unit-plus-topic query, none) and the portal's facets, 20 rows.

Prints requests per second (requests / wall time of the kind), p50 / p95 / max milliseconds
and the errors of each (server, kind), the ratios gunicorn / ckan run and, last, one JSON line;
writes it to var/bench/serve.json. Exits 1 when a request failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
CKAN = ROOT / ".venv" / "bin" / "ckan"
OUT = ROOT / "var" / "bench"
LOG = ROOT / "var" / "log"

#: The queries of ``package_search`` (cycled): words of the entries' titles and notes, a unit
#: plus a topic, and the empty query (every entry, newest first).
QUERIES = ["企业", "注册登记", "益阳市 信息", "统一社会信用代码", "测速 企业", ""]
#: The search page's facets (ckanext/yiyang/catalog/search.py's ``facets``).
FACETS = [
    *("yiyang_ss_catalog", "subject_category", "organization", "yiyang_unit_group"),
    *("share_type", "disclosure_scope", "update_cycle", "format_class", "management_mode"),
    *("has_objection", "tags"),
]


def _entry(owner_org: str, tag: str, n: int) -> dict[str, Any]:
    """A complete public entry (every rule of catalog-model §1)."""
    return {
        "type": "dataset",
        "name": f"serve-{tag}-{n:04d}",
        "title": f"益阳市测速企业注册登记信息{tag}-{n:04d}",
        "notes": "全市企业的注册登记信息，包括企业名称、统一社会信用代码和注册资本。",
        "owner_org": owner_org,
        "catalog_category": "102",
        "subject_category": "02",
        "tag_string": "企业,注册登记",
        "format_class": "database",
        "format_type": "oracle",
        "share_type": "unconditional",
        "share_method": "platform_api",
        "open_to_public": "no",
        "update_cycle": "daily",
        "disclosure_scope": "public",
        "management_mode": "computer",
        "data_items": [
            {
                "name": "企业名称",
                "description": "营业执照上的名称",
                "data_type": "string",
                "length": 200,
                "disclosure_scope": "public",
            },
            {
                "name": "统一社会信用代码",
                "description": "18 位代码",
                "data_type": "string",
                "length": 18,
                "disclosure_scope": "public",
            },
        ],
    }


def set_up(config: str, entries_wanted: int) -> list[str]:
    """A unit and its published public entries, through the actions; their names."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(config))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan.lib import search

        site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
        tag = uuid.uuid4().hex[:6]

        def act(action: str, **data: Any) -> Any:
            return tk.get_action(action)(dict(site), data)

        unit = None
        codes = ((group, f"{code:03d}") for group in "5432" for code in range(999, 99, -1))
        for group, code in codes:
            try:
                unit = act(
                    "organization_create",
                    name=f"serve-{tag}",
                    title=f"市测速局{tag}",
                    unit_group=f"0{group}",
                    unit_code=code,
                )
                break
            except tk.ValidationError as error:
                if "unit_code" not in (error.error_dict or {}):
                    raise
        if unit is None:
            sys.exit("no free unit code left: reset the database")
        names = []
        for n in range(entries_wanted):
            created = act("package_create", **_entry(unit["id"], tag, n))
            for step in ("submit", "approve"):
                act(f"yiyang_review_{step}", id=created["id"])
            names.append(created["name"])
        # the configuration may defer Solr's commits (config/bench.ini)
        search.commit()
        return names


class DevServer:
    """``ckan run --threaded`` (what ``make run`` started before issue 16.3)."""

    def __init__(self, config: str, log: Path) -> None:
        from ckanext.yiyang.serving import launcher

        port = launcher.free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.workers = 1
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [
                *(str(CKAN), "-c", config, "run", "-H", "127.0.0.1", "-p", str(port)),
                *("--disable-reloader", "--disable-debugger", "--threaded"),
            ],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, "CKAN_SITE_URL": self.base},
        )
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"{self.base}/api/3/action/status_show", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"ckan run did not start: see {log}")
            time.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._out.close()


def _url(kind: str, base: str, names: list[str], n: int, rng: random.Random) -> str:
    if kind == "entry page":
        return f"{base}/dataset/{rng.choice(names)}"
    query = QUERIES[n % len(QUERIES)]
    facets = json.dumps(FACETS)
    return f"{base}/api/3/action/package_search?q={query}&rows=20&facet.field={facets}"


@dataclasses.dataclass
class Burst:
    """What the requests of one kind to one server measured, over every round."""

    times: list[float] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    found: list[int] = dataclasses.field(default_factory=list)  # package_search's counts
    wall: float = 0.0

    def figures(self, kind: str) -> dict[str, Any]:
        times = sorted(self.times)
        return {
            "requests": len(times),
            "errors": len(self.errors),
            "error_samples": self.errors[:3],
            "rps": round(len(times) / self.wall, 1),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
            "max_ms": round(times[-1], 1),
            **(
                {"max_found": max(self.found, default=0), "found_total": sum(self.found)}
                if kind.startswith("package_search")
                else {}
            ),
        }


def measure(
    base: str, kind: str, names: list[str], count: int, clients: int, burst: Burst
) -> None:
    """``count`` requests of ``kind`` from ``clients`` threads, added to ``burst``."""
    fire(lambda n, rng: _url(kind, base, names, n, rng), kind, count, clients, burst)


def fire(
    url_of: Callable[[int, random.Random], str],
    kind: str,
    count: int,
    clients: int,
    burst: Burst,
    headers: dict[str, str] | None = None,
) -> None:
    """``count`` GET requests (the ``n``-th to ``url_of(n, rng)``) from ``clients`` threads,
    each with a session of its own, timed into ``burst``; a ``package_search`` answer must
    say ``success``, and its count is kept."""
    local = threading.local()
    lock = threading.Lock()

    def one(n: int) -> None:
        if not hasattr(local, "session"):
            local.session, local.rng = requests.Session(), random.Random(n)
            local.session.headers.update(headers or {})
        url = url_of(n, local.rng)
        started = time.perf_counter()
        found = None
        try:
            response = local.session.get(url, timeout=120)
            ok = response.status_code == 200
            if ok and kind.startswith("package_search"):
                body = response.json()
                ok = body.get("success") is True
                found = body["result"]["count"] if ok else 0
            problem = "" if ok else f"HTTP {response.status_code} {url}"
        except (requests.RequestException, ValueError) as error:
            problem = f"{url}: {error!r}"
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            burst.times.append(elapsed)
            if found is not None:
                burst.found.append(found)
            if problem:
                burst.errors.append(problem[:300])

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, range(count)))
    burst.wall += time.perf_counter() - started


KINDS = ("entry page", "package_search")


def alternate(
    servers: dict[str, Any],
    kinds: tuple[str, ...],
    run: Callable[[str, str, int, Burst], None],
    requests: int,
    rounds: int,
    warm_up: Callable[[Any], int],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each kind in ``rounds`` rounds, each round every server in turn (the machine's other
    load falls on all alike), ``requests`` of a kind per server in all; before, a warm-up of
    ``warm_up(server)`` requests of each kind (each process renders its templates and opens
    its connections once). ``run(label, kind, count, burst)`` sends them. The figures per
    server and kind."""
    bursts = {label: {kind: Burst() for kind in kinds} for label in servers}
    for label, server in servers.items():
        for kind in kinds:
            run(label, kind, warm_up(server), Burst())
    for kind in kinds:
        for n in range(rounds):
            count = requests // rounds + (n < requests % rounds)
            order = list(servers)
            for label in order if n % 2 == 0 else reversed(order):
                run(label, kind, count, bursts[label][kind])
    return {
        label: {kind: bursts[label][kind].figures(kind) for kind in kinds} for label in servers
    }


def compare(
    servers: dict[str, Any], names: list[str], args: argparse.Namespace
) -> dict[str, dict[str, dict[str, Any]]]:
    """:func:`alternate` over the servers: the figures per server and kind."""

    def run(label: str, kind: str, count: int, burst: Burst) -> None:
        measure(servers[label].base, kind, names, count, args.clients, burst)

    figures = alternate(
        servers,
        KINDS,
        run,
        args.requests,
        args.rounds,
        lambda server: 4 * server.workers * args.clients,
    )
    for label, rows in figures.items():
        for kind, row in rows.items():
            print(
                f"{label:24s} {kind:16s} {row['rps']:7.1f} req/s  p50 {row['p50_ms']:7.1f} ms"
                f"  p95 {row['p95_ms']:7.1f} ms  max {row['max_ms']:7.1f} ms  errors {row['errors']}",
                flush=True,
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1000, help="of each kind, per server")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds per kind, the servers alternating"
    )
    args = parser.parse_args()
    config = str(Path(args.config).resolve())
    OUT.mkdir(parents=True, exist_ok=True)
    LOG.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    names = set_up(config, args.entries)
    print(f"set up in {time.perf_counter() - started:.0f} s: {len(names)} published entries")

    from ckanext.yiyang.serving import launcher

    dev = DevServer(config, LOG / "bench-serve-dev.log")
    try:
        try:
            portal = launcher.start(
                config,
                LOG / "bench-serve-gunicorn.log",
                workers=args.workers,
                threads=args.threads,
                cwd=ROOT,
            )
        except launcher.PortalFailed as error:
            sys.exit(str(error))
        try:
            measured = compare({"ckan run --threaded": dev, "gunicorn": portal}, names, args)
        finally:
            portal.stop()
    finally:
        dev.stop()
    dev_figures, ours = measured["ckan run --threaded"], measured["gunicorn"]

    ratios = {
        kind: {
            "rps": round(ours[kind]["rps"] / dev_figures[kind]["rps"], 2),
            "p95": round(ours[kind]["p95_ms"] / dev_figures[kind]["p95_ms"], 2),
        }
        for kind in ours
    }
    for kind, ratio in ratios.items():
        print(f"gunicorn / ckan run, {kind:16s} req/s ×{ratio['rps']}  p95 ×{ratio['p95']}")
    figures = {
        "entries": len(names),
        "clients": args.clients,
        "requests": args.requests,
        "workers": args.workers,
        "threads": args.threads,
        "rounds": args.rounds,
        "ckan_run": dev_figures,
        "gunicorn": ours,
        "ratios": ratios,
        "errors": sum(row["errors"] for server in measured.values() for row in server.values()),
    }
    (OUT / "serve.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(json.dumps(figures, ensure_ascii=False))
    sys.exit(1 if figures["errors"] else 0)


if __name__ == "__main__":
    main()
