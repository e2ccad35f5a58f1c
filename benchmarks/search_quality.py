"""Search quality on real catalog data: ours against stock CKAN on the same entries.

    .venv/bin/python benchmarks/search_quality.py map                     # dry run: mapping only
    .venv/bin/python benchmarks/search_quality.py load --config config/bench.ini
    .venv/bin/python benchmarks/search_quality.py evaluate
    .venv/bin/python benchmarks/search_quality.py run                     # load + evaluate

``load`` resets the benchmark's database and cores, picks a seeded sample of real entries of
several portals from ../shared/data/real-catalogs/catalog_all.jsonl.gz, maps each onto our schema
(benchmarks/README.md states every decision), creates the units and the entries through the
action API in this process (config/bench.ini, every plugin of ours) and indexes the same database
into the stock core with plain CKAN (config/bench-stock.ini). ``evaluate`` runs the hand-written,
hand-judged queries of benchmarks/queries.yaml through ``package_search`` under each system and
prints recall@10 and MRR per kind of query, side by side: ``ours`` (character pairs and words,
config/bench.ini), ``old`` (the character pairs only, as before issue 16.2: the same core
searched with ``ckanext.yiyang.search.words = false``, config/bench-pairs.ini) and ``stock``
(plain CKAN, config/bench-stock.ini); ``--also NAME=INI`` adds another (e.g. a core with the ICU
tokenizer). Nothing of the real data enters the repository.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from real_data import (
    DATA_ENV,
    ITEM_LENGTH,
    ITEM_TYPE,
    SHARE_METHOD,
    SHARE_TYPE,
    Candidate,
    Stats,
    assign_units,
    data_path,
    map_rows,
    portal_of,
    read_rows,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config" / "bench.ini"
DEFAULT_STOCK_CONFIG = ROOT / "config" / "bench-stock.ini"
DEFAULT_OLD_CONFIG = ROOT / "config" / "bench-pairs.ini"
DEFAULT_QUERIES = ROOT / "benchmarks" / "queries.yaml"
OUT_DIR = ROOT / "var" / "bench"
IDS_FILE = OUT_DIR / "ids.json"
LOAD_FILE = OUT_DIR / "load.json"
TITLES_FILE = OUT_DIR / "titles.json"
RUN_QUERIES_FILE = OUT_DIR / "queries-run.json"
RESULT_FILE = OUT_DIR / "search_quality.json"
CKAN = ROOT / ".venv" / "bin" / "ckan"

# The sample: portal prefix → rows drawn (all when the portal has fewer). hn- and bj- carry
# data_items_from_summary; sh- carries national_theme and many duplicates; hn- and zj- name
# their providers relatively (省…厅). (hz- is left out: it has neither tags nor a category, so
# none of its rows has a keyword.) Changing these changes which source ids are loaded,
# and benchmarks/queries.yaml is judged against that selection: do not change them lightly.
SEED = "yiyang-search-quality-1"
PORTAL_QUOTAS: dict[str, int] = {
    "hn": 1800,
    "bj": 789,
    "sh": 900,
    "zj": 800,
    "gx": 900,
    "scdz": 600,
    "scyb": 500,
    "gy": 500,
    "jsyc": 400,
    "xm": 400,
    "nn": 300,
}
TOP_K = 10
# Besides the judged queries: this many loaded entries, drawn with the seed, are searched by
# their own title (known-item search judged automatically: the entry and its exact duplicates).
SELF_TITLE_SAMPLE = 400
# A title in which a run of Chinese is followed, with no space between, by more text: by
# punctuation and more words (、 - _ （ …) or directly by digits or Latin letters.
_CJK = "\u4e00-\u9fff"
_ALNUM = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
MIXED_TITLE = re.compile(f"[{_CJK}](?:[^{_CJK}{_ALNUM}\\s]+[{_CJK}{_ALNUM}]|[{_ALNUM}])")

# --- reading and selecting -----------------------------------------------------------------


def select_rows(
    rows: dict[str, list[dict[str, Any]]], sample: int = 0, keep: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """A seeded sample per portal (reproducible: string seeds hash the same in every run).
    ``sample``: only that many of each portal's, plus the rows of ``keep`` among them (the
    smoke run's: the entries its queries were judged relevant)."""
    chosen: list[dict[str, Any]] = []
    for portal, quota in PORTAL_QUOTAS.items():
        candidates = rows.get(portal, [])
        rng = random.Random(f"{SEED}:{portal}")
        picked = candidates if len(candidates) <= quota else rng.sample(candidates, quota)
        if sample:
            picked = picked[:sample] + [r for r in picked[sample:] if r["id"] in keep]
        chosen.extend(sorted(picked, key=lambda r: r["id"]))
    return chosen


