"""The data gate's cost (issue 13 point 4): load a generated table into the DataStore and read
it with ``datastore_search`` through the column filter, against plain CKAN.

    .venv/bin/python benchmarks/datastore_search.py                  # 1,000,000 rows
    .venv/bin/python benchmarks/datastore_search.py --rows 100000 --requests 500

1. generates a CSV of ``--rows`` rows × 12 columns (var/bench/datastore_<rows>.csv);
2. in this process (CKAN loaded from ``--config``, as its CLI does), makes a providing unit, a
   reading unit with a member and an API token, a published conditional entry whose 12 信息项
   are the CSV's columns, its resource, and an approved application of the reading unit
   limited to 6 of the 信息项; loads the CSV with ``datastore_create`` and then
   ``datastore_upsert`` in batches of ``--batch`` rows — load time and peak memory (the
   process's peak resident size, and the growth of that peak during the load);
3. starts the portal as ``make run`` serves it (gunicorn) with ``--workers`` processes of
   ``--threads`` threads (default 1: the single-threaded processes this benchmark always
   measured; the development server's ``--threaded`` and ``--processes`` broke CKAN 2.12's
   DataStore connections: "cursor already closed") with every plugin (ours: the column filter on) and
   then one with the project's plugins off (only ``activity datastore``: a config written to
   var/bench/datastore-stock.ini, ``use = config:<--config>``), each on a free port, and sends
   ``--requests`` ``datastore_search`` calls from ``--clients`` concurrent clients with the
   reader's token: ``limit`` 100 at a random offset. Ours without ``fields`` (the gate names the
   6 readable columns), stock with ``fields`` = those 6 columns: the same answer.

Prints one line per figure and, last, one JSON line; writes it to var/bench/datastore_search.json.
The data stays in the configured databases (each run makes new units, entry and table).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime
import json
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
COLUMNS = [
    ("企业名称", "string"),
    ("统一社会信用代码", "string"),
    ("注册资本", "numeric"),
    ("成立日期", "string"),
    ("法定代表人", "string"),
    ("登记机关", "string"),
    ("企业类型", "string"),
    ("经营范围", "string"),
    ("住所", "string"),
    ("从业人数", "integer"),
    ("联系电话", "string"),
    ("登记状态", "string"),
]
#: what the reading unit's application names
GRANTED = ["企业名称", "统一社会信用代码", "注册资本", "成立日期", "登记机关", "登记状态"]


def generate(path: Path, rows: int) -> float:
    started = time.perf_counter()
    rng = random.Random(13)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([c for c, _t in COLUMNS])
        for i in range(rows):
            writer.writerow(
                [
                    f"益阳市测试企业{i}有限公司",
                    f"91430900{i:010d}",
                    rng.randint(10, 100000),
                    f"20{rng.randint(0, 25):02d}-{rng.randint(1, 12):02d}-01",
                    f"法人{i % 9973}",
                    "益阳市市场监督管理局",
                    rng.choice(["有限责任公司", "股份有限公司", "个体工商户"]),
                    "软件开发；信息技术咨询服务",
                    f"益阳市赫山区龙岭大道{i % 500}号",
                    rng.randint(1, 500),
                    f"0737-{rng.randint(1000000, 9999999)}",
                    rng.choice(["存续", "在业", "注销"]),
                ]
            )
    return time.perf_counter() - started


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def set_up(config: str, path: Path, rows: int, batch: int) -> dict[str, Any]:
    """The scenario and the load, in this process."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(config))
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckan import model

        from ckanext.yiyang import config as yiyang_config
        from ckanext.yiyang.subscription.model import Subscription

        site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
        tag = uuid.uuid4().hex[:8]
        reader = tk.get_action("user_create")(
            dict(site),
            {
                "name": f"bench-reader-{tag}",
                "email": f"r{tag}@bench.test",
                "password": "Bench-2026-x",
            },
        )
        codes = [f"{random.randint(100, 999)}", f"{random.randint(100, 999)}"]
        if codes[0] == codes[1]:
            codes[1] = str(int(codes[0]) % 899 + 100)
        units = []
        for n, (title, code) in enumerate(
            zip(("数据提供单位", "数据使用单位"), codes, strict=True)
        ):
            units.append(
                tk.get_action("organization_create")(
                    dict(site),
                    {
                        "name": f"bench-unit-{tag}-{n}",
                        "title": f"{title}{tag}",
                        "unit_group": "02",
                        "unit_code": code,
                        "users": [{"name": reader["name"], "capacity": "member"}] if n else [],
                    },
                )
            )
        if model.Group.get(yiyang_config.office_org()) is None:
            tk.get_action("organization_create")(
                dict(site),
                {
                    "name": yiyang_config.office_org(),
                    "title": "市电子政务办",
                    "unit_group": "01",
                    "unit_code": "001",
                },
            )
        entry = tk.get_action("package_create")(
            dict(site),
            {
                "type": "dataset",
                "title": f"企业登记信息{tag}",
                "notes": "基准测试用的企业登记信息。",
                "owner_org": units[0]["id"],
                "catalog_category": "102",
                "subject_category": "02",
                "tag_string": "企业",
                "format_class": "database",
                "share_type": "conditional",
                "share_condition": "仅用于基准测试",
                "share_method": "platform_api",
                "open_to_public": "no",
                "update_cycle": "daily",
                # public, so plain CKAN (the baseline) lets the reader in too: CKAN's
                # ``private`` flag marks internal entries
                "disclosure_scope": "public",
                "management_mode": "computer",
                "data_items": [
                    {"name": c, "data_type": t, "length": 200, "disclosure_scope": "internal"}
                    if t == "string"
                    else {"name": c, "data_type": t, "disclosure_scope": "internal"}
                    for c, t in COLUMNS
                ],
            },
        )
        for step in ("submit", "approve"):
            tk.get_action(f"yiyang_review_{step}")(dict(site), {"id": entry["id"]})
        res = tk.get_action("resource_create")(
            dict(site),
            {
                "package_id": entry["id"],
                "name": "企业登记",
                "url": "https://data.bench.test/x.csv",
                "format": "CSV",
            },
        )
        model.Session.add(
            Subscription(
                dataset_id=entry["id"],
                applicant_org=units[1]["id"],
                applicant_user=reader["id"],
                purpose="work_reference",
                purpose_detail="基准测试",
                data_item_names=GRANTED,
                status="approved",
                valid_until=datetime.date.today() + datetime.timedelta(days=30),
            )
        )
        model.Session.commit()
        token = tk.get_action("api_token_create")(
            {"user": reader["name"], "ignore_auth": True},
            {"user": reader["name"], "name": "bench"},
        )["token"]
        types = {"string": "text", "numeric": "numeric", "integer": "int"}
        rss_before = _rss_mb()
        started = time.perf_counter()
        tk.get_action("datastore_create")(
            dict(site),
            {
                "resource_id": res["id"],
                "force": True,
                "fields": [{"id": c, "type": types[t]} for c, t in COLUMNS],
            },
        )
        loaded = 0
        with path.open(encoding="utf-8", newline="") as f:
            records: list[dict[str, str]] = []
            for row in csv.DictReader(f):
                records.append(row)
                if len(records) == batch:
                    tk.get_action("datastore_upsert")(
                        dict(site),
                        {
                            "resource_id": res["id"],
                            "force": True,
                            "method": "insert",
                            "records": records,
                        },
                    )
                    loaded += len(records)
                    records = []
            if records:
                tk.get_action("datastore_upsert")(
                    dict(site),
                    {
                        "resource_id": res["id"],
                        "force": True,
                        "method": "insert",
                        "records": records,
                    },
                )
                loaded += len(records)
        load_seconds = time.perf_counter() - started
        return {
            "resource_id": res["id"],
            "token": token,
            "rows_loaded": loaded,
            "load_seconds": round(load_seconds, 2),
            "rows_per_second": round(loaded / load_seconds) if load_seconds else None,
            "peak_rss_mb": round(_rss_mb(), 1),
            "peak_rss_growth_mb": round(_rss_mb() - rss_before, 1),
        }


