"""``make backup`` / ``make restore`` end to end (issue 17.4): the demo catalog, a DataStore
table and uploaded files in the test database, backed up by config/bin/backup.sh, restored into
other databases and another Solr core on the same servers (the script takes the names from the
configuration and CKAN's environment variables), and compared: entries, codes, states, review
histories, applications, DataStore rows, files, counts. Prints the backup's size and the
restore's time."""

from __future__ import annotations

import hashlib
import os
import pathlib
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import requests
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.demo import catalog
from ckanext.yiyang.demo import load as demo

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "config" / "bin" / "backup.sh"
#: The running cluster's socket folder (services run from the main checkout).
PG_HOME = os.environ.get("PG_HOME") or str(
    next(
        (p for p in (ROOT / "var" / "pg", pathlib.Path("/work/main/var/pg")) if p.exists()),
        ROOT / "var" / "pg",
    )
)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _url(url: str, database: str) -> str:
    return sa.engine.make_url(url).set(database=database).render_as_string(hide_password=False)


def _solr_auth() -> tuple[str, str]:
    return tk.config["solr_user"], tk.config["solr_password"]


@pytest.fixture
def catalog_world(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo catalog (its units first, as load-units names them), its data files in a
    files folder of their own, a DataStore table on one of them; returns the DataStore
    table's resource id."""
    monkeypatch.setitem(tk.config, "ckan.storage_path", str(tmp_path / "source-storage"))
    for _short, name, _editor, _admin in catalog.UNITS:
        factories.Organization(name=name, title=name, unit_group=name[5:7], unit_code=name[7:10])
    factories.Organization(name=config.office_org(), title="市电子政务办")
    demo.load(catalog.PASSWORD)
    resource = (
        model.Session.query(model.Resource).filter(model.Resource.url_type == "upload").first()
    )
    assert resource is not None, "the demo uploads data files"
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    tk.get_action("datastore_create")(
        site,
        {
            "resource_id": resource.id,
            "force": True,
            "fields": [{"id": "企业名称", "type": "text"}, {"id": "注册资本", "type": "numeric"}],
            "records": [{"企业名称": f"益阳市第{i}公司", "注册资本": i * 10} for i in range(50)],
        },
    )
    model.Session.remove()
    yield resource.id
    # the test DataStore is not emptied between tests: its table goes
    engine = sa.create_engine(tk.config["ckan.datastore.write_url"])
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{resource.id}"'))
    engine.dispose()


@pytest.fixture
def target(tmp_path: pathlib.Path) -> Iterator[dict[str, str]]:
    """The environment of a restore into a fresh var/ with databases and a Solr core of their
    own (dropped afterwards)."""
    db = sa.engine.make_url(tk.config["sqlalchemy.url"]).database
    names = {"db": f"{db}_restore", "ds": f"{db}_restore_datastore"}
    solr = tk.config["solr_url"].rstrip("/") + "_restore"
    env = {
        "YIYANG_VAR": str(tmp_path / "var"),
        "CKAN_SQLALCHEMY_URL": _url(tk.config["sqlalchemy.url"], names["db"]),
        "CKAN_DATASTORE_WRITE_URL": _url(tk.config["ckan.datastore.write_url"], names["ds"]),
        "CKAN_DATASTORE_READ_URL": _url(tk.config["ckan.datastore.read_url"], names["ds"]),
        "CKAN_SOLR_URL": solr,
        "CKAN_STORAGE_PATH": str(tmp_path / "var" / "storage"),
    }
    _drop(names.values(), solr)
    yield env
    _drop(names.values(), solr)


def _drop(databases: Any, solr: str) -> None:
    for name in databases:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-h", PG_HOME, "-p", "5433",
             "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            check=False, capture_output=True,
        )  # fmt: skip
    base, core = solr.rsplit("/", 1)
    requests.get(
        f"{base}/admin/cores",
        params={"action": "UNLOAD", "core": core, "deleteInstanceDir": "true"},
        auth=_solr_auth(),
        timeout=60,
    )


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PG_HOME": PG_HOME, "CKAN_SITE_ID": tk.config["ckan.site_id"], **env}
    full["CKAN_SOLR_USER"], full["CKAN_SOLR_PASSWORD"] = _solr_auth()
    return subprocess.run(
        [str(SCRIPT), *command], env=full, capture_output=True, text=True, timeout=900
    )


