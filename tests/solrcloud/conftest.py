"""A local SolrCloud of the project (config/bin/solr.sh cloud: MiniSolrCloudCluster, two
nodes, the collection 2 shards x 2 replicas) on free ports, and a portal site of its own whose
``solr_url`` points at the collection (nothing else changed)."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import ROOT, solr_auth

SOLR_SH = str(ROOT / "config" / "bin" / "solr.sh")
CKAN = str(ROOT / ".venv" / "bin" / "ckan")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports() -> tuple[int, int]:
    """A free port whose next one is free too (the two nodes), and another (the control)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base < 65000 and _free(base + 1) and _free(base + 2):
            return base, base + 2
    raise RuntimeError("no two consecutive free ports")


@dataclasses.dataclass
class Cloud:
    """The running cloud: node N answers at ``url(N)``; ``control`` stops and starts nodes."""

    base_port: int
    control_port: int
    collection: str
    env: dict[str, str]
    auth: tuple[str, str]

    def url(self, node: int = 1) -> str:
        return f"http://127.0.0.1:{self.base_port + node - 1}/solr/{self.collection}"

    def control(self, method: str, path: str) -> dict[str, Any]:
        answer = requests.request(
            method, f"http://127.0.0.1:{self.control_port}{path}", auth=self.auth, timeout=300
        )
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result

    def status(self) -> dict[str, Any]:
        return self.control("GET", "/status")

    def command(self, *args: str) -> dict[str, Any]:
        """``solr.sh cloud ARGS`` (its JSON answer): the commands a person would type."""
        done = subprocess.run(
            [SOLR_SH, "cloud", *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"solr.sh cloud {' '.join(args)}: {done.stderr}"
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    def stop_node(self, node: int) -> dict[str, Any]:
        return self.command("node-stop", str(node))

    def start_node(self, node: int) -> dict[str, Any]:
        return self.command("node-start", str(node))

    def solr(self, node: int, core: str | None = None, **params: Any) -> dict[str, Any]:
        """/select on node ``node``'s collection (or one of its cores, not distributed)."""
        base = f"http://127.0.0.1:{self.base_port + node - 1}/solr/{core or self.collection}"
        answer = requests.get(
            f"{base}/select", params={"wt": "json", **params}, auth=self.auth, timeout=60
        )
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result


@pytest.fixture(scope="module")
def solr_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    """``solr.sh cloud start`` on free ports with a state folder of its own; stopped after."""
    auth = solr_auth()
    if auth is None:
        pytest.fail("no Solr credentials (var/ckan.ini's solr_user/solr_password): run make test")
    base, control = free_ports()
    core = os.environ.get("CKAN_SOLR_URL", "http://127.0.0.1:8983/solr/ckan_test").rstrip("/")
    # the name `portal.sh test-site cloud` gives the site's core: it finds the collection there
    collection = f"{core.rsplit('/', 1)[1]}_cloud"
    env = {
        **os.environ,
        "SOLR_CLOUD_PORT": str(base),
        "SOLR_CLOUD_CONTROL_PORT": str(control),
        "SOLR_CLOUD_COLLECTION": collection,
        "SOLR_CLOUD_DIR": str(tmp_path_factory.mktemp("solr-cloud")),
        "SOLR_CLOUD_HEAP": "640m",
    }
    started = subprocess.run(
        [SOLR_SH, "cloud", "start"], env=env, capture_output=True, text=True, timeout=600
    )
    cloud = Cloud(base, control, collection, env, auth)
    try:
        if started.returncode != 0:
            pytest.fail(f"solr.sh cloud start failed:\n{started.stdout}\n{started.stderr}")
        yield cloud
    finally:
        subprocess.run([SOLR_SH, "cloud", "stop"], env=env, capture_output=True, timeout=120)


@dataclasses.dataclass
class Site:
    """A portal site on a database of its own and the cloud's collection."""

    env: dict[str, str]
    ini: str

    def load(self, skip: int, count: int, commit: str) -> dict[str, Any]:
        """``count`` real published entries made through CKAN (tests/solrcloud/load_entries.py;
        ``commit``: ``true``, ``false`` or ``none``, as it says)."""
        done = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                str(Path(__file__).parent / "load_entries.py"),
                self.ini,
                str(skip),
                str(count),
                commit,
            ],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


@pytest.fixture(scope="module")
def cloud_site(solr_cloud: Cloud, request: pytest.FixtureRequest) -> Site:
    """``portal.sh test-site cloud`` with CKAN_SOLR_URL on the cloud's node 1: the database
    <test db>_cloud (emptied, migrated) and the collection as its core."""
    ini = request.config.getoption("ckan_ini")
    env = {**os.environ, "CKAN_SOLR_URL": solr_cloud.url(1).rsplit("_cloud", 1)[0]}
    portal = [str(ROOT / "config" / "bin" / "portal.sh"), "test-site", "cloud", ini]
    made = subprocess.run(portal, env=env, capture_output=True, text=True, timeout=600)
    if made.returncode != 0:
        pytest.fail(f"portal.sh test-site cloud failed:\n{made.stdout}\n{made.stderr}")
    db, solr = made.stdout.split()[-2:]
    assert solr == solr_cloud.url(1)
    own = {**os.environ, "CKAN_SQLALCHEMY_URL": db, "CKAN_SOLR_URL": solr}
    own["CKAN_SITE_ID"] = "yiyang_test_cloud"
    for args in (["db", "clean", "--yes"], ["search-index", "clear"]):
        subprocess.run([CKAN, "-c", ini, *args], env=own, capture_output=True, check=True)
    subprocess.run(portal, env=env, capture_output=True, check=True, timeout=600)
    return Site(own, ini)
