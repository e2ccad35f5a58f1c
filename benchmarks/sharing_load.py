"""Load run of the sharing platform (issue 5): applications and demands through the HTTP API.

    .venv/bin/python benchmarks/sharing_load.py                       # 1,000 + 1,000
    .venv/bin/python benchmarks/sharing_load.py --applications 3000 --demands 3000

Resets the benchmark database (config/bench.ini: ckan_bench, Solr core ckan_bench, Redis db 2),
loads the 88 units of 附件1, starts a portal process (``ckan run`` on port 5060) and then works
only through its action API over HTTP, as the units' staff would through their API tokens:

1. the office registers and publishes ``--entries`` conditional entries spread over the units;
2. each application is made by an admin of one unit for an entry of another unit
   (``yiyang_subscription_create``), each decided by an admin of the providing unit
   (two in three approved, the rest rejected with a reason);
3. each demand is filed by one unit to another (``yiyang_demand_create``), accepted, then
   fulfilled with one of the provider's entries or rejected with a reason;
4. every unit's admin reads its queues page by page (``yiyang_subscription_list``
   scope=received, ``yiyang_demand_list`` role=provided, 50 a page) and the HTML pages
   /subscriptions and /demand.

Prints the number of calls and mean / median / 95th percentile / max milliseconds of each kind,
and writes them to var/bench/sharing_load.json. One client, sequential calls: the figures are
the server's time per request plus the loopback, without queueing. Notifications are written to
the inbox and their mails enqueued (no worker runs, as in a burst before the worker catches up).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
CKAN = ROOT / ".venv" / "bin" / "ckan"
CONFIG = ROOT / "config" / "bench.ini"
PORT = 5060
BASE = f"http://127.0.0.1:{PORT}"
OUT = ROOT / "var" / "bench" / "sharing_load.json"
ADMIN, PASSWORD = "loadadmin", "load-admin-2026"

TIMES: dict[str, list[float]] = defaultdict(list)


def ckan(*args: str) -> str:
    done = subprocess.run(
        [str(CKAN), "-c", str(CONFIG), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"ckan {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def call(action: str, token: str, kind: str | None = None, **data: Any) -> Any:
    started = time.perf_counter()
    response = requests.post(
        f"{BASE}/api/3/action/{action}", json=data, headers={"Authorization": token}, timeout=60
    )
    if kind:
        TIMES[kind].append((time.perf_counter() - started) * 1000)
    body = response.json()
    if not body.get("success"):
        raise RuntimeError(f"{action} {data}: {response.status_code} {body.get('error')}")
    return body["result"]


def page(path: str, token: str, kind: str) -> None:
    started = time.perf_counter()
    response = requests.get(BASE + path, headers={"Authorization": token}, timeout=60)
    TIMES[kind].append((time.perf_counter() - started) * 1000)
    response.raise_for_status()


def entry(owner_org: str, n: int) -> dict[str, Any]:
    return {
        "type": "dataset",
        "title": f"负载测试信息资源{n:04d}",
        "notes": "用于共享申请与需求负载测试的有条件共享信息资源。",
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
        "disclosure_scope": "internal",
        "management_mode": "computer",
        "data_items": [{"name": "名称", "data_type": "string", "length": 100}],
    }


def start_portal() -> subprocess.Popen[bytes]:
    log = open(ROOT / "var" / "log" / "bench-portal.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(CKAN),
            "-c",
            str(CONFIG),
            "run",
            "-H",
            "127.0.0.1",
            "-p",
            str(PORT),
            "--disable-reloader",
            "--disable-debugger",
            "--threaded",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{BASE}/api/3/action/status_show", timeout=5).ok:
                return proc
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    sys.exit("the benchmark portal did not start: see var/log/bench-portal.log")


def set_up(entries: int, units_wanted: int) -> tuple[str, list[dict[str, Any]], list[str]]:
    print("resetting ckan_bench …", flush=True)
    ckan("db", "clean", "--yes")
    ckan("db", "init")
    ckan("db", "pending-migrations", "--apply")
    ckan("search-index", "clear")
    ckan("yiyang", "load-units")
    ckan("yiyang", "ensure-sysadmin", ADMIN, "--password", PASSWORD)
    token = ckan("user", "token", "add", ADMIN, "load").strip().splitlines()[-1].strip()
    return token, [], []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--demands", type=int, default=1000)
    parser.add_argument("--units", type=int, default=30, help="units taking part (of the 88)")
    parser.add_argument("--entries", type=int, default=90, help="conditional entries")
    args = parser.parse_args()
    random.seed(2026)
    OUT.parent.mkdir(parents=True, exist_ok=True)

    admin_token, _, _ = set_up(args.entries, args.units)
    portal = start_portal()
    try:
        run(args, admin_token)
    finally:
        portal.terminate()
        portal.wait(timeout=30)
    report()


def run(args: argparse.Namespace, admin_token: str) -> None:
    started = time.perf_counter()
    names = call("organization_list", admin_token, limit=1000)
    units = [
        call("organization_show", admin_token, id=name)
        for name in names
        if name != "shi-dianzi-zhengwuban"
    ][: args.units]
    staff: dict[str, str] = {}  # unit id → its admin's token
    for n, unit in enumerate(units):
        user = call(
            "user_create",
            admin_token,
            name=f"load-admin-{n:02d}",
            email=f"load-admin-{n:02d}@yiyang.test",
            password=PASSWORD,
        )
        call(
            "organization_member_create",
            admin_token,
            id=unit["id"],
            username=user["name"],
            role="admin",
        )
        staff[unit["id"]] = call("api_token_create", admin_token, user=user["name"], name="load")[
            "token"
        ]
    print(f"{len(units)} units with an admin each", flush=True)

    by_unit: dict[str, list[str]] = defaultdict(list)
    for n in range(args.entries):
        owner = units[n % len(units)]["id"]
        created = call("package_create", admin_token, "entry create", **entry(owner, n))
        call("yiyang_review_submit", admin_token, "review submit", id=created["id"])
        call("yiyang_review_approve", admin_token, "review approve", id=created["id"])
        by_unit[owner].append(created["id"])
    all_entries = [(owner, e) for owner, ids in by_unit.items() for e in ids]
    print(f"{len(all_entries)} conditional entries published", flush=True)

    pairs = [(u["id"], owner, e) for u in units for owner, e in all_entries if owner != u["id"]]
    if len(pairs) < args.applications:
        sys.exit(f"only {len(pairs)} (unit, entry) pairs: raise --units or --entries")
    random.shuffle(pairs)
    subs = []
    for applicant, owner, dataset in pairs[: args.applications]:
        sub = call(
            "yiyang_subscription_create",
            staff[applicant],
            "application create",
            dataset_id=dataset,
            applicant_org=applicant,
            purpose="work_reference",
            purpose_detail="负载测试：核对业务数据。",
        )
        subs.append((sub["id"], owner))
    print(f"{len(subs)} applications", flush=True)
    list_pages(units, staff, "subscription")
    for n, (sub_id, owner) in enumerate(subs):
        if n % 3 == 2:
            call(
                "yiyang_subscription_reject",
                staff[owner],
                "application decision",
                id=sub_id,
                reason="负载测试：数据尚未整理完毕。",
            )
        else:
            call("yiyang_subscription_approve", staff[owner], "application decision", id=sub_id)
    print("applications decided", flush=True)

    demands = []
    unit_ids = [u["id"] for u in units]
    for n in range(args.demands):
        requester, provider = random.sample(unit_ids, 2)
        demand = call(
            "yiyang_demand_create",
            staff[requester],
            "demand create",
            title=f"负载测试需求{n:04d}",
            requester_org=requester,
            provider_org=provider,
            content="按月提供相关业务数据。",
            purpose="负载测试。",
            update_frequency="monthly",
        )
        demands.append((demand["id"], provider))
    print(f"{len(demands)} demands", flush=True)
    list_pages(units, staff, "demand")
    for n, (demand_id, provider) in enumerate(demands):
        call("yiyang_demand_accept", staff[provider], "demand decision", id=demand_id)
        if n % 2 == 0 and by_unit.get(provider):
            call(
                "yiyang_demand_fulfil",
                staff[provider],
                "demand decision",
                id=demand_id,
                dataset_id=by_unit[provider][0],
            )
        else:
            call(
                "yiyang_demand_reject",
                staff[provider],
                "demand decision",
                id=demand_id,
                reason="负载测试：暂无此类数据。",
            )
    print("demands answered", flush=True)
    TIMES["_total_seconds"] = [time.perf_counter() - started]


def list_pages(units: list[dict[str, Any]], staff: dict[str, str], what: str) -> None:
    """Every unit's admin reads its whole queue, 50 a page, then the queue's HTML page."""
    for unit in units:
        token = staff[unit["id"]]
        offset = 0
        while True:
            if what == "subscription":
                result = call(
                    "yiyang_subscription_list",
                    token,
                    "application list page (API, 50)",
                    scope="received",
                    limit=50,
                    offset=offset,
                )
            else:
                result = call(
                    "yiyang_demand_list",
                    token,
                    "demand list page (API, 50)",
                    role="provided",
                    limit=50,
                    offset=offset,
                )
            offset += 50
            if offset >= result["count"]:
                break
        if what == "subscription":
            page("/subscriptions?scope=received", token, "application queue page (HTML)")
        else:
            page("/demand?role=provided", token, "demand queue page (HTML)")


def report() -> None:
    rows = {}
    print(f"\n{'operation':36} {'n':>6} {'mean':>8} {'p50':>8} {'p95':>8} {'max':>8}  (ms)")
    for kind, values in TIMES.items():
        if kind.startswith("_"):
            continue
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        rows[kind] = {
            "n": len(values),
            "mean_ms": round(statistics.fmean(values), 1),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(ordered[-1], 1),
        }
        r = rows[kind]
        print(
            f"{kind:36} {r['n']:>6} {r['mean_ms']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8}"
        )
    total = TIMES.get("_total_seconds", [0])[0]
    print(f"\nwhole run through the API: {total:.0f} s")
    OUT.write_text(json.dumps({"operations": rows, "total_seconds": round(total, 1)}, indent=2))
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
