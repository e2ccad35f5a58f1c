"""Harvest of real entries from a county portal (issue 15.3): time and entries/s of the first
harvest, and the time of a second harvest with nothing changed.

    .venv/bin/python benchmarks/harvest.py --entries 10000 --config config/test.ini
    .venv/bin/python benchmarks/harvest.py --entries 20            # the smoke run of the tests

Two sites of their own beside the configuration's database and Solr core (``portal.sh
test-site``): ``<db>_hbcounty`` (the county: a ``ckan run`` of this platform) and ``<db>_hbcity``
(``--sites`` changes the prefix)
(the city, harvesting in this script's child process with the harvester the worker runs,
:func:`ckanext.yiyang.harvest.jobs.run_job`). Both are emptied first. The county's entries are
real rows (benchmarks/real_data.py, the mapping search_quality.py uses), created published.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
CKAN = ROOT / ".venv" / "bin" / "ckan"


PORTAL = str(ROOT / "config" / "bin" / "portal.sh")


def _portal(*args: str) -> list[str]:
    """The last words ``portal.sh ARGS`` prints (the URLs it made)."""
    made = subprocess.run([PORTAL, *args], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        sys.exit(f"portal.sh {' '.join(args)} failed:\n{made.stdout}\n{made.stderr}")
    return made.stdout.split()


def site_env(name: str, config: str) -> dict[str, str]:
    """The environment of the site ``name`` (database and core made when missing, migrated),
    its data kept."""
    db, solr = _portal("test-site", name, config)[-2:]
    env = {**os.environ, "CKAN_SQLALCHEMY_URL": db, "CKAN_SOLR_URL": solr}
    env["CKAN_SITE_ID"] = f"yiyang_bench_{name}"
    return env


def stock_core(name: str) -> str:
    """The URL of the site ``name``'s stock core (CKAN's own schema, made when missing)."""
    return _portal("test-core", f"{name}_stock", "stock")[-1]


def site(name: str, config: str) -> dict[str, str]:
    """The environment of an emptied site ``name`` (database and core made and migrated)."""
    env = site_env(name, config)
    for args in (["db", "clean", "--yes"], ["search-index", "clear"]):
        subprocess.run([str(CKAN), "-c", config, *args], env=env, capture_output=True, check=True)
    _portal("test-site", name, config)  # migrated again after the clean
    return env


def load_county(config: str, entries: int, data: str | None) -> None:
    """Child process (county environment): its units and ``entries`` published real entries."""
    import real_data
    from search_quality import ckan_app, create_units, site_user

    rows = [
        row for rows in real_data.read_rows(real_data.data_path(data)).values() for row in rows
    ]
    stats = real_data.Stats()
    candidates = []
    for row in rows:
        candidate = real_data.map_row(row, stats)
        if candidate is not None:
            candidates.append(candidate)
        if len(candidates) >= entries * 1.2 + 10:  # a few are refused by validation
            break
    with ckan_app(Path(config)).test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan.lib import search

        from ckanext.yiyang.review import workflow

        # each entry is indexed at once, Solr commits once at the end (its soft commit shows
        # them within seconds): the county's load is not what is measured
        tk.config["ckan.search.solr_commit"] = False
        user = site_user()
        unit_ids = create_units(real_data.assign_units(candidates), user)
        made = 0
        for candidate in candidates:
            if made >= entries:
                break
            data_dict = {**candidate.dataset, "owner_org": unit_ids[candidate.unit]}
            context = {
                "user": user,
                workflow.APPLYING: True,
                "yiyang_system_override": {"review_status": "published"},
            }
            try:
                tk.get_action("package_create")(context, data_dict)
                made += 1
            except tk.ValidationError:
                continue
        search.commit()
    print(json.dumps({"county_entries": made}))


def load_site(env: dict[str, str], config: str, entries: int, data: str | None) -> int:
    """Load ``entries`` published real entries into the site of ``env`` (:func:`load_county`
    in a child process, CKAN configured from that environment); the number made."""
    loaded = subprocess.run(
        [sys.executable, __file__, "--config", config, "--step", "load"]
        + ["--entries", str(entries)]
        + (["--data", data] if data else []),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if loaded.returncode != 0:
        sys.exit(f"loading the entries failed:\n{loaded.stderr[-4000:]}")
    return int(json.loads(loaded.stdout.splitlines()[-1])["county_entries"])


def harvest_city(config: str, url: str) -> None:
    """Child process (city environment): a source of the county, two harvests, timed."""
    from search_quality import ckan_app, site_user

    with ckan_app(Path(config)).test_request_context():
        import ckan.plugins.toolkit as tk

        from ckanext.yiyang import config as yiyang_config
        from ckanext.yiyang.harvest import jobs

        user = site_user()
        office = tk.get_action("organization_create")(
            {"user": user}, {"name": yiyang_config.office_org(), "title": "市电子政务办"}
        )
        source = tk.get_action("harvest_source_create")(
            {"user": user},
            {"url": url, "name": "bench-county", "title": "赫山区", "source_type": "yiyang"}
            | {"owner_org": office["id"]},
        )
        result: dict[str, Any] = {}
        for run in ("first", "second"):
            job = tk.get_action("harvest_job_create")(
                {"user": user}, {"source_id": source["id"], "run": False}
            )
            started = time.perf_counter()
            counts = jobs.run_job(job["id"])
            result[run] = {"seconds": round(time.perf_counter() - started, 2), "counts": counts}
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--config", default=str(ROOT / "config" / "test.ini"))
    parser.add_argument("--data", help="the real catalogs (default: real_data.py's)")
    parser.add_argument("--step", choices=("all", "load", "harvest"), default="all")
    parser.add_argument("--url")
    parser.add_argument(
        "--sites", default="hb", help="prefix of the two sites' names (default hb: hbcounty…)"
    )
    args = parser.parse_args()
    config = str(Path(args.config).resolve())
    if args.step == "load":
        return load_county(config, args.entries, args.data)
    if args.step == "harvest":
        return harvest_city(config, args.url)

    county, city = site(f"{args.sites}county", config), site(f"{args.sites}city", config)
    me = [sys.executable, __file__, "--config", config]
    started = time.perf_counter()
    county_entries = load_site(county, config, args.entries, args.data)
    load_seconds = time.perf_counter() - started

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    log = (ROOT / "var" / "log" / "bench-harvest-county.log").open("wb")
    portal = subprocess.Popen(
        [
            *(str(CKAN), "-c", config, "run", "-H", "127.0.0.1", "-p", str(port)),
            *("--disable-reloader", "--disable-debugger", "--threaded"),
        ],
        env={**county, "CKAN_SITE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        import requests

        for _ in range(240):
            try:
                if requests.get(f"{url}/api/3/action/status_show", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        harvested = subprocess.run(
            [*me, "--step", "harvest", "--url", url],
            env=city,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        portal.terminate()
        portal.wait(timeout=30)
    if harvested.returncode != 0:
        sys.exit(f"the harvest failed:\n{harvested.stderr[-4000:]}")
    result = json.loads(harvested.stdout.splitlines()[-1])
    first = result["first"]
    added = first["counts"].get("added", 0)
    summary = {
        "county_entries": county_entries,
        "county_load_seconds": round(load_seconds, 1),
        "harvested": added,
        "errored": first["counts"].get("errored", 0),
        "harvest_seconds": first["seconds"],
        "entries_per_second": round(added / first["seconds"], 1) if first["seconds"] else 0,
        "second_harvest_seconds": result["second"]["seconds"],
        "second_harvest_counts": result["second"]["counts"],
    }
    print(
        f"harvest of {added} entries: {first['seconds']} s ({summary['entries_per_second']} "
        f"entries/s); second harvest, nothing changed: {result['second']['seconds']} s"
    )
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
