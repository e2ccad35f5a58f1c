"""Load run of the sharing rules (issue 14, "done when"; issue 5's demands optional):
applications and objections through the HTTP API of a live portal, with concurrent clients.

    .venv/bin/python benchmarks/sharing_load.py                    # 2,000 + 2,000, 10 clients
    .venv/bin/python benchmarks/sharing_load.py --applications 200 --objections 200 --races 10

1. In this process (CKAN loaded from ``--config``, as its CLI does): the office (with a
   reviewer), ``--units`` units, each with two admins and a member, every one with an API
   token, and ``--entries`` published conditional entries spread over the units, each with a
   linked data resource (an entry with data: the provider may approve at once). Each run
   makes new units and users (a random tag): the data stays in the configured databases.
2. Starts the portal as ``make run`` serves it (gunicorn with ``--workers`` worker processes,
   on a free port) and then works only through its action API, from
   ``--clients`` concurrent clients (threads, one ``requests.Session`` each):

   - applications: a member of one unit applies for an entry of another unit
     (``yiyang_subscription_create``); when the returned state asks for the office's
     compliance review (``yiyang_subscription_check``, issue 14: any state other than
     ``pending`` and the decided ones), the reviewer passes it, until the application waits
     for the provider; an admin of the providing unit decides: two in three approved, the rest
     rejected with a reason;
   - objections: a member of one unit raises one on an entry of another unit
     (``yiyang_objection_create``), the office accepts it, an admin of the providing unit
     resolves it: half ``maintained`` with a reason, half ``corrected`` naming the reloaded
     resource;
   - list pages: after the creations and after the decisions, every unit's admins read their
     queues page by page, 50 a page (``yiyang_subscription_list`` scope=received,
     ``yiyang_objection_list`` scope=provided), and the office its objection queue;
   - races (``--races``): one pending application each, approved by one admin of the
     provider and rejected by the other at the same moment (two threads released by a
     barrier): exactly one must win, the other must be told a 409 with a message.
   - demands (issue 5, ``--demands``, default none): filed, accepted, fulfilled or rejected.

Prints the number of calls and mean / median / 95th percentile / max milliseconds of each
kind, the errors (there must be none), the races' outcome and, last, one JSON line; writes
it to var/bench/sharing_load.json. Exits 1 when a call failed or a race did not have exactly
one winner. Notifications are written to the inbox and their mails enqueued (no worker runs,
as in a burst before the worker catches up).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import random
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PASSWORD = "Load-run-2026-x"

#: States of an application the provider answers, and those it has been answered in
#: (issue 14 names ``granted``/``refused``; the stored names may stay ``approved``/``rejected``).
AWAITS_PROVIDER = {"pending"}
DECIDED = {"approved", "granted", "rejected", "refused"}
#: States in which nobody reviews it any more.
ENDED = DECIDED | {"cancelled", "expired", "expiring", "revoked"}

TIMES: dict[str, list[float]] = defaultdict(list)
ERRORS: dict[str, list[str]] = defaultdict(list)
_lock = threading.Lock()
_local = threading.local()


class CallFailed(Exception):
    def __init__(self, action: str, status: int, error: Any) -> None:
        super().__init__(f"{action}: HTTP {status} {error}")
        self.status, self.error = status, error


class Portal:
    """The portal's processes; each client thread keeps to one of them."""

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self._next = 0

    def session(self) -> tuple[requests.Session, str]:
        if not hasattr(_local, "session"):
            with _lock:
                base = self.bases[self._next % len(self.bases)]
                self._next += 1
            _local.session, _local.base = requests.Session(), base
        return _local.session, _local.base

    def call(self, action: str, token: str, timed: str | None = None, /, **data: Any) -> Any:
        """The action's result, its time kept under ``timed``; a failure raises
        :class:`CallFailed`."""
        session, base = self.session()
        started = time.perf_counter()
        try:
            response = session.post(
                f"{base}/api/3/action/{action}",
                json=data,
                headers={"Authorization": token},
                timeout=120,
            )
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            raise CallFailed(action, 0, repr(error)) from error
        finally:
            elapsed = (time.perf_counter() - started) * 1000
        if timed:
            with _lock:
                TIMES[timed].append(elapsed)
        if not body.get("success"):
            raise CallFailed(action, response.status_code, body.get("error"))
        return body["result"]


def _counted(kind: str, work: Callable[[], Any]) -> Any:
    """``work()``, its failure counted as an error of ``kind`` (and None returned)."""
    try:
        return work()
    except CallFailed as error:
        with _lock:
            ERRORS[kind].append(str(error)[:300])
        return None


