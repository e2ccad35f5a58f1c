"""A second portal of this project plays the county (its own database, Solr core, site id and
port; ``config/bin/portal.sh test-site county`` makes and migrates them)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
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


def start_portal(name: str, ini: str, site_id: str) -> Iterator[tuple[Portal, Any]]:
    """The portal ``name`` on a database and core of its own, served as ``make run`` serves
    (gunicorn, ckanext/yiyang/serving/), one worker."""
    from ckanext.yiyang.serving import launcher

    made = subprocess.run(
        [str(ROOT / "config" / "bin" / "portal.sh"), "test-site", name, ini],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if made.returncode != 0:
        pytest.fail(f"portal.sh test-site {name} failed:\n{made.stdout}\n{made.stderr}")
    db, solr = made.stdout.split()[-2:]
    own = {"CKAN_SQLALCHEMY_URL": db, "CKAN_SOLR_URL": solr, "CKAN_SITE_ID": site_id}
    log = ROOT / "var" / "log" / f"test-portal-{name}.log"
    try:
        served = launcher.start(ini, log, workers=1, env=own, cwd=ROOT, wait=120)
    except launcher.PortalFailed as error:
        pytest.fail(str(error))
    try:
        # the CLI calls of the tests (Portal.ckan) see the same site
        env = {**os.environ, **own, "CKAN_SITE_URL": served.base}
        yield Portal(served.base, "", env, ini), served
    finally:
        served.stop(timeout=20)


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
    """A plain CKAN catalog: CKAN's own plugins only (activity), served like ours, on its own
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
