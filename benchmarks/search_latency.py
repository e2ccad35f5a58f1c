"""Search latency against stock CKAN on the same data in the same run (issue 16: ``package_search``
p95 ≤ 100 ms and ≤ 1.1 × stock's; the search page and the entry page p95 ≤ 300 ms).

    .venv/bin/python benchmarks/search_quality.py load --config config/bench.ini   # the data
    .venv/bin/python benchmarks/search_latency.py                 # 10 clients, 1,000 requests
    .venv/bin/python benchmarks/search_latency.py --requests 200 --clients 4

The entries are the ones ``search_quality.py load`` wrote (real entries of 11 portals, in the
database of ``--config``, indexed into our core and, with plain CKAN, into the stock core of
``--stock-config``). ``--site NAME`` measures instead the site ``bulk_load.py --site NAME``
loaded (all the mapped entries of the 128,929 real rows; its database and core, and its
stock core, which ``bulk_load.py --stock-config`` fills with plain CKAN). The script refuses to measure an empty index.

1. In this process (CKAN loaded from ``--config``): a sysadmin ``bench-search`` and a new API
   token for it. The loaded entries are private drafts (nobody publishes without review), so
   both portals are searched as that sysadmin with ``include_private``, the same way.
2. Starts both portals as ``make run`` does (gunicorn, ``--workers`` × ``--threads``, on free
   ports): ours (every plugin of ``--config``) and stock CKAN (``--stock-config``: the same
   database, CKAN's own schema and core, only the activity plugin).
3. A warm-up, then ``--requests`` requests of each kind per portal from ``--clients``
   concurrent clients, in ``--rounds`` rounds in which the portals take turns (the machine's
   other load falls on both alike):

   - ``package_search``: the action API with the next query of benchmarks/queries.yaml (the
     88 hand-judged queries of search_quality.py, real users' kinds) and the portal's 11
     facets, 20 rows, ``include_private``;
   - ``package_search (browse)``: the same without a query (the search page as first
     opened), one request in four over every entry, the others filtered to one unit
     (``organization:…``, the n-th request the same unit for both portals): the answers both
     portals give alike, so its ratio is our cost on the same work (stock CKAN finds almost
     nothing for a Chinese query: its ratio on the query mix compares unequal answers);
   - ``search page``: ``/dataset/?q=…`` with the same queries;
   - ``entry page``: ``/dataset/<name>`` of a random loaded entry.

   Then the office's pages, on ours alone (stock CKAN has none), as the same sysadmin:

   - ``review queue``: ``/review`` as first opened (the entries waiting for review), every
     other request ``status=all`` at one of its first 20 pages;
   - ``progress view``: ``/progress``, every unit of the city;
   - ``application list``: ``/subscriptions`` on the office's two lists, compliance review
     (``scope=checks``) and overdue and coordination (``scope=escalated``), one of their first
     5 pages. Before the load the site is given ``--applications`` applications (default
     20,000) to its entries from its units, in every state, written in SQL once and topped
     up on later runs (their purpose detail says ``benchmark``).

The memory of each service (PostgreSQL, Solr, Redis, our gunicorn with its workers: the
proportional set size summed over its processes, shared pages counted once) is sampled every
second under the load, and for ``--idle`` seconds after it with nothing asked; the largest
sample of each is reported.

Prints requests/s, p50 / p95 / max milliseconds and errors of each (portal, kind), the ratio
ours / stock, the targets met and the services' memory, then one JSON line; writes
var/bench/search_latency.json (``search_latency_<site>.json`` for a site).
Exits 1 when a request failed or a portal's searches found nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil
import yaml
from load import Sampler
from serve import FACETS, Burst, alternate, fire

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
LOG = ROOT / "var" / "log"
USER = "bench-search"
BROWSE = "package_search (browse)"
KINDS = ("package_search", BROWSE, "search page", "entry page")
OFFICE_KINDS = ("review queue", "progress view", "application list")
#: issue 16's targets: (kind, p95 ms) and the ratio to stock of package_search's p95
TARGETS = {
    "package_search": 100.0,
    "search page": 300.0,
    "entry page": 300.0,
    **dict.fromkeys(OFFICE_KINDS, 300.0),
}
#: What the seeded applications' purpose detail says.
SEEDED = "benchmark"
STOCK_RATIO = 1.1


def queries(path: Path) -> list[str]:
    listed = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    return [str(q["query"]) for q in listed]


def set_up(config: str, applications: int) -> tuple[str, list[str], list[str]]:
    """The sysadmin's new API token, the names of the loaded entries and of their units; the
    site's seeded applications topped up to ``applications``."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(config))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan import model

        site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
        account = model.User.get(USER)
        if account is None:
            tk.get_action("user_create")(
                dict(site),
                {"name": USER, "email": f"{USER}@bench.test", "password": "Bench-search-1"},
            )
            account = model.User.get(USER)
        assert account is not None
        account.sysadmin = True
        model.repo.commit()
        token = tk.get_action("api_token_create")(dict(site), {"user": USER, "name": "latency"})
        names = [
            name
            for (name,) in model.Session.query(model.Package.name)
            .filter(model.Package.state == "active", model.Package.type == "dataset")
            .order_by(model.Package.name)
        ]
        units = [
            name
            for (name,) in model.Session.query(model.Group.name)
            .join(model.Package, model.Package.owner_org == model.Group.id)
            .filter(model.Package.state == "active")
            .distinct()
            .order_by(model.Group.name)
        ]
        if names:
            seeded = seed_applications(applications, account.id)
            print(f"{seeded} seeded applications", flush=True)
        return str(token["token"]), names, units