def start_portal(config: str, workers: int) -> Any:
    """The portal as ``make run`` serves it (gunicorn, ckanext/yiyang/serving/) with
    ``workers`` processes, on a free port; exits when it does not start."""
    from ckanext.yiyang.serving import launcher

    try:
        return launcher.start(
            config, ROOT / "var" / "log" / "bench-sharing.log", workers=workers, cwd=ROOT
        )
    except launcher.PortalFailed as error:
        sys.exit(str(error))


def _entry(owner_org: str, tag: str, n: int, disclosure_scope: str = "internal") -> dict[str, Any]:
    return {
        "type": "dataset",
        "name": f"load-{tag}-{n:04d}",
        "title": f"负载测试信息资源{tag}-{n:04d}",
        "notes": "用于共享申请与数据异议负载测试的有条件共享信息资源。",
        "owner_org": owner_org,
        "catalog_category": "102",
        "subject_category": "02",
        "tag_string": "负载测试",
        "format_class": "database",
        "format_type": "oracle",
        "share_type": "conditional",
        "share_condition": "仅用于负载测试",
        "share_method": "platform_api",
        "open_to_public": "no",
        "update_cycle": "daily",
        "disclosure_scope": disclosure_scope,
        "management_mode": "computer",
        "data_items": [
            {"name": "名称", "data_type": "string", "length": 100},
            {"name": "代码", "data_type": "string", "length": 18},
        ],
        "resources": [
            {"name": "数据接口", "url": f"https://data.yiyang.test/{tag}/{n}.csv", "format": "CSV"}
        ],
    }


