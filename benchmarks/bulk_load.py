"""Bulk load of the real entries (issue 16.1): entries/s through the bulk path, the rows skipped
by reason, peak memory, then the time of a full reindex on both cores and an index check.

    .venv/bin/python benchmarks/bulk_load.py --entries 10000 --config config/test.ini
    .venv/bin/python benchmarks/bulk_load.py                 # all 128,929 source rows
    .venv/bin/python benchmarks/bulk_load.py --entries 50    # the smoke run of the tests

A site of its own beside the configuration's database and Solr core (``portal.sh test-site``:
``<db>_bulk`` and ``<core>_bulk``; ``--site`` changes the name), emptied first. The rows are
mapped as benchmarks/real_data.py says (the mapping search_quality.py uses); the entries are
created by :func:`ckanext.yiyang.maintenance.bulk.create_entries` (``package_create`` with
the full validation, ``--batch`` rows a transaction, documents sent ``--batch`` a request, one
Solr commit), drafts of the site user, on ``--workers`` processes (every n-th row each; the
units are created first by one). entries/s is the entries over the slowest process's write
time. The reindex is ``ckan yiyang reindex --workers N``.

With ``--stock-config INI`` (config/bench-stock.ini) the same entries then go into the site's
stock core too (``<core>_<site>_stock``: CKAN's own schema, plain CKAN's ``search.rebuild``
on ``--workers`` processes), timed: stock CKAN's reindex beside ours, and the
baseline of ``search_latency.py --site``. ``--step stock`` does that alone, on the site as it
is.
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
CKAN = ROOT / ".venv" / "bin" / "ckan"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def candidates_of(entries: int, data: str | None) -> tuple[int, list[Any], Any]:
    """(rows read, the mapped candidates, the mapping's stats): the first ``entries`` mapped
    rows of the file (all when 0), a (region, title) loaded once."""
    import real_data

    stats = real_data.Stats()
    candidates: list[real_data.Candidate] = []
    seen: set[tuple[str, str]] = set()
    rows_read = 0
    for rows in real_data.read_rows(real_data.data_path(data)).values():
        for row in rows:
            if entries and len(candidates) >= entries:
                break
            rows_read += 1
            candidate = real_data.map_row(row, stats)
            if candidate is None:
                continue
            if candidate.dup_key in seen:
                stats.skip("duplicate of a loaded (region, title)", candidate.source_id)
                continue
            seen.add(candidate.dup_key)
            candidates.append(candidate)
    return rows_read, candidates, stats


def make_units(config: str, entries: int, data: str | None) -> None:
    """Child process: the units of the candidates (organization_create each)."""
    import real_data
    from search_quality import ckan_app, create_units, site_user

    rows_read, candidates, stats = candidates_of(entries, data)
    with ckan_app(Path(config)).test_request_context():
        started = time.perf_counter()
        titles = real_data.assign_units(candidates, stats)
        units = create_units(titles, site_user())
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows_read": rows_read,
                "mapped": len(candidates),
                "units": len(set(units.values())),
                "unit_titles": len(titles),
                "units_seconds": round(seconds, 1),
                "skipped": dict(stats.skipped.most_common()),
            },
            ensure_ascii=False,
        )
    )


def load(config: str, entries: int, data: str | None, batch: int, part: str) -> None:
    """Child process (the site's environment): part ``i/n`` of the candidates (every n-th),
    written through the bulk path; prints a JSON line."""
    import real_data
    from search_quality import ckan_app, error_fields, site_user

    index, parts = (int(n) for n in part.split("/"))
    _, candidates, _ = candidates_of(entries, data)
    units = real_data.assign_units(candidates)
    mine = candidates[index::parts]
    del candidates
    with ckan_app(Path(config)).test_request_context():
        from ckan import model

        from ckanext.yiyang.maintenance import bulk

        unit_ids: dict[str, str] = {}
        for title, (group, code) in units.items():
            unit = model.Group.get(f"bench-{group}{code}")
            assert unit is not None, f"unit bench-{group}{code} was not created"
            unit_ids[title] = unit.id
        rows = [(c.source_id, {**c.dataset, "owner_org": unit_ids[c.unit]}) for c in mine]
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % (batch * 4) < batch or done == total:
                rate = done / (time.perf_counter() - started)
                print(
                    f"  [{part}] {done}/{total} rows written ({rate:.1f}/s)",
                    file=sys.stderr,
                    flush=True,
                )

        result = bulk.create_entries(rows, {"user": site_user()}, batch=batch, on_batch=progress)
        seconds = time.perf_counter() - started
    refused = collections.Counter(
        f"validation error: {error_fields(error)}" for error in result.refused.values()
    )
    with_items = sum(1 for key, d in rows if key in result.created and d.get("data_items"))
    print(
        json.dumps(
            {
                "entries": len(result.created),
                "with_items": with_items,
                "refused": dict(refused),
                "index_failed": len(result.index_failed),
                "seconds": round(seconds, 1),
                "peak_rss_mb": peak_rss_mb(),
            },
            ensure_ascii=False,
        )
    )


def in_parts(
    command: list[str], workers: int, env: dict[str, str]
) -> tuple[float, list[str], bool]:
    """``command --part i/workers`` on ``workers`` processes at once: (wall seconds, their
    outputs, whether all succeeded)."""
    started = time.perf_counter()
    children = [
        subprocess.Popen(
            [*command, "--part", f"{n}/{workers}"], env=env, stdout=subprocess.PIPE, text=True
        )
        for n in range(workers)
    ]
    outputs = [child.communicate()[0] for child in children]
    seconds = round(time.perf_counter() - started, 1)
    return seconds, outputs, not any(child.returncode for child in children)


def stock_part(stock_config: str, part: str) -> None:
    """Child process (the site's database, its stock core): plain CKAN indexes part ``i/n``
    of the entries (every n-th) with its own ``search.rebuild``, then commits."""
    from search_quality import ckan_app

    index, parts = (int(n) for n in part.split("/"))
    with ckan_app(Path(stock_config)).test_request_context():
        from ckan import model
        from ckan.lib import search

        query = model.Session.query(model.Package.id).filter(model.Package.state == "active")
        mine = [row[0] for row in query.order_by(model.Package.id)][index::parts]
        search.rebuild(package_ids=mine, defer_commit=True)
        search.commit()
    print(json.dumps({"entries": len(mine)}))


def stock(config: str, site_name: str, stock_config: str, workers: int) -> dict[str, Any]:
    """Index the site's entries into its stock core with plain CKAN on ``workers`` processes
    (CKAN's ``rebuild-fast`` forks with its parent's database connections and hangs); its
    figures."""
    from harvest import site_env, stock_core

    env = {**site_env(site_name, config), "CKAN_SOLR_URL": stock_core(site_name)}
    subprocess.run(
        [str(CKAN), "-c", stock_config, "search-index", "clear"],
        env=env,
        capture_output=True,
        check=True,
    )
    me = [sys.executable, __file__, "--config", config, "--stock-config", stock_config]
    seconds, outputs, ok = in_parts([*me, "--step", "stock-part"], workers, env)
    entries = sum(json.loads(out.splitlines()[-1])["entries"] for out in outputs) if ok else 0
    return {"stock_reindex_seconds": seconds, "stock_reindex_ok": ok, "stock_entries": entries}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=0, help="entries to load (0: all rows)")
    parser.add_argument("--config", default=str(ROOT / "config" / "test.ini"))
    parser.add_argument("--data", help="the real catalogs (default: real_data.py's)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="processes of load and reindex")
    parser.add_argument("--site", default="bulk")
    parser.add_argument("--stock-config", help="also index the stock core with this INI")
    parser.add_argument(
        "--step", choices=("all", "units", "load", "stock", "stock-part"), default="all"
    )
    parser.add_argument("--part", default="0/1", help="(load step) i/n: every n-th row from i")
    args = parser.parse_args()
    config = str(Path(args.config).resolve())
    source = ["--entries", str(args.entries)] + (["--data", args.data] if args.data else [])
    if args.step == "units":
        return make_units(config, args.entries, args.data)
    if args.step == "load":
        return load(config, args.entries, args.data, args.batch, args.part)
    stock_config = str(Path(args.stock_config or ROOT / "config" / "bench-stock.ini").resolve())
    if args.step == "stock-part":
        return stock_part(stock_config, args.part)
    if args.step == "stock":
        figures = stock(config, args.site, stock_config, args.workers)
        print(f"stock reindex ({args.workers} workers): {figures['stock_reindex_seconds']} s")
        print(json.dumps(figures))
        sys.exit(0 if figures["stock_reindex_ok"] else 1)

    from harvest import site

    env = site(args.site, config)
    me = [sys.executable, __file__, "--config", config, "--batch", str(args.batch), *source]
    units = subprocess.run(
        [*me, "--step", "units"], env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if units.returncode != 0:
        sys.exit(f"creating the units failed ({units.returncode})")
    summary: dict[str, Any] = json.loads(units.stdout.splitlines()[-1])
    summary["load_wall_seconds"], outputs, ok = in_parts(
        [*me, "--step", "load"], args.workers, env
    )
    if not ok:
        sys.exit("the load failed (a process exited with an error; its output is above)")
    parts = [json.loads(out.splitlines()[-1]) for out in outputs]
    summary["entries"] = sum(p["entries"] for p in parts)
    summary["with_items"] = sum(p["with_items"] for p in parts)
    summary["index_failed"] = sum(p["index_failed"] for p in parts)
    summary["seconds"] = max(p["seconds"] for p in parts)
    summary["entries_per_second"] = (
        round(summary["entries"] / summary["seconds"], 1) if summary["seconds"] else 0
    )
    summary["peak_rss_mb"] = max(p["peak_rss_mb"] for p in parts)
    skipped = collections.Counter(summary["skipped"])
    for part in parts:
        skipped.update(part["refused"])
    summary["skipped"] = dict(skipped.most_common())
    summary["load_average_after_load"] = load_average()

    started = time.perf_counter()
    reindex = subprocess.run(
        [str(CKAN), "-c", config, "yiyang", "reindex", "--workers", str(args.workers)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary["reindex_seconds"] = round(time.perf_counter() - started, 1)
    summary["reindex_ok"] = reindex.returncode == 0
    summary["load_average_after_reindex"] = load_average()
    if reindex.returncode != 0:
        sys.stderr.write(reindex.stdout[-3000:] + reindex.stderr[-3000:])
    check = subprocess.run(
        [str(CKAN), "-c", config, "yiyang", "index-check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary["index_check_ok"] = check.returncode == 0
    if check.returncode != 0:
        sys.stderr.write(check.stdout[-3000:] + check.stderr[-3000:])
    if args.stock_config:
        summary.update(stock(config, args.site, stock_config, args.workers))

    print("rows skipped by reason:")
    for reason, count in collections.Counter(summary["skipped"]).most_common():
        print(f"  {count:7d}  {reason}")
    print(
        f"loaded {summary['entries']} entries ({summary['with_items']} with 信息项) in "
        f"{summary['seconds']} s on {args.workers} processes: {summary['entries_per_second']} "
        f"entries/s (wall {summary['load_wall_seconds']} s with start-up), peak RSS "
        f"{summary['peak_rss_mb']} MB a process; load average {summary['load_average_after_load']}"
    )
    print(
        f"reindex ({args.workers} workers): {summary['reindex_seconds']} s; index check "
        f"{'clean' if summary['index_check_ok'] else 'NOT clean'}; load average "
        f"{summary['load_average_after_reindex']}"
    )
    if args.stock_config:
        print(
            f"stock reindex ({args.workers} workers, CKAN's own search.rebuild): "
            f"{summary['stock_reindex_seconds']} s"
        )
    print(json.dumps(summary, ensure_ascii=False))
    if not (summary["reindex_ok"] and summary["index_check_ok"]) or summary["index_failed"]:
        sys.exit(1)
    if args.stock_config and not summary["stock_reindex_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
