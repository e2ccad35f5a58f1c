"""Backup and restore figures (issue 17.4): the archive's size, the backup's time and the
restore's time (each step, the reindex among them) of a catalog, and what the restored catalog
holds beside the source.

    .venv/bin/python benchmarks/backup.py --demo                # the demo catalog
    .venv/bin/python benchmarks/backup.py --site hb10kcounty    # a site that exists already
    .venv/bin/python benchmarks/backup.py --entries 10000       # a new site of real entries
    .venv/bin/python benchmarks/backup.py --entries 10          # the smoke run of the tests

The source is a site of its own beside the configuration's database and Solr core
(``portal.sh test-site``, as benchmarks/harvest.py makes them): ``--site NAME`` takes one as it
is (benchmarks/harvest.py's county ``hb10kcounty`` holds 10,000 published real entries after
``harvest.py --sites hb10k``); ``--demo`` and ``--entries N`` empty the site ``bk`` (``--name``)
and load the city's units and the demo catalog, or ``N`` published real entries
(benchmarks/real_data.py's mapping, loaded as harvest.py loads its county).

Then, with config/bin/backup.sh as ``make backup`` / ``make restore`` run it: the source's
configuration written into a var/ of its own, ``backup.sh backup`` into one archive,
``backup.sh restore`` of it onto a fresh var/ with databases and a Solr core of their own (the
restore rebuilds the index and runs the index check), and the two catalogs compared straight from
their databases and cores: entries by type, state and review state, the resource codes, units,
members, users, resources, review events, applications and activities, Solr's document count.
The restore's databases and core are dropped afterwards (``--keep`` keeps them).

Prints the figures and, last, one JSON line; writes it to var/bench/backup.json. Exits 1 when
the restored catalog differs from the source.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
CKAN = ROOT / ".venv" / "bin" / "ckan"
BIN = ROOT / "config" / "bin"

#: What must be equal in the source and the restored catalog (name → SQL; one row set each).
SNAPSHOT = {
    "entries": "SELECT type, state, private, extras->>'review_status', count(*) FROM package "
    "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    "codes": "SELECT extras->>'resource_code' FROM package WHERE type = 'dataset' ORDER BY 1",
    "modified": "SELECT id, metadata_modified FROM package ORDER BY id",
    "units": 'SELECT id, name, state FROM "group" ORDER BY id',
    "members": "SELECT table_id, group_id, capacity, state FROM member ORDER BY id",
    "users": 'SELECT id, name, state, sysadmin FROM "user" WHERE name <> :site ORDER BY id',
    "resources": "SELECT id, package_id, url, state FROM resource ORDER BY id",
    "review_events": "SELECT count(*) FROM yiyang_review_event",
    "subscriptions": "SELECT id, status FROM yiyang_subscription ORDER BY id",
    "activities": "SELECT count(*) FROM activity",
}


def ini_value(config: str, key: str) -> str:
    """``key`` of the configuration as CKAN reads it (the file, then CKAN's variables)."""
    out = subprocess.run(
        [sys.executable, "-c", _INI_VALUE, config, key], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


_INI_VALUE = """
import os, sys
from ckan.cli import CKANConfigLoader
from ckan.config.environment import CONFIG_FROM_ENV_VARS
conf = dict(CKANConfigLoader(os.path.abspath(sys.argv[1])).get_config())
for key, env in CONFIG_FROM_ENV_VARS.items():
    if os.environ.get(env):
        conf[key] = os.environ[env]
print(conf.get(sys.argv[2]) or "")
"""


def with_database(url: str, database: str) -> str:
    return sa.engine.make_url(url).set(database=database).render_as_string(hide_password=False)


def solr_auth() -> tuple[str, str]:
    credentials = dict(
        line.split("=", 1)
        for line in (ROOT / "var" / "solr-credentials").read_text().splitlines()
        if "=" in line
    )
    return credentials["SOLR_USER"], credentials["SOLR_PASSWORD"]


def existing_site(name: str, config: str) -> dict[str, str]:
    """The environment of the site ``name`` as ``portal.sh test-site`` names it, kept as is."""
    url = ini_value(config, "sqlalchemy.url")
    solr = ini_value(config, "solr_url").rstrip("/")
    env = {
        "CKAN_SQLALCHEMY_URL": with_database(url, f"{sa.engine.make_url(url).database}_{name}"),
        "CKAN_SOLR_URL": f"{solr}_{name}",
    }
    found = requests.get(
        f"{env['CKAN_SOLR_URL']}/admin/ping", auth=solr_auth(), timeout=30
    ).status_code
    if found != 200:
        sys.exit(f"no site {name}: its Solr core answers {found} (make it with harvest.py)")
    return {**os.environ, **env, "CKAN_SITE_ID": f"yiyang_bench_{name}"}


def load(
    env: dict[str, str], config: str, demo: bool, entries: int, data: str | None
) -> int | None:
    """Fill the emptied site: the units and the demo catalog, or ``entries`` real entries."""
    if demo:
        for args in (["yiyang", "load-units"], ["yiyang", "demo", "load"]):
            subprocess.run([str(CKAN), "-c", config, *args], env=env, check=True,
                           capture_output=True)  # fmt: skip
        return None
    from harvest import load_site

    return load_site(env, config, entries, data)


def settings(env: dict[str, str], config: str) -> dict[str, str]:
    """The site's databases and core, as backup.sh will read them from CKAN's variables."""
    keys = {
        "CKAN_SQLALCHEMY_URL": "sqlalchemy.url",
        "CKAN_DATASTORE_WRITE_URL": "ckan.datastore.write_url",
        "CKAN_DATASTORE_READ_URL": "ckan.datastore.read_url",
        "CKAN_SOLR_URL": "solr_url",
    }
    out = {}
    for variable, key in keys.items():
        out[variable] = env.get(variable) or ini_value(config, key)
    return out


def source_var(folder: Path, urls: dict[str, str]) -> dict[str, str]:
    """A var/ of the source's own, its configuration as ``make run`` writes it."""
    folder.mkdir(parents=True)
    (folder / "solr-credentials").write_text(
        "SOLR_USER={}\nSOLR_PASSWORD={}\n".format(*solr_auth())
    )
    env = {**urls, "YIYANG_VAR": str(folder), "CKAN_STORAGE_PATH": str(folder / "storage")}
    subprocess.run([str(BIN / "portal.sh"), "config"], env={**os.environ, **env}, check=True,
                   capture_output=True)  # fmt: skip
    return env


def target_var(folder: Path, urls: dict[str, str]) -> dict[str, str]:
    """A fresh var/ with databases and a Solr core of their own (``<source>_rs``)."""
    db = sa.engine.make_url(urls["CKAN_SQLALCHEMY_URL"]).database
    return {
        "YIYANG_VAR": str(folder),
        "CKAN_SQLALCHEMY_URL": with_database(urls["CKAN_SQLALCHEMY_URL"], f"{db}_rs"),
        "CKAN_DATASTORE_WRITE_URL": with_database(
            urls["CKAN_DATASTORE_WRITE_URL"], f"{db}_rs_datastore"
        ),
        "CKAN_DATASTORE_READ_URL": with_database(
            urls["CKAN_DATASTORE_READ_URL"], f"{db}_rs_datastore"
        ),
        "CKAN_SOLR_URL": urls["CKAN_SOLR_URL"].rstrip("/") + "_rs",
        "CKAN_STORAGE_PATH": str(folder / "storage"),
    }


def drop(target: dict[str, str]) -> None:
    pg_home = os.environ.get("PG_HOME") or str(ROOT / "var" / "pg")
    for key in ("CKAN_SQLALCHEMY_URL", "CKAN_DATASTORE_WRITE_URL"):
        name = sa.engine.make_url(target[key]).database
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-h", pg_home, "-p", "5433",
             "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            check=False, capture_output=True,
        )  # fmt: skip
    base, core = target["CKAN_SOLR_URL"].rsplit("/", 1)
    requests.get(
        f"{base}/admin/cores",
        params={"action": "UNLOAD", "core": core, "deleteInstanceDir": "true"},
        auth=solr_auth(),
        timeout=120,
    )


def backup_sh(command: list[str], env: dict[str, str], site_id: str) -> tuple[float, str]:
    """Run backup.sh; its seconds and output (exits with its output when it fails)."""
    full = {**os.environ, "CKAN_SITE_ID": site_id, **env}
    full["CKAN_SOLR_USER"], full["CKAN_SOLR_PASSWORD"] = solr_auth()
    full.setdefault("PG_HOME", str(ROOT / "var" / "pg"))
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "backup.sh"), *command], env=full, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit(f"backup.sh {command[0]} failed ({done.returncode}):\n{output[-4000:]}")
    return seconds, output


