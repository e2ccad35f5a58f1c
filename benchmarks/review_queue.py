"""Time the review queue (``/review``) over some thousands of entries (issue 12.5).

    .venv/bin/python benchmarks/review_queue.py [--config config/test.ini] [--entries 2000]

Writes into the configured database (a test or slot database, never the portal's: the
script refuses any other; the test suite's ``clean_db`` empties it again), makes one unit, one reviewer and one complete entry through the
actions, then clones that entry in SQL into ``--entries`` entries spread over the review
states (half of them submitted, by three submitters, with their review events), and times the
queue page as the reviewer: the first and a middle page of ``status=all``, a search, a
submitter filter, a date range. Prints milliseconds per request (median of 5), the number of
entries each queried action found and, last, one JSON line (the smoke run of the tests reads it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


#: A complete entry (every rule of catalog-model §1), as the test suite's.
ENTRY = {
    "type": "dataset",
    "title": "测速信息资源 0",
    "notes": "全市企业的注册登记信息，包括企业名称、统一社会信用代码和注册资本。",
    "catalog_category": "102",
    "subject_category": "02",
    "tag_string": "企业,注册登记",
    "format_class": "database",
    "format_type": "oracle",
    "share_type": "unconditional",
    "share_method": "platform_api",
    "open_to_public": "no",
    "update_cycle": "daily",
    "disclosure_scope": "public",
    "management_mode": "computer",
    "data_items": [
        {
            "name": "企业名称",
            "description": "营业执照上的名称",
            "data_type": "string",
            "length": 200,
            "disclosure_scope": "public",
        }
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "config" / "test.ini"))
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    flask_app = app._wsgi_app
    with flask_app.test_request_context("/"):
        import ckan.plugins.toolkit as tk
        import sqlalchemy as sa
        from ckan import model
        from ckan.tests import factories

        from ckanext.yiyang import config

        if "ckan_test" not in str(model.Session.get_bind().url) and "slot" not in str(
            model.Session.get_bind().url
        ):
            raise SystemExit("refusing: point --config or CKAN_SQLALCHEMY_URL at a test database")
        sys_user = factories.Sysadmin()
        reviewer = factories.User(fullname="审核员")
        submitters = [factories.User(fullname=f"提交人{i}") for i in range(3)]
        unit = factories.Organization(
            title="市测速局",
            unit_group="02",
            unit_code=f"{uuid.uuid4().int % 900 + 100}",
            users=[{"name": s["name"], "capacity": "editor"} for s in submitters],
        )
        if model.Group.get(config.office_org()) is None:
            factories.Organization(name=config.office_org(), title="市电子政务办")
        office = model.Group.get(config.office_org())
        tk.get_action("organization_member_create")(
            {"user": sys_user["name"]},
            {"id": office.id, "username": reviewer["name"], "role": "member"},
        )

        seed = tk.get_action("package_create")(
            {"user": sys_user["name"]}, {**ENTRY, "owner_org": unit["id"]}
        )
        started = time.perf_counter()
        _clone(model, sa, seed["id"], args.entries, [s["id"] for s in submitters])
        print(f"{args.entries} entries cloned in SQL in {time.perf_counter() - started:.1f} s")
        token = factories.APIToken(user=reviewer["name"])["token"]
        total = model.Session.query(model.Package).filter_by(type="dataset").count()
        print(f"{total} entries in the database")

    figures: dict[str, dict[str, float]] = {"pages": {}, "actions": {}}
    client = flask_app.test_client()
    cases = {
        "status=all, page 1": "/review?status=all",
        "status=all, page 20": "/review?status=all&page=20",
        "search q=测速信息资源 12": "/review?status=all&q=测速信息资源%2012",
        "submitted, one submitter": f"/review?status=submitted&submitter={submitters[1]['name']}",
        "submitted in a date range": "/review?status=submitted&submitted_from=2026-01-01&submitted_to=2026-12-31",
    }
    for label, url in cases.items():
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            response = client.get(url, headers={"Authorization": token})
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        figures["pages"][label] = round(statistics.median(times), 1)
        print(f"{label:32s} {statistics.median(times):7.0f} ms")
    # the query alone (the action), without CKAN's page around it
    with flask_app.test_request_context("/"):
        import ckan.plugins.toolkit as tk

        for label, data in {
            "action: status=all, first 50": {"status": "all"},
            "action: status=all, offset 950": {"status": "all", "offset": 950},
            "action: search": {"status": "all", "q": "测速信息资源 12"},
        }.items():
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                found = tk.get_action("yiyang_review_list")({"user": reviewer["name"]}, data)
                times.append((time.perf_counter() - t0) * 1000)
            ms = statistics.median(times)
            figures["actions"][label] = {"ms": round(ms, 1), "count": found["count"]}
            print(f"{label:32s} {ms:7.0f} ms  ({found['count']} found)")
    print(json.dumps({"entries": total, **figures}, ensure_ascii=False))


def _clone(model, sa, seed_id: str, count: int, submitter_ids: list[str]) -> None:
    """``count`` copies of the entry ``seed_id``: states cycle draft, submitted, returned,
    submitted, published; each submitted one has a submit event of one of the submitters."""
    from ckanext.yiyang.review.model import ReviewEvent

    seed = model.Package.get(seed_id)
    cycle = ("draft", "submitted", "returned", "submitted", "published")
    session = model.Session
    columns = [c.name for c in model.package_table.columns]
    rows = (
        session.execute(sa.select(model.package_table).where(model.package_table.c.id == seed_id))
        .mappings()
        .one()
    )
    for n in range(1, count + 1):
        state = cycle[n % len(cycle)]
        data = dict(rows)
        data["id"] = str(uuid.uuid4())
        data["name"] = f"bench-{n}-{uuid.uuid4().hex[:6]}"
        data["title"] = f"测速信息资源 {n}"
        data["state"] = "active"
        extras = dict(seed.extras or {})
        extras["resource_code"] = f"{uuid.uuid4().hex[:8]}-{n:06d}"
        extras["review_status"] = state
        data["extras"] = extras
        session.execute(model.package_table.insert().values({k: data[k] for k in columns}))
        if state != "draft":
            session.add(
                ReviewEvent(
                    package_id=data["id"],
                    actor_id=submitter_ids[n % len(submitter_ids)],
                    action="submit",
                    from_status="draft",
                    to_status="submitted",
                    revision=False,
                    opinion="",
                    changes=[],
                )
            )
    session.commit()
    # the statistics a live database has (autovacuum would gather them a little later)
    session.execute(sa.text("ANALYZE package"))
    session.execute(sa.text("ANALYZE yiyang_review_event"))
    session.commit()


if __name__ == "__main__":
    main()
