"""Issue 16.4: the portal on a real SolrCloud (2 shards x 2 replicas on two nodes), unchanged
but for ``solr_url``; one node stopped for real in the middle of a search load, and the
searches keep answering with full counts; the node comes back and the collection is healthy.

Real processes only: the cloud (config/bin/solr.sh cloud), a portal served as ``make run``
serves it (gunicorn), CKAN child processes writing real entries of the catalogs."""

from __future__ import annotations

import dataclasses
import json
import pathlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.conftest import ROOT
from tests.solrcloud.conftest import Cloud, Site

LOADED = 200
FACETS = json.dumps(["organization", "tags", "res_format", "license_id"])
THREADS = 4


@dataclasses.dataclass
class Query:
    q: str
    fq: str = ""

    def params(self) -> dict[str, Any]:
        params = {"q": self.q, "rows": 5, "facet.field": FACETS, "facet.limit": 50}
        if self.fq:
            params["fq"] = self.fq
        return params


@dataclasses.dataclass
class Figures:
    """What the load saw: requests, their failures, and when they were made; the direct
    searches of Solr asked again after a server error."""

    requests: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)
    retried: list[str] = dataclasses.field(default_factory=list)
    latencies: list[tuple[float, float]] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


@pytest.fixture(scope="module")
def portal(cloud_site: Site) -> Iterator[str]:
    """The portal on the cloud's site, two gunicorn workers."""
    from ckanext.yiyang.serving import launcher

    own = {k: cloud_site.env[k] for k in ("CKAN_SQLALCHEMY_URL", "CKAN_SOLR_URL", "CKAN_SITE_ID")}
    log = ROOT / "var" / "log" / "test-portal-cloud.log"
    try:
        served = launcher.start(cloud_site.ini, log, workers=2, env=own, cwd=ROOT, wait=180)
    except launcher.PortalFailed as error:
        pytest.fail(str(error))
    try:
        yield served.base
    finally:
        served.stop(timeout=20)


def search(portal: str, query: Query) -> dict[str, Any]:
    answer = requests.get(
        f"{portal}/api/3/action/package_search", params=query.params(), timeout=60
    )
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()["result"]
    return result