def seed_applications(count: int, applicant_user: str) -> int:
    """The site's seeded applications topped up to ``count`` (written in SQL: the office's
    lists are measured, not the way there): to random loaded entries from random units, the
    n-th in the n-th state, half of the waiting ones past their due date, the coordinating
    ones asking the office. Returns how many there are."""
    import datetime

    import sqlalchemy as sa
    from ckan import model

    from ckanext.yiyang.subscription import states
    from ckanext.yiyang.subscription.model import Subscription

    seeded = Subscription.purpose_detail == SEEDED
    have = model.Session.query(Subscription).filter(seeded).count()
    if have >= count:
        return have
    package = model.Package
    entries = (
        model.Session.query(package.id)
        .filter(package.state == "active", package.type == "dataset")
        .order_by(package.id)
        .all()
    )
    units = [
        unit_id
        for (unit_id,) in model.Session.query(model.Group.id)
        .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
        .order_by(model.Group.id)
    ]
    # a unit applies for an entry once (the live ones are unique: yiyang_subscription_live_uq)
    taken = set(
        model.Session.query(Subscription.dataset_id, Subscription.applicant_org).distinct()
    )
    if (count - have) * 2 > len(entries) * len(units) - len(taken):
        sys.exit(
            f"{len(entries)} entries and {len(units)} units are too few for {count} applications"
        )
    every = sorted(states.MACHINE.states)
    rng = random.Random(have)
    now = datetime.datetime.utcnow()
    today = now.date()
    rows = []
    for n in range(have, count):
        status = every[n % len(every)]
        created = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
        waiting = status in (states.PENDING, states.NEGOTIATING, states.CHECKING)
        due = today + datetime.timedelta(days=rng.choice((-5, 5))) if waiting else None
        pair = (rng.choice(entries)[0], rng.choice(units))
        while pair in taken:
            pair = (rng.choice(entries)[0], rng.choice(units))
        taken.add(pair)
        rows.append(
            {
                "id": f"bench-{n:07d}",
                "dataset_id": pair[0],
                "applicant_org": pair[1],
                "applicant_user": applicant_user,
                "purpose": "work_reference",
                "purpose_detail": SEEDED,
                "status": status,
                "due_date": due,
                "coordination_requested": status == states.COORDINATING,
                "created": created,
                "modified": created,
            }
        )
    for start in range(0, len(rows), 5000):
        model.Session.execute(sa.insert(Subscription), rows[start : start + 5000])
    model.repo.commit()
    return count