def portal(config: str, workers: int, threads: int) -> Any:
    """The portal as ``make run`` serves it (gunicorn, ckanext/yiyang/serving/): ``workers``
    processes of ``threads`` threads, on a free port; exits when it does not start."""
    from ckanext.yiyang.serving import launcher

    try:
        return launcher.start(
            config,
            ROOT / "var" / "log" / "bench-datastore.log",
            workers=workers,
            threads=threads,
            cwd=ROOT,
        )
    except launcher.PortalFailed as error:
        sys.exit(str(error))


def measure(
    bases: list[str],
    token: str,
    resource_id: str,
    rows: int,
    requests_n: int,
    clients: int,
    fields: list[str] | None,
) -> dict[str, Any]:
    rng = random.Random(7)
    offsets = [rng.randint(0, max(rows - 100, 0)) for _ in range(requests_n)]
    session_per_thread: dict[int, tuple[requests.Session, str]] = {}

    def one(offset: int) -> tuple[float, list[str]]:
        import threading

        ident = threading.get_ident()
        if ident not in session_per_thread:
            base = bases[len(session_per_thread) % len(bases)]
            session_per_thread[ident] = (requests.Session(), base)
        session, base = session_per_thread[ident]
        body: dict[str, Any] = {"resource_id": resource_id, "limit": 100, "offset": offset}
        if fields is not None:
            body["fields"] = fields
        started = time.perf_counter()
        answer = session.post(
            f"{base}/api/3/action/datastore_search",
            json=body,
            headers={"Authorization": token},
            timeout=120,
        )
        elapsed = (time.perf_counter() - started) * 1000
        answer.raise_for_status()
        return elapsed, [f["id"] for f in answer.json()["result"]["fields"]]

    for base in bases:  # warm up each process
        requests.post(
            f"{base}/api/3/action/datastore_search",
            json={"resource_id": resource_id, "limit": 1},
            headers={"Authorization": token},
            timeout=120,
        )
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, offsets))
    wall = time.perf_counter() - started
    times = sorted(t for t, _f in results)
    columns = results[0][1]
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "requests_per_second": round(len(times) / wall, 1),
        "columns": [c for c in columns if c != "_id"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default=str(ROOT / "config" / "bench.ini"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="the portal's gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    args = parser.parse_args()
    config = str(Path(args.config).resolve())
    OUT.mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    path = OUT / f"datastore_{args.rows}.csv"
    generated = generate(path, args.rows)
    print(
        f"generated: {args.rows} rows × {len(COLUMNS)} columns in {generated:.1f} s ({path.stat().st_size / 1e6:.1f} MB)"
    )
    figures: dict[str, Any] = {
        "rows": args.rows,
        "columns": len(COLUMNS),
        "generate_seconds": round(generated, 2),
    }
    figures.update(set_up(config, path, args.rows, args.batch))
    print(
        f"load: {figures['rows_loaded']} rows in {figures['load_seconds']} s "
        f"({figures['rows_per_second']} rows/s), peak RSS {figures['peak_rss_mb']} MB "
        f"(+{figures['peak_rss_growth_mb']} MB during the load)"
    )
    stock_ini = OUT / "datastore-stock.ini"
    stock_ini.write_text(
        f"[app:main]\nuse = config:{config}\nckan.plugins = activity datastore\n", encoding="utf-8"
    )
    for name, ini, fields in (("ours", config, None), ("stock", str(stock_ini), GRANTED)):
        served = portal(ini, args.workers, args.threads)
        try:
            result = measure(
                # the warm-up sends one call per entry: one per worker
                [served.base] * args.workers,
                figures["token"],
                figures["resource_id"],
                args.rows,
                args.requests,
                args.clients,
                fields,
            )
        finally:
            served.stop()
        figures[name] = result
        print(
            f"{name}: {result['requests']} datastore_search calls, {args.clients} clients: "
            f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['requests_per_second']} req/s, "
            f"columns {len(result['columns'])}"
        )
    figures["ratio_p50"] = round(figures["ours"]["p50_ms"] / figures["stock"]["p50_ms"], 2)
    figures["ratio_p95"] = round(figures["ours"]["p95_ms"] / figures["stock"]["p95_ms"], 2)
    print(f"ratio ours/stock: p50 {figures['ratio_p50']}, p95 {figures['ratio_p95']}")
    figures.pop("token")
    (OUT / "datastore_search.json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