def summary(result: dict[str, Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """The count and every facet's counts: what must not change when a node stops."""
    facets = {
        field: {item["name"]: item["count"] for item in facet["items"]}
        for field, facet in result["search_facets"].items()
    }
    return result["count"], facets


def expected(portal: str, queries: list[Query]) -> dict[str, tuple[int, Any]]:
    return {json.dumps(q.params()): summary(search(portal, q)) for q in queries}


def run_load(
    portal: str,
    cloud: Cloud,
    wanted: dict[str, tuple[int, Any]],
    total: int,
    stop: threading.Event,
) -> tuple[Figures, list[threading.Thread]]:
    """THREADS threads asking the portal the queries in turn (each answer's count and facets
    must be the expected ones), and one asking Solr (node 1) directly, where ``numFound`` must
    be the full count and the answer never partial."""
    figures = Figures()
    keys = list(wanted)

    def portal_worker(offset: int) -> None:
        i = offset
        while not stop.is_set():
            key = keys[i % len(keys)]
            i += 1
            started = time.monotonic()
            try:
                answer = requests.get(
                    f"{portal}/api/3/action/package_search", params=json.loads(key), timeout=60
                )
                body = answer.json()
                got = summary(body["result"]) if body.get("success") else None
                problem = None if got == wanted[key] else f"{key}: {got} != {wanted[key]}"
            except (requests.RequestException, ValueError, KeyError) as error:
                problem = f"{key}: {error!r}"
            with figures.lock:
                figures.requests += 1
                figures.latencies.append((started, time.monotonic() - started))
                if problem:
                    figures.failures.append(problem[:500])

    def ask_solr() -> dict[str, Any]:
        # A search in flight to a replica of the node being stopped fails with HTTP 500
        # ("session closed"); a client asks again, once, as the portal does (resilience.retry)
        try:
            return cloud.solr(1, q="*:*", rows=0)
        except requests.HTTPError as error:
            if error.response is None or error.response.status_code < 500:
                raise
            with figures.lock:
                figures.retried.append(str(error)[:200])
            time.sleep(0.25)
            return cloud.solr(1, q="*:*", rows=0)

    def solr_worker() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                header = ask_solr()
                found = header["response"]["numFound"]
                partial = header["responseHeader"].get("partialResults")
                problem = None if found == total and not partial else f"solr {found} {partial}"
            except (requests.RequestException, ValueError, KeyError) as error:
                problem = f"solr: {error!r}"
            with figures.lock:
                figures.requests += 1
                figures.latencies.append((started, time.monotonic() - started))
                if problem:
                    figures.failures.append(problem[:500])
            time.sleep(0.05)

    threads = [threading.Thread(target=portal_worker, args=(n,)) for n in range(THREADS)]
    threads.append(threading.Thread(target=solr_worker))
    for thread in threads:
        thread.start()
    return figures, threads


def loadavg() -> str:
    """The machine's load (the figures printed are taken on a shared machine)."""
    return " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])


def finish(stop: threading.Event, threads: list[threading.Thread]) -> None:
    stop.set()
    for thread in threads:
        thread.join(timeout=120)


def queries_for(titles: list[str], organization: str) -> list[Query]:
    """Everything, an organization's entries, and words of loaded titles (the word-segmented
    and character-pair fields both answer them)."""
    words = []
    for title in titles:
        for word in ("信息", "统计", "登记", "管理", "服务", "企业", "许可"):
            if word in title and word not in words:
                words.append(word)
    queries = [Query(""), Query("", fq=f'organization:"{organization}"')]
    queries += [Query(word) for word in words[:4]]
    if len(words) >= 2:
        queries.append(Query(f"{words[0]} {words[1]}"))
    return queries


def replicas_consistent(cloud: Cloud, total: int) -> None:
    """Each shard's replicas hold the same documents (asked each core alone, not
    distributed) and the shards together hold them all."""
    status = cloud.status()
    by_shard: dict[str, set[int]] = {}
    for node in status["nodes"]:
        for replica in node["replicas"]:
            found = cloud.solr(node["node"], replica["core"], q="*:*", rows=0, distrib="false")
            by_shard.setdefault(replica["shard"], set()).add(found["response"]["numFound"])
    assert len(by_shard) == 2
    assert all(len(counts) == 1 for counts in by_shard.values()), by_shard
    assert sum(counts.pop() for counts in by_shard.values()) == total


def test_search_keeps_full_counts_while_a_node_is_down(
    solr_cloud: Cloud, cloud_site: Site, portal: str
) -> None:
    status = solr_cloud.command("status")  # exit status 0: healthy
    assert status["healthy"], status
    placement = {n["node"]: sorted(r["shard"] for r in n["replicas"]) for n in status["nodes"]}
    # 2 shards x 2 replicas: each node holds a replica of each shard
    assert placement == {1: ["shard1", "shard2"], 2: ["shard1", "shard2"]}

    # ~200 real entries through CKAN, indexed without commits (a bulk load), one commit
    loaded = cloud_site.load(0, LOADED, commit="false")
    total = loaded["made"]
    assert total >= LOADED * 0.9, loaded
    first = search(portal, Query(""))
    assert first["count"] == total
    organization = max(first["search_facets"]["organization"]["items"], key=lambda i: i["count"])
    queries = queries_for(loaded["titles"], organization["name"])
    wanted = expected(portal, queries)
    assert sum(1 for count, _ in wanted.values() if count > 0) >= 4, wanted
    assert all(count < total for key, (count, _) in wanted.items() if json.loads(key)["q"]), wanted
    replicas_consistent(solr_cloud, total)
    # the configset's word fields (ICU) are analysed on the cloud's nodes as on the single Solr
    words = [q.q for q in queries if q.q and " " not in q.q]
    found = [solr_cloud.solr(1, q=f"yiyang_title_words:{w}", rows=0) for w in words]
    assert any(f["response"]["numFound"] > 0 for f in found), found

    # the load; node 2 (a replica of each shard, the leader of some) stops in the middle
    stop = threading.Event()
    figures, threads = run_load(portal, solr_cloud, wanted, total, stop)
    try:
        time.sleep(3)
        before = figures.requests
        stopped_at = time.monotonic()
        down = solr_cloud.stop_node(2)
        stop_seconds = time.monotonic() - stopped_at
        time.sleep(6)
        during = figures.requests - before
    finally:
        finish(stop, threads)
    assert figures.failures == [], figures.failures[:10]
    assert len(figures.retried) <= 2, figures.retried  # only what was in flight at the stop
    assert not down["healthy"]
    assert [n["live"] for n in down["nodes"]] == [True, False]
    assert during >= 10, during
    after_stop = [lat for at, lat in figures.latencies if at >= stopped_at]
    print(
        f"\nnode 2 stopped in {stop_seconds:.2f}s; {figures.requests} searches, {during} while "
        f"it was down, slowest after the stop {max(after_stop):.2f}s, none failed, "
        f"{len(figures.retried)} direct Solr searches asked again (load average {loadavg()})"
    )

    # writes go on with the node down (its shards' leaders elected on node 1), each entry
    # committed as CKAN does by default
    more = cloud_site.load(LOADED * 2, 5, commit="true")
    assert more["made"] == 5, more
    assert search(portal, Query(""))["count"] == total + 5
    total += 5
    wanted = expected(portal, queries)

    # the node comes back under load; its replicas recover the entries they missed
    stop = threading.Event()
    figures, threads = run_load(portal, solr_cloud, wanted, total, stop)
    try:
        time.sleep(2)
        started_at = time.monotonic()
        back = solr_cloud.start_node(2)
        start_seconds = time.monotonic() - started_at
        time.sleep(2)
    finally:
        finish(stop, threads)
    assert figures.failures == [], figures.failures[:10]
    assert back["healthy"], back
    print(
        f"node 2 back and every replica active in {start_seconds:.1f}s, {figures.requests} "
        f"searches, none failed (load average {loadavg()})"
    )

    # healthy: node 2 alone answers with everything, each shard's replicas agree
    assert solr_cloud.solr(2, q="*:*", rows=0)["response"]["numFound"] == total
    replicas_consistent(solr_cloud, total)
    assert search(portal, Query(""))["count"] == total

    # an entry indexed without any commit shows up through Solr's soft commit (2 s)
    assert cloud_site.load(LOADED * 2 + 50, 1, commit="none")["made"] == 1
    made_at = time.monotonic()
    while search(portal, Query(""))["count"] != total + 1:
        assert time.monotonic() - made_at < 20, "not visible 20 s after indexing"
        time.sleep(0.2)
    print(
        f"an entry indexed without a commit: found {time.monotonic() - made_at:.1f}s after its "
        f"loading process ended "
        f"(load average {loadavg()})"
    )