def _source_var(tmp_path: pathlib.Path) -> dict[str, str]:
    """The office's var/ of the source: its configuration as ``make run`` writes it (the
    databases, Solr core and files of the test configuration through CKAN's variables)."""
    var = tmp_path / "source-var"
    var.mkdir()
    env = {
        "YIYANG_VAR": str(var),
        "CKAN_STORAGE_PATH": tk.config["ckan.storage_path"],
        # the test configuration's own databases and core, named (not left to the worker's
        # environment: run without xdist there is none, and the portal's would be backed up)
        "CKAN_SQLALCHEMY_URL": tk.config["sqlalchemy.url"],
        "CKAN_DATASTORE_WRITE_URL": tk.config["ckan.datastore.write_url"],
        "CKAN_DATASTORE_READ_URL": tk.config["ckan.datastore.read_url"],
        "CKAN_SOLR_URL": tk.config["solr_url"],
    }
    (var / "solr-credentials").write_text("SOLR_USER={}\nSOLR_PASSWORD={}\n".format(*_solr_auth()))
    subprocess.run(
        [str(ROOT / "config" / "bin" / "portal.sh"), "config"],
        env={**os.environ, **env}, check=True, capture_output=True,
    )  # fmt: skip
    return env


def snapshot(db_url: str, ds_url: str, storage: str) -> dict[str, Any]:
    """What a restore must give back, read straight from the databases and the files."""
    out: dict[str, Any] = {}
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            q = lambda sql: [tuple(r) for r in conn.execute(sa.text(sql))]  # noqa: E731
            out["entries"] = q(
                "SELECT id, name, title, state, owner_org, private, extras::text, "
                "metadata_modified FROM package ORDER BY id"
            )
            out["codes"] = q(
                "SELECT extras->>'resource_code', extras->>'review_status' FROM package "
                "WHERE type = 'dataset' ORDER BY 1"
            )
            out["review_history"] = q(
                "SELECT * FROM yiyang_review_event ORDER BY package_id, created, id"
            )
            out["subscriptions"] = q("SELECT * FROM yiyang_subscription ORDER BY id")
            out["units"] = q('SELECT id, name, title, state FROM "group" ORDER BY id')
            out["members"] = q(
                "SELECT table_id, group_id, capacity, state FROM member ORDER BY id"
            )
            out["users"] = q(
                'SELECT id, name, email, password, state, sysadmin FROM "user" '
                "WHERE name <> :site ORDER BY id".replace(
                    ":site", f"'{tk.config['ckan.site_id']}'"
                )
            )
            out["resources"] = q(
                "SELECT id, package_id, url, url_type, state FROM resource ORDER BY id"
            )
            out["activities"] = q("SELECT count(*) FROM activity")
    finally:
        engine.dispose()
    engine = sa.create_engine(ds_url)
    try:
        with engine.connect() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    sa.text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename NOT LIKE '\\_%' ORDER BY 1"
                    )
                )
            ]
            out["datastore"] = {
                t: [tuple(r) for r in conn.execute(sa.text(f'SELECT * FROM "{t}" ORDER BY _id'))]
                for t in tables
            }
    finally:
        engine.dispose()
    root = pathlib.Path(storage)
    out["files"] = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
    return out