def prepare(
    data_option: str | None, sample: int = 0, keep: frozenset[str] = frozenset()
) -> tuple[list[dict[str, Any]], list[Candidate], Stats]:
    rows = select_rows(read_rows(data_path(data_option), PORTAL_QUOTAS), sample, keep)
    stats = Stats()
    return rows, map_rows(rows, stats), stats


# --- CKAN in this process -------------------------------------------------------------------


def ckan_app(config: Path) -> Any:
    """CKAN loaded with ``config`` (as its CLI does); returns the Flask app for its contexts."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(str(config)))._wsgi_app


def ckan_command(config: Path, *args: str) -> None:
    """One `ckan` CLI command; its output is shown only when it fails."""
    done = subprocess.run([str(CKAN), "-c", str(config), *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        sys.exit(f"`ckan -c {config} {' '.join(args)}` failed ({done.returncode})")


def reset(config: Path, stock_config: Path) -> None:
    """An empty benchmark database with every migration, and both cores emptied of it. Its
    DataStore database (which ``db clean`` empties too) is created first when missing: a fresh
    clone that ran only ``make test`` has none."""
    done = subprocess.run(
        [str(ROOT / "config" / "bin" / "portal.sh"), "datastore", str(config)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        sys.exit(f"creating the DataStore database of {config} failed ({done.returncode})")
    ckan_command(config, "db", "clean", "--yes")
    ckan_command(config, "db", "init")
    ckan_command(config, "db", "pending-migrations", "--apply")
    ckan_command(config, "search-index", "clear")
    ckan_command(stock_config, "search-index", "clear")


def site_user() -> str:
    import ckan.plugins.toolkit as tk

    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def create_units(units: dict[str, tuple[str, str]], user: str) -> dict[str, str]:
    """organization_create for each unit; unit title → organization id. Units sharing a code
    (:func:`real_data.assign_units`) are the first of them."""
    import ckan.plugins.toolkit as tk

    ids: dict[str, str] = {}
    made: dict[tuple[str, str], str] = {}
    for title, (group, code) in units.items():
        if (group, code) in made:
            ids[title] = made[group, code]
            continue
        org = tk.get_action("organization_create")(
            {"user": user},
            {
                "name": f"bench-{group}{code}",
                "title": title,
                "unit_group": group,
                "unit_code": code,
            },
        )
        ids[title] = made[group, code] = org["id"]
    return ids


def error_fields(error: Exception) -> str:
    summary = getattr(error, "error_dict", None) or {}
    return ", ".join(sorted(summary)) or type(error).__name__


def create_entries(
    candidates: list[Candidate], unit_ids: dict[str, str], user: str, stats: Stats
) -> dict[str, str]:
    """package_create for each candidate not already loaded; source id → dataset id."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    loaded: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    for n, candidate in enumerate(candidates, 1):
        if n % 500 == 0:
            print(f"  {n}/{len(candidates)} rows, {len(loaded)} entries", flush=True)
        if candidate.dup_key in seen:
            stats.skip("duplicate of a loaded (region, title)", candidate.source_id)
            continue
        data = {**candidate.dataset, "owner_org": unit_ids[candidate.unit]}
        try:
            created = tk.get_action("package_create")({"user": user}, data)
        except tk.ValidationError as error:
            stats.skip(f"validation error: {error_fields(error)}", candidate.source_id)
            continue
        except Exception as error:  # keep loading; the table shows what failed and where
            model.Session.rollback()
            stats.skip(f"error: {type(error).__name__}: {str(error)[:80]}", candidate.source_id)
            continue
        seen.add(candidate.dup_key)
        loaded[candidate.source_id] = created["id"]
    return loaded


def solr_commit() -> None:
    from ckan.lib.search.common import make_connection

    make_connection().commit(waitSearcher=True)