def steps(output: str) -> dict[str, int]:
    """The restore's steps and their seconds, as backup.sh prints them."""
    out: dict[str, int] = {}
    current = None
    for line in output.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)
        if line.startswith("==> "):
            # the step without its paths: "restoring the database", "rebuilding the search index"
            current = re.sub(r"\s+(into\s+)?\(?(/|https?://)\S*", "", line[4:].strip())
        elif current and (m := re.fullmatch(r"\s*\((\d+) s\)", line)):
            out[current] = int(m.group(1))
            current = None
    return out


def snapshot(urls: dict[str, str], site_id: str) -> dict[str, Any]:
    """What the restore must give back, from the database and the core (digests of long sets)."""
    out: dict[str, Any] = {}
    engine = sa.create_engine(urls["CKAN_SQLALCHEMY_URL"])
    try:
        with engine.connect() as conn:
            for name, sql in SNAPSHOT.items():
                rows = [
                    tuple(str(v) for v in row)
                    for row in conn.execute(
                        sa.text(sql), {"site": site_id} if ":site" in sql else {}
                    )
                ]
                out[name] = (
                    rows
                    if len(rows) <= 20
                    else {"rows": len(rows), "sha1": hashlib.sha1(repr(rows).encode()).hexdigest()}
                )
    finally:
        engine.dispose()
    found = requests.get(
        f"{urls['CKAN_SOLR_URL'].rstrip('/')}/select",
        params={"q": "*:*", "rows": 0, "wt": "json", "fq": f"+site_id:{site_id}"},
        auth=solr_auth(),
        timeout=60,
    )
    found.raise_for_status()
    out["indexed"] = found.json()["response"]["numFound"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--site", help="an existing site (portal.sh test-site NAME), kept as is")
    what.add_argument("--demo", action="store_true", help="the units and the demo catalog")
    what.add_argument("--entries", type=int, help="this many published real entries")
    parser.add_argument("--name", default="bk", help="the site --demo/--entries empty and fill")
    parser.add_argument("--config", default=str(ROOT / "config" / "test.ini"))
    parser.add_argument("--data", help="the real catalogs (default: real_data.py's)")
    parser.add_argument("--keep", action="store_true", help="keep the restored databases")
    args = parser.parse_args()
    config = str(Path(args.config).resolve())

    if args.site:
        env, loaded = existing_site(args.site, config), None
    else:
        from harvest import site

        env = site(args.name, config)
        loaded = load(env, config, args.demo, args.entries or 0, args.data)
    site_id = env["CKAN_SITE_ID"]
    urls = settings(env, config)

    with tempfile.TemporaryDirectory(prefix="yiyang-backup-") as tmp:
        source = source_var(Path(tmp) / "source-var", urls)
        archive = Path(tmp) / "backup.tar.gz"
        backup_seconds, _ = backup_sh(["backup", str(archive)], source, site_id)
        size = archive.stat().st_size
        target = target_var(Path(tmp) / "restored-var", urls)
        drop(target)
        try:
            restore_seconds, output = backup_sh(["restore", str(archive)], target, site_id)
            before, after = snapshot(urls, site_id), snapshot(target, site_id)
        finally:
            if not args.keep:
                drop(target)

    differs = sorted(key for key in before if before[key] != after[key])
    entries = _count(before["codes"])
    summary = {
        "source": args.site or ("demo" if args.demo else f"{args.entries} real entries"),
        "loaded": loaded,
        "entries": entries,
        "indexed": after["indexed"],
        "archive_bytes": size,
        "archive_mib": round(size / 2**20, 2),
        "backup_seconds": round(backup_seconds, 1),
        "restore_seconds": round(restore_seconds, 1),
        "restore_steps": steps(output),
        "differs": differs,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }
    print(f"source:   {summary['source']} ({entries} entries, {before['indexed']} indexed)")
    print(f"archive:  {summary['archive_mib']} MiB, backup {summary['backup_seconds']} s")
    print(f"restore:  {summary['restore_seconds']} s")
    for step, seconds in summary["restore_steps"].items():
        print(f"          {seconds:>5} s  {step}")
    print(f"restored: {after['indexed']} indexed; differs: {', '.join(differs) or 'nothing'}")
    line = json.dumps(summary, ensure_ascii=False)
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench" / "backup.json").write_text(line + "\n")
    print(line)
    sys.exit(1 if differs or after["indexed"] != before["indexed"] else 0)


def _count(value: Any) -> int:
    """The number of rows of a snapshot's set (a list, or the digest of a long one)."""
    return int(value["rows"]) if isinstance(value, dict) else len(value)


if __name__ == "__main__":
    main()