def test_a_backup_restores_the_same_catalog(tmp_path, catalog_world, target, capsys):
    source_env = _source_var(tmp_path)
    archive = tmp_path / "backups" / "yiyang-test.tar.gz"
    started = time.monotonic()
    backup = _run(["backup", str(archive)], source_env)
    backup_seconds = time.monotonic() - started
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert archive.stat().st_mode & 0o077 == 0, "readable by its owner only"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = dict(
            line.split("=", 1)
            for line in tar.extractfile("yiyang-backup/manifest.txt").read().decode().splitlines()
        )
    for name in ("ckan.dump", "datastore.dump", "storage.tar", "manifest.txt", "config/ckan.ini",
                 "config/solr-credentials"):  # fmt: skip
        assert f"yiyang-backup/{name}" in names
    assert int(manifest["entries"]) > 0 and int(manifest["datastore_tables"]) >= 1
    assert manifest["alembic.yiyang_alembic_version"]

    before = snapshot(
        tk.config["sqlalchemy.url"],
        tk.config["ckan.datastore.write_url"],
        tk.config["ckan.storage_path"],
    )
    assert before["review_history"] and before["subscriptions"] and before["files"]
    assert len(before["datastore"][catalog_world]) == 50

    started = time.monotonic()
    restore = _run(["restore", str(archive)], target)
    restore_seconds = time.monotonic() - started
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "一致 / consistent" in restore.stdout

    after = snapshot(
        target["CKAN_SQLALCHEMY_URL"],
        target["CKAN_DATASTORE_WRITE_URL"],
        target["CKAN_STORAGE_PATH"],
    )
    for key in before:
        assert after[key] == before[key], key
    # the restored configuration, private, with its files beside it
    var = pathlib.Path(target["YIYANG_VAR"])
    assert (var / "ckan.ini").stat().st_mode & 0o077 == 0
    assert (var / "solr-credentials").exists()
    # the index of the restored core holds every entry not deleted
    found = requests.get(
        target["CKAN_SOLR_URL"] + "/select",
        params={"q": "*:*", "rows": 0, "fq": "+entity_type:package", "wt": "json"},
        auth=_solr_auth(),
        timeout=30,
    ).json()["response"]["numFound"]
    live = sum(1 for e in before["entries"] if e[3] != "deleted")
    assert found == live

    with capsys.disabled():
        print(
            f"\nbackup of the demo catalog: {archive.stat().st_size / 1024:.0f} KiB in "
            f"{backup_seconds:.1f} s; restore (with reindex and index-check): {restore_seconds:.1f} s; "
            f"{manifest['entries']} entries, {len(before['files'])} files"
        )
        print(restore.stdout)

    # a second restore onto the restored var/ is refused, and changes nothing
    again = _run(["restore", str(archive)], target)
    assert again.returncode != 0
    assert "FORCE=1" in again.stderr
    assert (
        snapshot(
            target["CKAN_SQLALCHEMY_URL"],
            target["CKAN_DATASTORE_WRITE_URL"],
            target["CKAN_STORAGE_PATH"],
        )
        == after
    )

    # told to, it restores over it: the same catalog again, nothing of the first left over
    (pathlib.Path(target["CKAN_STORAGE_PATH"]) / "left-over.txt").write_text("x")
    forced = _run(["restore", str(archive)], {**target, "FORCE": "1"})
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert (
        snapshot(
            target["CKAN_SQLALCHEMY_URL"],
            target["CKAN_DATASTORE_WRITE_URL"],
            target["CKAN_STORAGE_PATH"],
        )
        == after
    )


def test_a_failed_restore_stops_and_says_what_was_restored(tmp_path, target):
    """A backup whose DataStore dump is damaged: the restore stops at it, names what it
    restored (the configuration, CKAN's database) and that the rest was not."""
    source_env = _source_var(tmp_path)
    archive = tmp_path / "good.tar.gz"
    backup = _run(["backup", str(archive)], source_env)
    assert backup.returncode == 0, backup.stdout + backup.stderr
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    dump = unpacked / "yiyang-backup" / "datastore.dump"
    assert dump.exists(), "no DataStore dump in the backup:\n" + backup.stdout + backup.stderr
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        tar.add(unpacked / "yiyang-backup", arcname="yiyang-backup")

    result = _run(["restore", str(damaged)], target)
    assert result.returncode != 0
    err = result.stderr
    assert "restore stopped" in err and "DataStore" in err, err
    assert "restored so far:" in err
    assert "restoring the database" in err.split("restored so far:")[1]
    assert "incomplete" in err
    shutil.rmtree(unpacked)
