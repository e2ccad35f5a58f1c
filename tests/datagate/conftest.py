"""The data world of the data-path tests: a providing unit A, with a published entry of each
share type whose one resource is a DataStore table of four columns — its 信息项, two public,
two internal — holding marker values; a datatables preview on each; the units reading them by
an approved, an expired, a lapsed (approved, past its last day), a revoked and a column-limited
application, and one with none; of the 2025 lifecycle (issue 14.1), an expiring grant (still
reads) and a grant revoked through ``yiyang_subscription_revoke`` (refused at once); a service account of the column-limited unit (a member user
with an API token); a reviewer, a sysadmin, an account of no unit."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config, workdays
from ckanext.yiyang.subscription.model import Subscription

SHARES = ("unconditional", "conditional", "none")
COLUMNS = ("企业名称", "统一社会信用代码", "注册资本", "法定代表人")
PUBLIC = frozenset(COLUMNS[:2])
#: what the column-limited application names: a public and an internal 信息项
LIMITED = frozenset({"企业名称", "注册资本"})
ROWS = 3
#: unit name → the state of its application to the conditional entry
APPLICATIONS = {
    "approved": ("approved", None, []),
    "expired": ("expired", -1, []),
    "lapsed": ("approved", -1, []),
    "revoked": ("cancelled", None, []),
    "limited": ("approved", None, sorted(LIMITED)),
    "expiring": ("expiring", 3, []),
    # granted, then revoked by the action once the world is built
    "withdrawn": ("approved", None, []),
}


def marker(share: str, column: str, row: int) -> str:
    """The value of ``column`` in row ``row`` of the ``share`` entry's table: found in an
    answer, it tells that column of that table was served."""
    return f"mk{share[:4]}c{COLUMNS.index(column)}r{row}z"


def _items() -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "description": f"{name}的说明",
            "data_type": "string",
            "length": 100,
            "disclosure_scope": "public" if name in PUBLIC else "internal",
        }
        for name in COLUMNS
    ]


def token(user: str, name: str = "datagate") -> str:
    return tk.get_action("api_token_create")(
        {"user": user, "ignore_auth": True}, {"user": user, "name": name}
    )["token"]


def build_world(make_unit, entry_factory) -> dict[str, Any]:
    sysadmin = factories.Sysadmin()
    users: dict[str, dict[str, Any]] = {"sysadmin": sysadmin}
    units: dict[str, dict[str, Any]] = {}
    for name in ("owner", "other", *APPLICATIONS):
        users[name] = factories.User()
        units[name] = make_unit(users=[{"name": users[name]["name"], "capacity": "admin"}])
    users["service"] = factories.User(fullname="业务系统服务账号")
    tk.get_action("organization_member_create")(
        {"ignore_auth": True},
        {"id": units["limited"]["id"], "username": users["service"]["name"], "role": "member"},
    )
    users["reviewer"] = factories.User()
    users["registered"] = factories.User()
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    admin = {"user": sysadmin["name"]}
    entries, resources, views = {}, {}, {}
    for share in SHARES:
        extra = {"share_condition": "" if share == "unconditional" else "依据有关规定"}
        entry = entry_factory(
            units["owner"]["id"],
            published=True,
            title=f"数据通道{share}",
            share_type=share,
            disclosure_scope="partial",
            data_items=_items(),
            **extra,
        )
        resource = tk.get_action("resource_create")(
            admin,
            {
                "package_id": entry["id"],
                "name": f"数据{share}",
                "url": f"https://data.yiyang.test/{share}.csv",
                "format": "CSV",
            },
        )
        tk.get_action("datastore_create")(
            admin,
            {
                "resource_id": resource["id"],
                "force": True,
                "fields": [{"id": c, "type": "text"} for c in COLUMNS],
                "records": [{c: marker(share, c, r) for c in COLUMNS} for r in range(ROWS)],
            },
        )
        view = tk.get_action("resource_view_create")(
            admin,
            {
                "resource_id": resource["id"],
                "view_type": "datatables_view",
                "title": "数据预览",
                "show_fields": list(COLUMNS),
            },
        )
        entries[share], resources[share], views[share] = entry, resource, view
    today = workdays.today()
    for unit, (status, days, names) in APPLICATIONS.items():
        for share in ("unconditional", "conditional"):
            model.Session.add(
                Subscription(
                    dataset_id=entries[share]["id"],
                    applicant_org=units[unit]["id"],
                    applicant_user=users[unit]["id"],
                    purpose="work_reference",
                    purpose_detail="数据通道测试",
                    data_item_names=names,
                    status=status if share == "conditional" else "approved",
                    valid_until=today + datetime.timedelta(days=days) if days else None,
                )
            )
    model.Session.commit()
    for (grant,) in model.Session.query(Subscription.id).filter(
        Subscription.applicant_org == units["withdrawn"]["id"],
        Subscription.dataset_id == entries["conditional"]["id"],
    ):
        tk.get_action("yiyang_subscription_revoke")(
            {"user": sysadmin["name"]}, {"id": grant, "reason": "数据安全风险"}
        )
    tokens = {name: token(user["name"]) for name, user in users.items()}
    return {
        "users": users,
        "units": units,
        "entries": entries,
        "resources": resources,
        "views": views,
        "tokens": tokens,
    }


@pytest.fixture(scope="module")
def sql_search_enabled():
    """``datastore_search_sql`` registered (``ckan.datastore.sqlsearch.enabled``, off by
    default) for the module, and unregistered after it."""
    key = "ckan.datastore.sqlsearch.enabled"
    before = tk.config.get(key)
    tk.config[key] = True
    p.load_all()
    yield
    tk.config[key] = before
    p.load_all()


@pytest.fixture(scope="module")
def data_world(module_clean_db, make_unit, module_entry_factory, sql_search_enabled):
    return build_world(make_unit, module_entry_factory)
