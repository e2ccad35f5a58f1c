"""A working day's load held (issue 17.3): locust's simulated users in a realistic mix against
the production server (gunicorn, as ``make run`` serves it) with the job worker beside it.

    .venv/bin/python benchmarks/load.py                          # 20 users, 10 minutes
    .venv/bin/python benchmarks/load.py --users 3 --minutes 0.35 --units 3 --entries 12

1. In this process (CKAN loaded from ``--config``, as its CLI does; the set-up of
   benchmarks/sharing_load.py): the office with its reviewer, ``--units`` units, each with two
   admins, an editor and a member, every one with an API token, and ``--entries`` published
   conditional entries with 信息项 and a linked resource (so applications can be approved),
   half disclosed to the public (what anonymous visitors see), half internal. Each run makes
   new units and users (a random tag): the data stays in the configured databases. The run
   has a Redis database of its own (``--redis-db``, emptied first; ``CKAN_REDIS_URL`` points
   this process, the portal and the worker at it): its worker runs only the jobs this run
   enqueued, never ones another process (the test suite beside it) or an earlier run left.
2. Starts the portal as ``make run`` does (gunicorn with ``--workers`` worker processes, on a
   free port, ckanext/yiyang/serving/) and the job worker (``ckan jobs worker``: the
   notification mails, the index and the other jobs the users' steps enqueue).
3. Runs locust (``--users`` users, ``--spawn-rate`` a second, for ``--minutes``) on
   benchmarks/load_users.py, which documents the mix and the weight of each task; each user
   waits ``--wait`` seconds (min,max) between tasks, as a clerk reads a page.
4. Meanwhile samples every ``--sample`` seconds, with psutil, the CPU (% of one core) and the
   memory (RSS) of each service: PostgreSQL (every postgres process), Solr (java), Redis, the
   gunicorn master and workers, the job worker (with the job processes it forks) and locust.
   PostgreSQL, Solr and Redis are shared with whatever else runs on the machine: their figures
   include it. The machine's load average is sampled too (other agents share the cores).

Prints the requests, errors, p50 / p95 / max milliseconds of each request type, the throughput,
the workflows' counts, each service's CPU (mean, max) and memory (max), and last one JSON line;
writes it to var/bench/load.json. Exits 1 when any request failed (every response is checked:
a page must answer 200 without a redirect, an API call 200 with ``success``) or the job worker
logged a failure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil
import sharing_load
import yaml
from serve import FACETS

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
OUT = ROOT / "var" / "bench"
LOG = ROOT / "var" / "log"
BIN = Path(sys.executable).parent


def queries() -> list[str]:
    """What the users search for: the queries of benchmarks/queries.yaml, words of the set-up's
    titles, and the empty query (the newest entries)."""
    listed = yaml.safe_load((HERE / "queries.yaml").read_text(encoding="utf-8"))["queries"]
    return [str(q["query"]) for q in listed] + ["负载测试", "信息资源", "负载测试 信息资源", ""]


def set_up(config: str, units: int, entries: int) -> dict[str, Any]:
    city = sharing_load.set_up(
        config, units, entries, more_staff={"editor": "editor"}, scopes=("public", "internal")
    )
    # the configuration may defer Solr's commits (config/bench.ini)
    from ckan.lib import search

    search.commit()
    valid_until = datetime.date.today() + datetime.timedelta(days=365)
    return {
        **city,
        "queries": queries(),
        "facets": FACETS,
        "valid_until": valid_until.isoformat(),
    }


class Sampler(threading.Thread):
    """CPU and RSS of each service every ``every`` seconds; with ``pss``, the proportional set
    size instead (memory shared by a service's processes, PostgreSQL's shared buffers, counted
    once)."""

    def __init__(
        self, every: float, roots: dict[str, psutil.Process | None], pss: bool = False
    ) -> None:
        super().__init__(daemon=True)
        self.every, self.roots, self.pss = every, roots, pss
        self.cpu: dict[str, list[float]] = {name: [] for name in self.names}
        self.rss: dict[str, list[float]] = {name: [] for name in self.names}
        self.load: list[float] = []
        self.known: dict[int, psutil.Process] = {}
        self.halt = threading.Event()

    names = ("postgresql", "solr", "redis", "gunicorn", "job worker", "locust")

    def processes(self) -> dict[str, list[psutil.Process]]:
        found: dict[str, list[psutil.Process]] = {name: [] for name in self.names}
        by_name = {"postgres": "postgresql", "java": "solr", "redis-server": "redis"}
        for process in psutil.process_iter(["name"]):
            group = by_name.get(process.info["name"] or "")
            if group:
                found[group].append(process)
        for group, root in self.roots.items():
            if root is None:
                continue
            with contextlib.suppress(psutil.NoSuchProcess):
                found[group] += [root, *root.children(recursive=True)]
        return found

    def sample(self) -> None:
        for group, processes in self.processes().items():
            cpu = rss = 0.0
            for process in processes:
                # the same Process object each time: cpu_percent measures since the last call
                known = self.known.setdefault(process.pid, process)
                try:
                    cpu += known.cpu_percent(None)
                    memory = known.memory_full_info().pss if self.pss else known.memory_info().rss
                    rss += memory / 2**20
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    self.known.pop(process.pid, None)
            self.cpu[group].append(cpu)
            self.rss[group].append(rss)
        self.load.append(os.getloadavg()[0])

    def run(self) -> None:
        self.sample()  # primes cpu_percent; this first sample is dropped
        for series in (*self.cpu.values(), *self.rss.values()):
            series.clear()
        self.load.clear()
        while not self.halt.wait(self.every):
            self.sample()

    def figures(self) -> dict[str, dict[str, float]]:
        return {
            group: {
                "cpu_mean_pct": round(statistics.fmean(self.cpu[group] or [0]), 1),
                "cpu_max_pct": round(max(self.cpu[group] or [0]), 1),
                "rss_max_mb": round(max(self.rss[group] or [0]), 1),
            }
            for group in self.names
        }


def own_redis(config: str, db: int) -> None:
    """The run's own Redis database ``db``, emptied, for this process and the ones it starts
    (``CKAN_REDIS_URL``, which wins over the configuration's ``ckan.redis.url``, as it does for
    the test suite's workers)."""
    import redis
    from ckan.cli import load_config

    url = os.environ.get("CKAN_REDIS_URL") or str(
        load_config(config).get("ckan.redis.url") or "redis://127.0.0.1:6379/0"
    )
    own = urlunsplit(urlsplit(url)._replace(path=f"/{db}"))
    if own == url:
        sys.exit(f"--redis-db {db} is the configuration's own Redis database ({url})")
    redis.Redis.from_url(own).flushdb()
    os.environ["CKAN_REDIS_URL"] = own


def start_worker(config: str) -> subprocess.Popen[bytes]:
    """``ckan jobs worker`` as config/bin/portal.sh starts it beside the portal."""
    with (LOG / "bench-load-worker.log").open("wb") as out:
        return subprocess.Popen(
            [str(BIN / "ckan"), "-c", config, "jobs", "worker"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def worker_failures() -> list[str]:
    """The job worker's failed jobs, from its log (rq writes a traceback for each)."""
    text = (LOG / "bench-load-worker.log").read_text(errors="replace")
    return [line[:300] for line in text.splitlines() if "Traceback" in line or " ERROR " in line]


def run_locust(base: str, plan: Path, result: Path, args: argparse.Namespace) -> Any:
    env = {
        **os.environ,
        "YIYANG_LOAD_PLAN": str(plan),
        "YIYANG_LOAD_RESULT": str(result),
        "YIYANG_LOAD_WAIT": args.wait,
        "YIYANG_LOAD_FIRST_ROUND": "1" if args.first_round else "",
    }
    with (LOG / "bench-load-locust.log").open("wb") as out:
        return subprocess.Popen(
            [
                *(str(BIN / "locust"), "-f", str(HERE / "load_users.py"), "--headless"),
                *("--users", str(args.users), "--spawn-rate", str(args.spawn_rate)),
                *("--run-time", f"{round(args.minutes * 60)}s", "--host", base),
                *("--stop-timeout", "30", "--only-summary", "--loglevel", "WARNING"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env,
        )


def report(figures: dict[str, Any]) -> None:
    print(f"{'request type':36s} {'requests':>8s} {'errors':>6s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for kind, row in figures["kinds"].items():
        print(
            f"{kind:36s} {row['requests']:8d} {row['errors']:6d} {row['p50_ms']:8.0f}"
            f" {row['p95_ms']:8.0f}"
        )
    print(
        f"{figures['requests']} requests, {figures['errors']} errors, "
        f"{figures['throughput_rps']} requests/s over {figures['seconds']} s; "
        f"load average (1 min) mean {figures['loadavg_mean']}, max {figures['loadavg_max']}"
    )
    print("workflows:", json.dumps(figures["workflows"], ensure_ascii=False))
    print(f"{'service':12s} {'CPU mean %':>10s} {'CPU max %':>10s} {'RSS max MB':>10s}")
    for group, row in figures["services"].items():
        print(
            f"{group:12s} {row['cpu_mean_pct']:10.1f} {row['cpu_max_pct']:10.1f}"
            f" {row['rss_max_mb']:10.1f}"
        )
    for sample in figures["error_samples"]:
        print("error:", sample)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started a second")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn's worker processes (make run: 2)"
    )
    parser.add_argument("--units", type=int, default=8)
    parser.add_argument("--entries", type=int, default=300, help="published entries")
    parser.add_argument("--wait", default="2,5", help="seconds between a user's tasks: min,max")
    parser.add_argument(
        "--first-round",
        action="store_true",
        help="each user does every task once first (the smoke run: every request type)",
    )
    parser.add_argument("--sample", type=float, default=3, help="seconds between samples")
    parser.add_argument(
        "--redis-db", type=int, default=9, help="the run's own Redis database, emptied first"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    LOG.mkdir(parents=True, exist_ok=True)
    config = str(Path(args.config).resolve())
    own_redis(config, args.redis_db)

    started = time.perf_counter()
    plan = set_up(config, args.units, args.entries)
    print(
        f"set up in {time.perf_counter() - started:.0f} s: {len(plan['units'])} units, "
        f"{len(plan['entries'])} published entries",
        flush=True,
    )
    plan_file, result_file = OUT / "load-plan.json", OUT / "load-result.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False))
    result_file.unlink(missing_ok=True)

    from ckanext.yiyang.serving import launcher

    worker = start_worker(config)
    try:
        try:
            portal = launcher.start(config, LOG / "bench-load.log", workers=args.workers, cwd=ROOT)
        except launcher.PortalFailed as error:
            sys.exit(str(error))
        try:
            locust = run_locust(portal.base, plan_file, result_file, args)
            sampler = Sampler(
                args.sample,
                {
                    "gunicorn": psutil.Process(portal.process.pid),
                    "job worker": psutil.Process(worker.pid),
                    "locust": psutil.Process(locust.pid),
                },
            )
            sampler.start()
            ran = time.perf_counter()
            locust.wait(timeout=args.minutes * 60 + 300)
            seconds = time.perf_counter() - ran
            sampler.halt.set()
            sampler.join()
        finally:
            portal.stop()
        # the jobs the last steps enqueued
        time.sleep(3)
    finally:
        stop(worker)
    plan_file.unlink(missing_ok=True)
    if not result_file.exists():
        tail = (LOG / "bench-load-locust.log").read_text(errors="replace")[-3000:]
        sys.exit(f"locust wrote no figures:\n{tail}")
    figures = json.loads(result_file.read_text())
    failed_jobs = worker_failures()
    figures.update(
        {
            "users": args.users,
            "minutes": args.minutes,
            "workers": args.workers,
            "units": len(plan["units"]),
            "entries": len(plan["entries"]),
            "seconds": round(seconds),
            "throughput_rps": round(figures["requests"] / seconds, 2),
            "services": sampler.figures(),
            "samples": len(sampler.load),
            "loadavg_mean": round(statistics.fmean(sampler.load or [0]), 2),
            "loadavg_max": round(max(sampler.load or [0]), 2),
            "failed_jobs": len(failed_jobs),
        }
    )
    figures["errors"] += len(failed_jobs)
    figures["error_samples"] += failed_jobs[:5]
    report(figures)
    (OUT / "load.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(json.dumps(figures, ensure_ascii=False))
    sys.exit(1 if figures["errors"] or locust.returncode not in (0, 1) else 0)


if __name__ == "__main__":
    main()