def set_up(
    config: str,
    units_wanted: int,
    entries_wanted: int,
    more_staff: dict[str, str] | None = None,
    scopes: tuple[str, ...] = ("internal",),
) -> dict[str, Any]:
    """The office, the units, their staff with tokens and the published entries, in this
    process through the actions. ``more_staff`` (role: capacity, e.g. ``{"editor": "editor"}``,
    benchmarks/load.py) adds people of those roles to each unit, their tokens under the role;
    entry ``n`` is disclosed to ``scopes[n % len(scopes)]``."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(config))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan import model

        from ckanext.yiyang import config as yiyang_config

        site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
        tag = uuid.uuid4().hex[:6]

        def act(action: str, **data: Any) -> Any:
            return tk.get_action(action)(dict(site), data)

        def person(role: str) -> tuple[str, str]:
            name = f"load-{tag}-{role}"
            act("user_create", name=name, email=f"{name}@load.test", password=PASSWORD)
            token = tk.get_action("api_token_create")(
                {"user": name, "ignore_auth": True}, {"user": name, "name": "load"}
            )["token"]
            return name, token

        reviewer, reviewer_token = person("office")
        office = model.Group.get(yiyang_config.office_org())
        if office is None:
            act(
                "organization_create",
                name=yiyang_config.office_org(),
                title="市电子政务办",
                unit_group="01",
                unit_code="001",
                users=[{"name": reviewer, "capacity": "member"}],
            )
        else:
            act("organization_member_create", id=office.id, username=reviewer, role="member")
        codes = ((group, f"{code:03d}") for group in "5432" for code in range(999, 99, -1))

        def make_unit(**data: Any) -> dict[str, Any]:
            """A unit with a code free in the database (each run makes new units)."""
            for group, code in codes:
                try:
                    return act(
                        "organization_create", unit_group=f"0{group}", unit_code=code, **data
                    )
                except tk.ValidationError as error:
                    if "unit_code" not in (error.error_dict or {}):
                        raise
            sys.exit("no free unit code left: reset the database")

        units: list[dict[str, Any]] = []
        for n in range(units_wanted):
            capacities = {"admin": "admin", "admin2": "admin", "member": "member"}
            capacities.update(more_staff or {})
            staff = {role: person(f"u{n:02d}-{role}") for role in capacities}
            unit = make_unit(
                name=f"load-{tag}-unit-{n:02d}",
                title=f"负载测试单位{tag}-{n:02d}",
                users=[
                    {"name": name, "capacity": capacities[role]}
                    for role, (name, _token) in staff.items()
                ],
            )
            units.append(
                {"id": unit["id"], **{role: token for role, (_n, token) in staff.items()}}
            )
        entries: list[dict[str, Any]] = []
        for n in range(entries_wanted):
            owner = units[n % len(units)]
            scope = scopes[n % len(scopes)]
            created = act("package_create", **_entry(owner["id"], tag, n, scope))
            for step in ("submit", "approve"):
                act(f"yiyang_review_{step}", id=created["id"])
            entries.append(
                {
                    "id": created["id"],
                    "name": created["name"],
                    "owner": owner["id"],
                    "resource": created["resources"][0]["id"],
                    "scope": scope,
                }
            )
        return {"tag": tag, "reviewer": reviewer_token, "units": units, "entries": entries}


class Run:
    def __init__(self, portal: Portal, city: dict[str, Any], clients: int) -> None:
        self.portal, self.city, self.clients = portal, city, clients
        self.units = {u["id"]: u for u in city["units"]}
        self.reviewer = city["reviewer"]
        self.valid_until = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()

    def parallel(self, work: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        with concurrent.futures.ThreadPoolExecutor(self.clients) as pool:
            return list(pool.map(work, items))

    # applications

    def apply(self, applicant: str, entry: dict[str, Any]) -> dict[str, Any]:
        sub = self.portal.call(
            "yiyang_subscription_create",
            self.units[applicant]["member"],
            "application create",
            dataset_id=entry["id"],
            applicant_org=applicant,
            purpose="work_reference",
            purpose_detail="负载测试：核对业务数据。",
            basis="《政务数据共享条例》第十四条",
            scenario="负载测试：业务办理时核对数据。",
            scope_of_use="本单位内部业务使用",
            valid_until=self.valid_until,
        )
        return self.until_provider(sub)

    def until_provider(self, sub: dict[str, Any]) -> dict[str, Any]:
        """The application once it waits for the provider: the office's compliance review
        passed while its state asks for one (issue 14's lifecycle)."""
        for _ in range(3):
            status = str(sub.get("status") or "")
            if status in AWAITS_PROVIDER or status in ENDED:
                return sub
            sub = self.portal.call(
                "yiyang_subscription_check",
                self.reviewer,
                "compliance check",
                id=sub["id"],
                passed=True,
                opinion="负载测试：符合共享条件。",
            )
        raise CallFailed("yiyang_subscription_check", 0, f"still {sub.get('status')}")

    def decide(self, n: int, sub: dict[str, Any]) -> Any:
        provider = self.units[sub["owner"]]["admin"]
        if n % 3 == 2:
            return self.portal.call(
                "yiyang_subscription_reject",
                provider,
                "application decision",
                id=sub["id"],
                reason="负载测试：数据尚未整理完毕。",
            )
        return self.portal.call(
            "yiyang_subscription_approve", provider, "application decision", id=sub["id"]
        )

    def applications(self, wanted: int, pairs: list[tuple[str, dict[str, Any]]]) -> int:
        def create(pair: tuple[str, dict[str, Any]]) -> dict[str, Any] | None:
            applicant, entry = pair
            sub = _counted("application create", lambda: self.apply(applicant, entry))
            return None if sub is None else {**sub, "owner": entry["owner"]}

        subs = [s for s in self.parallel(create, pairs[:wanted]) if s is not None]
        print(f"{len(subs)} applications made", flush=True)
        self.list_pages("application list page (API, 50)", self.subscription_pages)
        waiting = [s for s in subs if s.get("status") in AWAITS_PROVIDER]
        self.parallel(
            lambda ns: _counted("application decision", lambda: self.decide(*ns)),
            enumerate(waiting),
        )
        print(f"{len(waiting)} applications decided", flush=True)
        self.list_pages("application list page (API, 50)", self.subscription_pages)
        return len(subs)

    def subscription_pages(self, token: str) -> None:
        self.pages(
            token, "yiyang_subscription_list", "application list page (API, 50)", "received"
        )

    # objections

    def objections(self, wanted: int, pairs: list[tuple[str, dict[str, Any]]]) -> int:
        def create(n_pair: tuple[int, tuple[str, dict[str, Any]]]) -> dict[str, Any] | None:
            n, (raiser, entry) = n_pair
            made = _counted(
                "objection create",
                lambda: self.portal.call(
                    "yiyang_objection_create",
                    self.units[raiser]["member"],
                    "objection create",
                    dataset_id=entry["id"],
                    kind=("data_error", "data_missing", "stale", "catalog_mismatch", "other")[
                        n % 5
                    ],
                    description=f"负载测试异议{n:04d}：数据与实际不符。",
                    **({"data_item": "名称"} if n % 2 else {}),
                ),
            )
            return None if made is None else {**made, "entry": entry}

        made = [o for o in self.parallel(create, enumerate(pairs[:wanted])) if o is not None]
        print(f"{len(made)} objections raised", flush=True)
        self.list_pages("objection list page (API, 50)", self.objection_pages)

        def accept(objection: dict[str, Any]) -> Any:
            return self.portal.call(
                "yiyang_objection_accept",
                self.reviewer,
                "objection accept",
                id=objection["id"],
                reason="负载测试：已受理，转提供单位核实。",
            )

        accepted = [
            o
            for o, ok in zip(
                made,
                self.parallel(lambda o: _counted("objection accept", lambda: accept(o)), made),
                strict=True,
            )
            if ok is not None
        ]

        def resolve(n_objection: tuple[int, dict[str, Any]]) -> Any:
            n, objection = n_objection
            provider = self.units[objection["entry"]["owner"]]["admin"]
            if n % 2:
                return self.portal.call(
                    "yiyang_objection_resolve",
                    provider,
                    "objection resolve",
                    id=objection["id"],
                    outcome="maintained",
                    reason="负载测试：经核实数据无误。",
                )
            return self.portal.call(
                "yiyang_objection_resolve",
                provider,
                "objection resolve",
                id=objection["id"],
                outcome="corrected",
                reason="负载测试：已重新加载数据。",
                revision=objection["entry"]["resource"],
            )

        self.parallel(
            lambda no: _counted("objection resolve", lambda: resolve(no)), enumerate(accepted)
        )
        print(f"{len(accepted)} objections accepted and resolved", flush=True)
        self.list_pages("objection list page (API, 50)", self.objection_pages)
        return len(made)

    def objection_pages(self, token: str) -> None:
        self.pages(token, "yiyang_objection_list", "objection list page (API, 50)", "provided")

    # demands (issue 5)

    def demands(self, wanted: int, rng: random.Random) -> int:
        ids = list(self.units)
        by_unit: dict[str, list[str]] = defaultdict(list)
        for entry in self.city["entries"]:
            by_unit[entry["owner"]].append(entry["id"])

        def one(n: int) -> Any:
            requester, provider = rng.sample(ids, 2)
            token = self.units[provider]["admin"]
            demand = self.portal.call(
                "yiyang_demand_create",
                self.units[requester]["admin"],
                "demand create",
                title=f"负载测试需求{n:04d}",
                requester_org=requester,
                provider_org=provider,
                content="按月提供相关业务数据。",
                purpose="负载测试。",
                update_frequency="monthly",
            )
            self.portal.call("yiyang_demand_accept", token, "demand decision", id=demand["id"])
            if n % 2 == 0 and by_unit.get(provider):
                return self.portal.call(
                    "yiyang_demand_fulfil",
                    token,
                    "demand decision",
                    id=demand["id"],
                    dataset_id=by_unit[provider][0],
                )
            return self.portal.call(
                "yiyang_demand_reject",
                token,
                "demand decision",
                id=demand["id"],
                reason="负载测试：暂无此类数据。",
            )

        done = self.parallel(lambda n: _counted("demand", lambda: one(n)), range(wanted))
        self.list_pages(
            "demand list page (API, 50)",
            lambda token: self.pages(token, "yiyang_demand_list", "demand list page (API, 50)"),
        )
        return sum(1 for d in done if d is not None)

    # list pages

    def pages(self, token: str, action: str, kind: str, scope: str | None = None) -> None:
        offset = 0
        while True:
            query: dict[str, Any] = {"limit": 50, "offset": offset}
            if action == "yiyang_demand_list":
                query["role"] = "provided"
            elif scope:
                query["scope"] = scope
            result = self.portal.call(action, token, kind, **query)
            offset += 50
            if offset >= result["count"]:
                return

    def list_pages(self, kind: str, read: Callable[[str], None]) -> None:
        """Every unit's admins read their queue (and the office its objection queue)."""
        tokens = [u[role] for u in self.city["units"] for role in ("admin", "admin2")]
        self.parallel(lambda token: _counted(kind, lambda: read(token)), tokens)
        if kind.startswith("objection"):
            _counted(
                kind,
                lambda: self.pages(self.reviewer, "yiyang_objection_list", kind, "office"),
            )

    # races

    def races(self, wanted: int, pairs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
        outcome: dict[str, Any] = {"races": 0, "one_winner": 0, "losers_409": 0, "messages": []}
        for applicant, entry in pairs[:wanted]:
            sub = _counted("race set-up", lambda a=applicant, e=entry: self.apply(a, e))
            if sub is None or sub.get("status") not in AWAITS_PROVIDER:
                continue
            unit = self.units[entry["owner"]]
            barrier = threading.Barrier(2)

            def decide(
                action: str,
                token: str,
                sub_id: str = sub["id"],
                barrier: threading.Barrier = barrier,
            ) -> Any:
                data: dict[str, Any] = {"id": sub_id}
                if action == "yiyang_subscription_reject":
                    data["reason"] = "负载测试：同时拒绝。"
                barrier.wait()
                try:
                    return self.portal.call(action, token, "race decision", **data)
                except CallFailed as refused:
                    return refused

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                results = list(
                    pool.map(
                        decide,
                        ("yiyang_subscription_approve", "yiyang_subscription_reject"),
                        (unit["admin"], unit["admin2"]),
                    )
                )
            won = [r for r in results if not isinstance(r, CallFailed)]
            lost = [r for r in results if isinstance(r, CallFailed)]
            outcome["races"] += 1
            if len(won) == 1:
                outcome["one_winner"] += 1
                shown = self.portal.call("yiyang_subscription_show", unit["admin"], id=sub["id"])
                if shown["status"] != won[0]["status"]:
                    ERRORS["race"].append(
                        f"{sub['id']}: won {won[0]['status']}, is {shown['status']}"
                    )
            else:
                ERRORS["race"].append(f"{sub['id']}: {len(won)} winners")
            for loser in lost:
                if loser.status == 409:
                    outcome["losers_409"] += 1
                if len(outcome["messages"]) < 3:
                    outcome["messages"].append(loser.error)
        return outcome


def report(figures: dict[str, Any]) -> dict[str, Any]:
    rows = {}
    print(f"\n{'operation':36} {'n':>6} {'mean':>8} {'p50':>8} {'p95':>8} {'max':>8}  (ms)")
    for kind, values in sorted(TIMES.items()):
        ordered = sorted(values)
        rows[kind] = {
            "n": len(values),
            "mean_ms": round(statistics.fmean(values), 1),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "max_ms": round(ordered[-1], 1),
        }
        r = rows[kind]
        print(
            f"{kind:36} {r['n']:>6} {r['mean_ms']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8}"
        )
    errors = sum(len(v) for v in ERRORS.values())
    print(f"\nerrors: {errors}")
    for kind, messages in ERRORS.items():
        print(f"  {kind}: {len(messages)}, e.g. {messages[0]}")
    races = figures["races"]
    print(
        f"races: {races['races']}, exactly one winner in {races['one_winner']}, "
        f"losers answered 409: {races['losers_409']}; e.g. {races['messages'][:1]}"
    )
    print(f"whole run through the API: {figures['seconds']:.0f} s")
    figures.update(
        operations=rows,
        errors=errors,
        error_samples={k: v[:3] for k, v in ERRORS.items()},
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--objections", type=int, default=2000)
    parser.add_argument("--demands", type=int, default=0, help="issue 5's demands (default none)")
    parser.add_argument("--races", type=int, default=50, help="approve vs reject at once")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="the portal's gunicorn workers")
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--entries", type=int, default=90, help="conditional entries")
    args = parser.parse_args()
    config = str(Path(args.config).resolve())
    rng = random.Random(2026)
    OUT.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    city = set_up(config, args.units, args.entries)
    print(
        f"set up in {time.perf_counter() - started:.0f} s: {len(city['units'])} units, "
        f"{len(city['entries'])} published entries",
        flush=True,
    )
    pairs = [(u, e) for u in (x["id"] for x in city["units"]) for e in city["entries"]]
    pairs = [(u, e) for u, e in pairs if u != e["owner"]]
    if len(pairs) < args.applications + args.races:
        sys.exit(f"only {len(pairs)} (unit, entry) pairs: raise --units or --entries")
    rng.shuffle(pairs)
    objection_pairs = [pairs[rng.randrange(len(pairs))] for _ in range(args.objections)]

    portal = start_portal(config, args.workers)
    try:
        run = Run(Portal([portal.base]), city, args.clients)
        started = time.perf_counter()
        figures: dict[str, Any] = {
            "clients": args.clients,
            "workers": args.workers,
            "units": len(city["units"]),
            "entries": len(city["entries"]),
            "applications": run.applications(args.applications, pairs[: args.applications]),
            "objections": run.objections(args.objections, objection_pairs),
            "demands": run.demands(args.demands, rng) if args.demands else 0,
        }
        figures["races"] = run.races(args.races, pairs[args.applications :])
        figures["seconds"] = round(time.perf_counter() - started, 1)
    finally:
        portal.stop()
    figures = report(figures)
    (OUT / "sharing_load.json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(json.dumps(figures, ensure_ascii=False))
    failed = figures["errors"] or figures["races"]["one_winner"] != figures["races"]["races"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
