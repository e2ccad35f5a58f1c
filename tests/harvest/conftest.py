"""A second portal of this project plays the county (its own database, Solr core, site id and
port; ``config/bin/portal.sh test-site county`` makes and migrates them)."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.conftest import ROOT

CKAN = str(ROOT / ".venv" / "bin" / "ckan")
ADMIN = "county-admin"


@dataclasses.dataclass
class Portal:
    """A running portal: its address and a sysadmin's API token."""

    url: str
    token: str
    env: dict[str, str]
    ini: str

    def action(self, name: str, /, **params: Any) -> Any:
        body = requests.post(
            f"{self.url}/api/3/action/{name}",
            json=params,
            headers={"Authorization": self.token},
            timeout=120,
        ).json()
        if not body["success"]:
            raise AssertionError(f"{name}: {body['error']}")
        return body["result"]

    def ckan(self, *args: str) -> str:
        done = subprocess.run(
            [CKAN, "-c", self.ini, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_portal(name: str, ini: str, site_id: str) -> Iterator[tuple[Portal, subprocess.Popen]]:
    made = subprocess.run(
        [str(ROOT / "config" / "bin" / "portal.sh"), "test-site", name, ini],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if made.returncode != 0:
        pytest.fail(f"portal.sh test-site {name} failed:\n{made.stdout}\n{made.stderr}")
    db, solr = made.stdout.split()[-2:]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CKAN_SQLALCHEMY_URL": db,
        "CKAN_SOLR_URL": solr,
        "CKAN_SITE_URL": base,
        "CKAN_SITE_ID": site_id,
    }
    log = ROOT / "var" / "log" / f"test-portal-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                *(CKAN, "-c", ini, "run", "-H", "127.0.0.1", "-p", str(port)),
                *("--disable-reloader", "--disable-debugger", "--threaded"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/api/3/action/status_show", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the {name} portal did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Portal(base, "", env, ini), proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def purge_all(portal: Portal) -> None:
    """Every entry of the portal purged: a session starts from an empty catalog there."""
    while True:
        found = portal.action(
            "package_search", q="*:*", rows=1000, include_private=True, include_drafts=True
        )
        if not found["results"]:
            return
        for entry in found["results"]:
            portal.action("dataset_purge", id=entry["id"])


@pytest.fixture(scope="session")
def _county_process(request: pytest.FixtureRequest) -> Iterator[Portal]:
    """The county: this platform on its own database and core, with its units and a
    sysadmin whose token the tests use."""
    ini = request.config.getoption("ckan_ini")
    for portal, _proc in start_portal("county", ini, "yiyang_test_county"):
        portal.ckan("yiyang", "ensure-sysadmin", ADMIN, "--password", "county-admin-2026")
        portal.ckan("yiyang", "load-units")
        portal.token = portal.ckan("user", "token", "add", ADMIN, "tests").split()[-1]
        yield portal


@pytest.fixture
def county_portal(_county_process: Portal) -> Portal:
    """The county, its catalog emptied for the test."""
    purge_all(_county_process)
    return _county_process


@pytest.fixture(scope="session")
def _stock_process(request: pytest.FixtureRequest) -> Iterator[Portal]:
    """A plain CKAN catalog: ``ckan run`` with CKAN's own plugins only (activity), on its own
    database and core."""
    ini = ROOT / "var" / "test-stock.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{(ROOT / request.config.getoption('ckan_ini')).resolve()}\n"
        "ckan.plugins = activity\n"
        "ckan.locale_default = en\n",
        encoding="utf-8",
    )
    for portal, _proc in start_portal("stock", str(ini), "ckan_test_stock"):
        name = "stock-admin"
        if name not in portal.ckan("user", "list"):
            portal.ckan(
                "user", "add", name, "email=stock@example.com", "password=stock-admin-2026"
            )
        portal.ckan("sysadmin", "add", name)
        portal.token = portal.ckan("user", "token", "add", name, "tests").split()[-1]
        yield portal


@pytest.fixture
def stock_portal(_stock_process: Portal) -> Portal:
    """The stock CKAN, its catalog emptied for the test."""
    purge_all(_stock_process)
    return _stock_process