def load(args: argparse.Namespace) -> dict[str, Any]:
    config, stock_config = Path(args.config), Path(args.stock_config)
    keep = frozenset(r for q in read_queries(Path(args.queries)) for r in q.relevant)
    rows, candidates, stats = prepare(args.data, args.sample, keep if args.sample else frozenset())
    units = assign_units(candidates)
    print(
        f"selected {len(rows)} rows of {len(PORTAL_QUOTAS)} portals; "
        f"{len(candidates)} mapped, {len(units)} units"
    )

    started = time.perf_counter()
    reset(config, stock_config)
    reset_seconds = time.perf_counter() - started

    with ckan_app(config).test_request_context():
        user = site_user()
        started = time.perf_counter()
        unit_ids = create_units(units, user)
        units_seconds = time.perf_counter() - started
        started = time.perf_counter()
        loaded = create_entries(candidates, unit_ids, user, stats)
        entries_seconds = time.perf_counter() - started
        started = time.perf_counter()
        solr_commit()
        commit_seconds = time.perf_counter() - started

    started = time.perf_counter()
    ckan_command(stock_config, "search-index", "rebuild", "--quiet")
    stock_seconds = time.perf_counter() - started

    summary = {
        "selected_rows": len(rows),
        "selected_by_portal": dict(collections.Counter(portal_of(r["id"]) for r in rows)),
        "loaded": len(loaded),
        "loaded_by_portal": dict(collections.Counter(portal_of(s) for s in loaded)),
        "loaded_with_items": sum(
            1 for c in candidates if c.source_id in loaded and c.dataset.get("data_items")
        ),
        "units": len(units),
        "units_by_group": dict(sorted(collections.Counter(g for g, _ in units.values()).items())),
        "mapping": stats.as_dict(),
        "seconds": {
            "reset": round(reset_seconds, 1),
            "units": round(units_seconds, 1),
            "entries": round(entries_seconds, 1),
            "solr_commit": round(commit_seconds, 1),
            "stock_rebuild": round(stock_seconds, 1),
        },
        "entries_per_second": round(len(loaded) / entries_seconds, 1) if entries_seconds else 0,
        "stock_entries_per_second": round(len(loaded) / stock_seconds, 1) if stock_seconds else 0,
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    IDS_FILE.write_text(json.dumps(loaded, indent=0, sort_keys=True), encoding="utf-8")
    titles = {c.source_id: c.dataset["title"] for c in candidates if c.source_id in loaded}
    TITLES_FILE.write_text(json.dumps(titles, ensure_ascii=False, indent=0), encoding="utf-8")
    LOAD_FILE.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print_load(summary)
    return summary


# --- evaluation -----------------------------------------------------------------------------


@dataclasses.dataclass
class Query:
    qid: str
    kind: str
    text: str
    relevant: list[str]


def read_queries(path: Path) -> list[Query]:
    """The queries of a YAML file (benchmarks/queries.yaml) or of the JSON file written for
    the searching child processes (same shape)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML too
    return [
        Query(str(q["id"]), str(q["kind"]), str(q["query"]), [str(r) for r in q["relevant"]])
        for q in spec["queries"]
    ]


def search(args: argparse.Namespace) -> None:
    """(Run in a child process per config.) Each query's top dataset ids, as JSON."""
    queries = read_queries(Path(args.queries))
    with ckan_app(Path(args.config)).test_request_context():
        import ckan.plugins.toolkit as tk

        user = site_user()
        results: dict[str, list[str]] = {}
        started = time.perf_counter()
        for query in queries:
            # The loaded entries are drafts (private until reviewed and published): the site
            # user, a sysadmin, sees them only with include_private, under both configs.
            found = tk.get_action("package_search")(
                {"user": user}, {"q": query.text, "rows": TOP_K, "include_private": True}
            )
            results[query.qid] = [d["id"] for d in found["results"]]
        seconds = time.perf_counter() - started
    Path(args.out).write_text(
        json.dumps({"results": results, "seconds": seconds}), encoding="utf-8"
    )


def run_searches(config: Path, queries: Path) -> dict[str, Any]:
    out = OUT_DIR / f"results-{config.stem}.json"
    command = [
        sys.executable,
        __file__,
        "search",
        "--config",
        str(config),
        "--queries",
        str(queries),
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        sys.exit(f"searching with {config} failed")
    return json.loads(out.read_text(encoding="utf-8"))


def self_title_queries(loaded: dict[str, str]) -> list[Query]:
    """A seeded sample of loaded entries, each searched by its own title; the entries loaded
    with exactly the same title (other regions) count as relevant too."""
    if not TITLES_FILE.exists():
        return []
    titles: dict[str, str] = json.loads(TITLES_FILE.read_text(encoding="utf-8"))
    by_title: dict[str, list[str]] = collections.defaultdict(list)
    for source_id, title in titles.items():
        if source_id in loaded:
            by_title[title].append(source_id)
    ids = sorted(s for s in titles if s in loaded)
    picked = random.Random(f"{SEED}:titles").sample(ids, min(SELF_TITLE_SAMPLE, len(ids)))
    return [
        Query(
            f"self-{source_id}",
            "self_title/mixed" if MIXED_TITLE.search(titles[source_id]) else "self_title/plain",
            titles[source_id],
            by_title[titles[source_id]],
        )
        for source_id in sorted(picked)
    ]


def score(ranked: list[str], relevant: set[str]) -> tuple[float, float, int | None]:
    """recall@10 (relevant found / min(|relevant|, 10)), reciprocal rank, rank of first hit."""
    top = ranked[:TOP_K]
    hits = sum(1 for s in top if s in relevant)
    first = next((i for i, s in enumerate(top, 1) if s in relevant), None)
    return hits / min(len(relevant), TOP_K), (1 / first if first else 0.0), first


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def metrics(rows: list[dict[str, Any]], systems: list[str]) -> dict[str, dict[str, Any]]:
    """Mean recall@10 and MRR per kind of query and over all, for each system."""
    table: dict[str, dict[str, Any]] = {}
    for kind in [*sorted({q["kind"] for q in rows}), "all"]:
        selected = [q for q in rows if kind in ("all", q["kind"])]
        table[kind] = {"queries": len(selected)}
        for name in systems:
            table[kind][name] = {
                "recall@10": round(mean([q[name]["recall"] for q in selected]), 3),
                "mrr": round(mean([q[name]["rr"] for q in selected]), 3),
            }
    return table


def evaluate(args: argparse.Namespace, show_load: bool = True) -> dict[str, Any]:
    if not IDS_FILE.exists():
        sys.exit(f"{IDS_FILE} is missing: run `search_quality.py load` first")
    loaded: dict[str, str] = json.loads(IDS_FILE.read_text(encoding="utf-8"))
    to_source = {dataset_id: source_id for source_id, dataset_id in loaded.items()}
    judged = read_queries(Path(args.queries))
    self_titles = self_title_queries(loaded)
    queries = judged + self_titles
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    RUN_QUERIES_FILE.write_text(
        json.dumps(
            {
                "queries": [
                    {"id": q.qid, "kind": q.kind, "query": q.text, "relevant": q.relevant}
                    for q in queries
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    systems = {"ours": Path(args.config)}
    if args.old_config != "none":
        systems["old"] = Path(args.old_config)
    for extra in args.also or []:
        name, _, ini = extra.partition("=")
        if not name or not ini or name in ("ours", "old", "stock"):
            sys.exit(f"--also {extra}: expected NAME=INI with a new NAME")
        systems[name] = Path(ini)
    systems["stock"] = Path(args.stock_config)
    raw = {name: run_searches(config, RUN_QUERIES_FILE) for name, config in systems.items()}

    per_query: list[dict[str, Any]] = []
    not_loaded: dict[str, list[str]] = {}
    for query in queries:
        relevant = {s for s in query.relevant if s in loaded}
        if len(relevant) < len(query.relevant):
            not_loaded[query.qid] = sorted(set(query.relevant) - relevant)
        if not relevant:
            continue
        row: dict[str, Any] = {
            "id": query.qid,
            "kind": query.kind,
            "query": query.text,
            "relevant": len(relevant),
        }
        for name in systems:
            ranked = [to_source.get(d, d) for d in raw[name]["results"][query.qid]]
            recall, rr, first = score(ranked, relevant)
            row[name] = {"recall": recall, "rr": rr, "first": first, "top": ranked}
        per_query.append(row)

    judged_rows = [q for q in per_query if not q["kind"].startswith("self_title")]
    self_rows = [q for q in per_query if q["kind"].startswith("self_title")]
    table = metrics(judged_rows, list(systems))
    self_table = metrics(self_rows, list(systems))
    summary = json.loads(LOAD_FILE.read_text(encoding="utf-8")) if LOAD_FILE.exists() else {}
    report = {
        "loaded": len(loaded),
        "load": summary,
        "queries": len(judged_rows),
        "relevant_not_loaded": not_loaded,
        "metrics": table,
        "self_title_metrics": self_table,
        "per_query": judged_rows,
        "self_title_misses": {
            name: [
                {"query": q["query"], "relevant": q["relevant"], "first": q[name]["first"]}
                for q in self_rows
                if not q[name]["first"]
            ]
            for name in systems
        },
        "systems": {name: str(config) for name, config in systems.items()},
        "search_seconds": {name: round(raw[name]["seconds"], 2) for name in systems},
        "benchmark_defaults": {
            "share_type": SHARE_TYPE,
            "share_method": SHARE_METHOD,
            "data_item": {"data_type": ITEM_TYPE, "length": ITEM_LENGTH},
        },
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if summary and show_load:  # `run` has just printed it
        print_load(summary)
    print_evaluation(report)
    return report


# --- printing -------------------------------------------------------------------------------


def print_table(title: str, counts: dict[str, int], total: int | None = None) -> None:
    print(f"\n{title}")
    if not counts:
        print("  (none)")
    for reason, count in counts.items():
        print(f"  {count:6d}  {reason}")
    if total is not None:
        print(f"  {total:6d}  total")


def print_mapping(stats: dict[str, Any]) -> None:
    print_table("rows skipped, by reason:", stats["skipped"], sum(stats["skipped"].values()))
    for reason, examples in stats["skip_examples"].items():
        print(f"    {reason}: e.g. {', '.join(examples)}")
    print_table("values defaulted or substituted (entries still loaded):", stats["defaulted"])
    for what, values in stats["unmapped_values"].items():
        shown = "; ".join(f"{v} ×{n}" for v, n in list(values.items())[:6])
        print(f"    {what}: {shown}")
    print(
        f"\nbenchmark placeholders (the sources have no 共享类型): share_type={SHARE_TYPE}, "
        f"share_method={SHARE_METHOD}; 信息项 data_type={ITEM_TYPE} length={ITEM_LENGTH}"
    )


def print_load(summary: dict[str, Any]) -> None:
    print(f"\nselected {summary['selected_rows']} rows: {summary['selected_by_portal']}")
    print(
        f"loaded {summary['loaded']} entries ({summary['loaded_with_items']} with 信息项) "
        f"of {len(summary['loaded_by_portal'])} portals: {summary['loaded_by_portal']}"
    )
    print(f"units {summary['units']} by group {summary['units_by_group']}")
    print_mapping(summary["mapping"])
    seconds = summary["seconds"]
    print(
        f"\nload: {summary['entries_per_second']} entries/s through package_create "
        f"({seconds['entries']} s; units {seconds['units']} s, reset {seconds['reset']} s, "
        f"Solr commit {seconds['solr_commit']} s); stock reindex {seconds['stock_rebuild']} s "
        f"({summary['stock_entries_per_second']} entries/s)"
    )


def print_evaluation(report: dict[str, Any]) -> None:
    if report["relevant_not_loaded"]:
        print("\njudged relevant but not loaded (left out of the scores):")
        for qid, ids in report["relevant_not_loaded"].items():
            print(f"  {qid}: {', '.join(ids)}")
    systems = list(report["systems"])
    print("\nper query: rank of the first relevant entry (- = not in the top 10), recall@10")
    for q in report["per_query"]:
        ranks = "   ".join(
            f"{name} {q[name]['first'] or '-':>2} {q[name]['recall']:.2f}" for name in systems
        )
        print(f"  {q['id']:5} {q['kind']:13} |R|={q['relevant']:<2} {ranks}   {q['query']}")
    print(
        f"\n{report['queries']} hand-judged queries on {report['loaded']} entries; recall@10 is "
        "capped (relevant found in the top 10 / min(|R|, 10))"
    )
    print_metrics(report["metrics"])
    if report["self_title_metrics"]["all"]["queries"]:
        print(
            f"\nknown-item check, not hand-judged: {SELF_TITLE_SAMPLE} loaded entries (seeded) "
            "searched by their own title; mixed = a run of Chinese in the title is followed, "
            "without a space, by punctuation and more text, digits or Latin letters"
        )
        print_metrics(report["self_title_metrics"])
        for name, misses in report["self_title_misses"].items():
            shown = "; ".join(m["query"] for m in misses[:5])
            print(f"  {name} misses {len(misses)}" + (f", e.g. {shown}" if shown else ""))
    print(f"\nwritten to {RESULT_FILE}")


def print_metrics(table: dict[str, dict[str, Any]]) -> None:
    systems = [name for name in next(iter(table.values())) if name != "queries"]
    header = "   ".join(f"{name + ' R@10':>11} {name + ' MRR':>10}" for name in systems)
    print(f"  {'kind':16} {'n':>3}   {header}")
    for kind, row in table.items():
        if kind == "all":
            print("  " + "-" * (22 + 25 * len(systems)))
        figures = "   ".join(
            f"{row[name]['recall@10']:>11.3f} {row[name]['mrr']:>10.3f}" for name in systems
        )
        print(f"  {kind:16} {row['queries']:>3}   {figures}")


# --- command line ---------------------------------------------------------------------------


def dry_run(args: argparse.Namespace) -> None:
    """Select and map without CKAN: what `load` would try to create. --dump writes the mapped
    rows (for writing and judging queries)."""
    rows, candidates, stats = prepare(args.data)
    seen: set[tuple[str, str]] = set()
    for candidate in candidates:
        if candidate.dup_key in seen:
            stats.skip("duplicate of a loaded (region, title)", candidate.source_id)
        seen.add(candidate.dup_key)
    units = assign_units(candidates)
    print(
        f"selected {len(rows)} rows; {len(candidates)} mapped; {len(units)} units "
        f"by group {dict(sorted(collections.Counter(g for g, _ in units.values()).items()))}"
    )
    print_mapping(stats.as_dict())
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for c in candidates:
                out.write(
                    json.dumps(
                        {"id": c.source_id, "unit": c.unit, **c.dataset}, ensure_ascii=False
                    )
                    + "\n"
                )
        print(f"\nmapped rows written to {args.dump}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--config", default=str(DEFAULT_CONFIG), help="ours (config/bench.ini)")
        sub.add_argument(
            "--stock-config",
            default=str(DEFAULT_STOCK_CONFIG),
            help="plain CKAN on the same database (config/bench-stock.ini)",
        )
        sub.add_argument(
            "--data",
            help=f"catalog_all.jsonl.gz (default ${DATA_ENV}, else "
            "../shared/data/real-catalogs/catalog_all.jsonl.gz)",
        )
        sub.add_argument("--queries", default=str(DEFAULT_QUERIES))
        sub.add_argument(
            "--out-dir",
            help=f"where the load's ids and the results go (default {OUT_DIR.relative_to(ROOT)})",
        )
        sub.add_argument(
            "--sample",
            type=int,
            default=0,
            help="load: only this many rows of each portal, plus the rows the queries judge "
            "relevant (the test suite's smoke run)",
        )
        sub.add_argument(
            "--old-config",
            default=str(DEFAULT_OLD_CONFIG),
            help="the character pairs only, on ours' core (config/bench-pairs.ini); none: skip",
        )
        sub.add_argument(
            "--also",
            action="append",
            metavar="NAME=INI",
            help="evaluate another system too (e.g. icu=bench-icu.ini, a core of its own "
            "indexed with `ckan -c INI search-index rebuild`)",
        )
        return sub

    add("map", "select and map only, print the tables").add_argument(
        "--dump", help="write the mapped rows as JSON lines to this file"
    )
    add("load", "reset the benchmark database and cores, load, index the stock core")
    add("evaluate", "run the queries under both configs, print recall@10 and MRR")
    add("run", "load, then evaluate")
    add("search", "internal: one config's searches, in a child process of evaluate").add_argument(
        "--out", required=True
    )
    return parser.parse_args(argv)


def set_out_dir(path: Path) -> None:
    """Write the load's ids and the results under ``path`` instead of var/bench."""
    global OUT_DIR, IDS_FILE, LOAD_FILE, TITLES_FILE, RUN_QUERIES_FILE, RESULT_FILE
    OUT_DIR = path
    IDS_FILE = OUT_DIR / "ids.json"
    LOAD_FILE = OUT_DIR / "load.json"
    TITLES_FILE = OUT_DIR / "titles.json"
    RUN_QUERIES_FILE = OUT_DIR / "queries-run.json"
    RESULT_FILE = OUT_DIR / "search_quality.json"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.out_dir:
        set_out_dir(Path(args.out_dir).resolve())
    if args.command == "map":
        dry_run(args)
    elif args.command == "load":
        load(args)
    elif args.command == "evaluate":
        evaluate(args)
    elif args.command == "run":
        load(args)
        evaluate(args, show_load=False)
    elif args.command == "search":
        search(args)


if __name__ == "__main__":
    main()
