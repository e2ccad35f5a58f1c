"""A stack of its own for the fault tests, one per test process, from empty services:
PostgreSQL, Redis and Solr instances that these tests really stop and restart, and a portal
(gunicorn, as ``make run``) and job worker on them.

The shared services of the suite are never touched: the instances are started by the project's
own scripts (``config/bin/postgres.sh``, ``redis.sh``, ``solr.sh``) with another state folder
(``YIYANG_VAR``) and free ports, so a parallel run's other workers go on undisturbed. The mail
sink is the suite's (mails are read there); the DataStore is the worker's (not under fault).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import requests

from ckanext.yiyang.serving import launcher
from tests.conftest import ROOT
from tests.harvest.conftest import ADMIN, Portal

BIN = ROOT / "config" / "bin"
CKAN = str(ROOT / ".venv" / "bin" / "ckan")
#: A unit of the city (`ckan yiyang load-units`): the fault tests' entries are its.
UNIT = "unit-02006"


@dataclasses.dataclass
class Stack:
    """The private services, their portal and how to stop and start each."""

    var: Path
    ini: str
    ports: dict[str, int]
    script_env: dict[str, str]
    portal: Portal

    # services

    def service(self, name: str, command: str) -> None:
        """``postgres``, ``redis`` or ``solr``: ``start`` or ``stop`` it with its script."""
        done = subprocess.run(
            [str(BIN / f"{name}.sh"), command],
            env=self.script_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{name}.sh {command}:\n{done.stdout}\n{done.stderr}"

    @property
    def database_url(self) -> str:
        return self.portal.env["CKAN_SQLALCHEMY_URL"]

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows of a query on the private database (a connection of its own)."""
        conn = psycopg2.connect(self.database_url, connect_timeout=10)
        try:
            with conn, conn.cursor() as cursor:
                cursor.execute(query, args)
                return list(cursor.fetchall()) if cursor.description else []
        finally:
            conn.close()

    # the portal

    def post(self, action: str, token: str | None = None, **params: Any) -> requests.Response:
        """A call of the action API as it arrives: the response, whatever its status."""
        return requests.post(
            f"{self.portal.url}/api/3/action/{action}",
            json=params,
            headers={"Authorization": token or self.portal.token},
            timeout=120,
        )

    def run(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        """A ``ckan`` command on the private stack, whatever its exit code."""
        return subprocess.run(
            [CKAN, "-c", self.ini, *args],
            env=self.portal.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def worker(self) -> subprocess.CompletedProcess[str]:
        """``ckan jobs worker --burst``: runs what is queued, then ends."""
        return self.run("jobs", "worker", "--burst")

    def index_check(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("yiyang", "index-check", *args)

    def checked_import(self, folder: Path, titles: list[str]) -> str:
        """An import of a workbook with an entry per title, uploaded through the API and
        checked by a worker (its dry run): ready for ``yiyang_import_run``. Its id."""
        from tests.imports.conftest import entry_row, fill, item_row

        unit = self.portal.action("organization_show", id=UNIT)
        rows = [
            entry_row(n, title=title, format_class="电子文件")
            for n, title in enumerate(titles, start=1)
        ]
        path = fill(
            "entries", folder / "w.xlsx", unit=unit["title"], rows=rows, items=[item_row(1)]
        )
        with path.open("rb") as workbook:
            made = requests.post(
                f"{self.portal.url}/api/3/action/yiyang_import_create",
                files={"upload": ("数据提供调查表.xlsx", workbook)},
                headers={"Authorization": self.portal.token},
                timeout=120,
            ).json()
        assert made["success"], made
        worked = self.worker()
        assert worked.returncode == 0, worked.stderr[-3000:]
        shown = self.portal.action("yiyang_import_show", id=made["result"]["id"])
        assert shown["status"] == "checked", shown
        return str(made["result"]["id"])

    def count(self, title_prefix: str) -> int:
        """Entries whose title begins with ``title_prefix``."""
        rows = self.sql("SELECT count(*) FROM package WHERE title LIKE %s", title_prefix + "%")
        return int(rows[0][0])

    def import_status(self, import_id: str) -> str:
        return str(self.sql("SELECT status FROM yiyang_import WHERE id = %s", import_id)[0][0])

    def worker_process(self) -> subprocess.Popen:
        """``ckan jobs worker`` running until killed (in a session of its own, so that its
        work horse is killed with it: ``os.killpg``)."""
        return subprocess.Popen(
            [CKAN, "-c", self.ini, "jobs", "worker"],
            env=self.portal.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def assert_consistent(self) -> None:
        """``ckan yiyang index-check``: the database and the index agree."""
        checked = self.index_check()
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "一致 / consistent" in checked.stdout

    def assert_requeued_import_completes(self, import_id: str, prefix: str, rows: int) -> None:
        """The lost import's job is enqueued again and, run once more, writes every row
        once; the index agrees."""
        requeued = self.run("yiyang", "requeue-abandoned-jobs")
        assert requeued.returncode == 0, requeued.stderr[-3000:]
        assert "1 jobs enqueued again" in requeued.stdout, requeued.stdout
        worked = self.worker()
        assert worked.returncode == 0, worked.stderr[-3000:]
        assert self.import_status(import_id) == "done", worked.stderr[-5000:]
        assert self.count(prefix) == rows
        self.assert_consistent()

    @staticmethod
    def kill_worker(worker: subprocess.Popen) -> None:
        """SIGKILL to the worker and to its work horse (RQ forks one per job, in a process
        group of its own): as when the machine loses them."""
        horses = _children(worker.pid)
        os.killpg(worker.pid, signal.SIGKILL)
        for pid in horses:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=30)

    def wait_for(self, what: str, done: Any, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, f"{what}: not after {timeout:.0f} s"
            time.sleep(0.1)


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _scripts_env(var: Path, ports: dict[str, int]) -> dict[str, str]:
    return {
        **os.environ,
        "YIYANG_VAR": str(var),
        "PGPORT": str(ports["postgres"]),
        "REDIS_PORT": str(ports["redis"]),
        "SOLR_PORT": str(ports["solr"]),
        "SOLR_CORES": "ckan_test",
        "SOLR_HEAP": "256m",
        "SOLR_HOME_DIR": str(var / "solr"),
    }


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest, _mail_sink_process: Any) -> Iterator[Stack]:
    """The private stack, its catalog with the city's units and a sysadmin's token; its mail
    goes to the suite's mail sink (``mail_sink``)."""
    ini = request.config.getoption("ckan_ini")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    var = ROOT / "var" / f"faults-{worker}"
    ports = {name: launcher.free_port() for name in ("postgres", "redis", "solr")}
    for name in ("postgres", "redis", "solr"):  # a run killed before its teardown
        subprocess.run(
            [str(BIN / f"{name}.sh"), "stop"],
            env=_scripts_env(var, ports),
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            check=False,
        )
    shutil.rmtree(var, ignore_errors=True)  # every run from empty services
    var.mkdir(parents=True)
    # the same Solr credentials as the suite's (the configuration's URL carries none)
    shutil.copy(ROOT / "var" / "solr-credentials", var / "solr-credentials")
    script_env = _scripts_env(var, ports)
    env = {
        **os.environ,
        "CKAN_SQLALCHEMY_URL": f"postgresql://ckan:ckan@127.0.0.1:{ports['postgres']}/ckan_test",
        "CKAN_SOLR_URL": f"http://127.0.0.1:{ports['solr']}/solr/ckan_test",
        "CKAN_REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/1",
        "CKAN_SITE_ID": "yiyang_test_faults",
        "CKAN_STORAGE_PATH": str(var / "storage"),
        "CKAN_SMTP_SERVER": f"127.0.0.1:{_mail_sink_process.port}",
        "CKAN_SMTP_STARTTLS": "false",
    }
    stack = Stack(var, ini, ports, script_env, Portal("", "", env, ini))
    served: launcher.Portal | None = None
    try:
        for name in ("postgres", "redis", "solr"):
            stack.service(name, "start")
        migrated = subprocess.run(
            [str(BIN / "portal.sh"), "migrate", ini],
            env={**script_env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        served = launcher.start(ini, var / "portal.log", workers=1, env=env, cwd=ROOT)
        stack.portal.url = served.base
        env["CKAN_SITE_URL"] = served.base
        stack.portal.ckan("yiyang", "ensure-sysadmin", ADMIN, "--password", "fault-admin-2026")
        stack.portal.ckan("yiyang", "load-units")
        stack.portal.token = stack.portal.ckan("user", "token", "add", ADMIN, "faults").split()[-1]
        yield stack
    finally:
        if served is not None:
            served.stop()
        for name in ("solr", "redis", "postgres"):
            subprocess.run(
                [str(BIN / f"{name}.sh"), "stop"],
                env=script_env,
                cwd=ROOT,
                capture_output=True,
                timeout=120,
            )