def _url(
    kind: str,
    base: str,
    mix: list[str],
    loaded: tuple[list[str], list[str]],
    n: int,
    rng: random.Random,
) -> str:
    names, units = loaded
    if kind == "review queue":
        return f"{base}/review" + (f"?status=all&page={n // 2 % 20 + 1}" if n % 2 else "")
    if kind == "progress view":
        return f"{base}/progress"
    if kind == "application list":
        scope = "escalated" if n % 2 else "checks"
        return f"{base}/subscriptions?scope={scope}&page={n // 2 % 5 + 1}"
    if kind == "entry page":
        return f"{base}/dataset/{rng.choice(names)}"
    query = quote(mix[n % len(mix)])
    if kind == "search page":
        return f"{base}/dataset/?q={query}"
    search = f"{base}/api/3/action/package_search?rows=20&include_private=true"
    search += f"&facet.field={quote(json.dumps(FACETS))}"
    if kind == BROWSE:
        if n % 4 and units:
            search += "&fq=" + quote(f'organization:"{units[n * 7919 % len(units)]}"')
        return search
    return f"{search}&q={query}"


def compare(
    portals: dict[str, Any],
    mix: list[str],
    loaded: tuple[list[str], list[str]],
    token: str,
    args: argparse.Namespace,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Each kind in ``--rounds`` rounds, each round every portal in turn (serve.alternate)."""
    headers = {"Authorization": token}

    def run(label: str, kind: str, count: int, burst: Burst) -> None:
        base = portals[label].base
        fire(
            lambda n, rng: _url(kind, base, mix, loaded, n, rng),
            kind,
            count,
            args.clients,
            burst,
            headers,
        )

    warm_up = lambda portal: 4 * portal.workers * args.clients  # noqa: E731
    figures = alternate(portals, KINDS, run, args.requests, args.rounds, warm_up)
    office = alternate(
        {"ours": portals["ours"]},
        OFFICE_KINDS,
        run,
        args.office_requests,
        args.rounds,
        lambda portal: portal.workers * args.clients,
    )
    figures["ours"].update(office["ours"])
    return figures


SERVICES = ("postgresql", "solr", "redis", "gunicorn")


def memory(sampler: Sampler) -> dict[str, float]:
    """The largest memory sample (PSS, MiB) of each service while ``sampler`` ran."""
    figures = sampler.figures()
    return {name: figures[name]["rss_max_mb"] for name in SERVICES}


def sampled(portal: Any) -> Sampler:
    """A running sampler of the services, ``portal``'s gunicorn among them."""
    sampler = Sampler(1.0, {"gunicorn": psutil.Process(portal.process.pid)}, pss=True)
    sampler.start()
    return sampler


def stopped(sampler: Sampler) -> Sampler:
    """``sampler`` stopped, with at least one sample."""
    sampler.halt.set()
    sampler.join()
    if not sampler.load:  # stopped before its first sample
        sampler.sample()
    return sampler


def report(figures: dict[str, Any]) -> None:
    for label in ("ours", "stock"):
        for kind, row in figures[label].items():
            print(
                f"{label:6s} {kind:23s} {row['rps']:7.1f} req/s  p50 {row['p50_ms']:7.1f} ms"
                f"  p95 {row['p95_ms']:7.1f} ms  max {row['max_ms']:7.1f} ms"
                f"  errors {row['errors']}"
            )
    for kind, ratio in figures["ratios"].items():
        print(f"ours / stock, {kind:23s} p95 ×{ratio}")
    browsed = {label: figures[label][BROWSE]["found_total"] for label in ("ours", "stock")}
    print(f"browse, entries found in all (the same answers): {browsed}")
    for target, met in figures["targets"].items():
        print(f"{'met    ' if met else 'NOT met'} {target}")
    for state, rows in figures["memory_mb"].items():
        print(f"memory ({state}): " + ", ".join(f"{k} {v:.0f} MiB" for k, v in rows.items()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument("--stock-config", default=str(ROOT / "config" / "bench-stock.ini"))
    parser.add_argument("--queries", default=str(ROOT / "benchmarks" / "queries.yaml"))
    parser.add_argument("--requests", type=int, default=1000, help="of each kind, per portal")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds per kind, portals alternating"
    )
    parser.add_argument(
        "--office-requests", type=int, default=200, help="of each of the office's pages"
    )
    parser.add_argument(
        "--applications", type=int, default=20000, help="seeded applications (at least)"
    )
    parser.add_argument("--site", help="the site bulk_load.py --site NAME loaded")
    parser.add_argument("--idle", type=float, default=15, help="seconds of idle memory samples")
    args = parser.parse_args()
    config = str(Path(args.config).resolve())
    stock = str(Path(args.stock_config).resolve())
    OUT.mkdir(parents=True, exist_ok=True)
    mix = queries(Path(args.queries))
    envs: dict[str, dict[str, str]] = {"ours": {}, "stock": {}}
    if args.site:
        from harvest import site_env, stock_core

        envs["ours"] = site_env(args.site, config)
        envs["stock"] = {**envs["ours"], "CKAN_SOLR_URL": stock_core(args.site)}
        os.environ.update(envs["ours"])  # this process's CKAN: the site's database

    token, names, units = set_up(config, args.applications)
    if not names:
        sys.exit(f"no entries in the database of {config}: run search_quality.py load first")
    print(f"{len(names)} entries, {len(mix)} queries", flush=True)

    from ckanext.yiyang.serving import launcher

    portals: dict[str, Any] = {}
    try:
        for label, ini in (("ours", config), ("stock", stock)):
            try:
                portals[label] = launcher.start(
                    ini,
                    LOG / f"bench-search-latency-{label}.log",
                    workers=args.workers,
                    threads=args.threads,
                    env=envs[label],
                    cwd=ROOT,
                )
            except launcher.PortalFailed as error:
                sys.exit(str(error))
        started = time.perf_counter()
        busy = sampled(portals["ours"])
        measured = compare(portals, mix, (names, units), token, args)
        stopped(busy)
        seconds = time.perf_counter() - started
        idle = sampled(portals["ours"])
        time.sleep(args.idle)
        stopped(idle)
    finally:
        for portal in portals.values():
            portal.stop()

    ours, theirs = measured["ours"], measured["stock"]
    ratios = {kind: round(ours[kind]["p95_ms"] / theirs[kind]["p95_ms"], 2) for kind in KINDS}
    targets = {
        f"{kind} p95 ≤ {limit:.0f} ms ({ours[kind]['p95_ms']} ms)": ours[kind]["p95_ms"] <= limit
        for kind, limit in TARGETS.items()
    }
    targets[f"package_search p95 ≤ {STOCK_RATIO} × stock's (×{ratios['package_search']})"] = (
        ratios["package_search"] <= STOCK_RATIO
    )
    figures = {
        "entries": len(names),
        "queries": len(mix),
        "clients": args.clients,
        "requests": args.requests,
        "workers": args.workers,
        "threads": args.threads,
        "rounds": args.rounds,
        "seconds": round(seconds),
        "ours": ours,
        "stock": theirs,
        "ratios": ratios,
        "targets": targets,
        "errors": sum(row["errors"] for rows in measured.values() for row in rows.values()),
        "memory_mb": {"under load": memory(busy), "idle": memory(idle)},
    }
    report(figures)
    out = OUT / (f"search_latency_{args.site}.json" if args.site else "search_latency.json")
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(json.dumps(figures, ensure_ascii=False))
    empty = [label for label, rows in measured.items() if not rows["package_search"]["max_found"]]
    if empty:
        print(f"the searches of {', '.join(empty)} found nothing: nothing was measured")
    sys.exit(1 if figures["errors"] or empty else 0)


if __name__ == "__main__":
    main()
