"""The gate's signal and the access log agree read by read: every read of data through a real
route — the API's ``datastore_search`` and ``datastore_info`` (served, refused, a column
outside a column-limited grant), a dump, a preview, the preview's download, a download, each
served and refused — is
told once by ``yiyang_data_read`` and kept once in the access log (which chains the DataStore's
actions itself, not the signal), with the same way, resource, outcome, reader, columns and rows.
Neither tells a read twice (a dump's pages, a preview's count) nor misses one (a refusal
answered before CKAN's view runs)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import pytest

from ckanext.yiyang.datagate import signals

from .conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins")

ROWS = [{"企业名称": f"益阳市第{n}公司", "注册资本": n} for n in range(1, 6)]


@pytest.fixture(scope="module")
def data(city: dict[str, Any]) -> dict[str, Any]:
    """A table and a preview of each entry of the city; B granted one column of the
    conditional entry."""
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    found: dict[str, Any] = {}
    for share in ("conditional", "unconditional"):
        resource = city[share]["resources"][0]["id"]
        tk.get_action("datastore_create")(
            dict(site),
            {
                "resource_id": resource,
                "force": True,
                "fields": [
                    {"id": "企业名称", "type": "text"},
                    {"id": "注册资本", "type": "numeric"},
                ],
                "records": ROWS,
            },
        )
        view = tk.get_action("resource_view_create")(
            dict(site),
            {"resource_id": resource, "view_type": "datatables_view", "title": "预览"},
        )
        found[share] = {"resource": resource, "view": view["id"], "entry": city[share]}
    users = city["users"]
    sub = act(
        "yiyang_subscription_create",
        users["b_member"],
        dataset_id=city["conditional"]["id"],
        applicant_org=city["unit_b"]["id"],
        purpose="work_reference",
        purpose_detail="核对企业名称",
        data_item_names=["企业名称"],
    )
    act("yiyang_subscription_approve", users["a_admin"], id=sub["id"])
    return found


@pytest.fixture
def told() -> Iterator[list[tuple[Any, ...]]]:
    """What ``yiyang_data_read`` tells while the test runs."""
    heard: list[tuple[Any, ...]] = []

    def receiver(sender: Any, **read: Any) -> None:
        # the signal names ``_id`` among the columns served; the log keeps the 信息项 only
        columns = tuple(c for c in read["columns"] if c != "_id")
        heard.append(
            (read["how"], read["resource_id"], read["outcome"], sender, columns, read["rows"])
        )

    signals.data_read.connect(receiver, weak=False)
    yield heard
    signals.data_read.disconnect(receiver)


def _logged(city: dict[str, Any]) -> dict[int, tuple[Any, ...]]:
    rows = act("yiyang_access_log_list", city["users"]["reviewer"], limit=1000)["results"]
    return {
        r["id"]: (
            r["how"],
            r["resource_id"],
            r["outcome"],
            r["user_name"],
            tuple(r["columns"] or ()) if r["outcome"] == "served" else (),
            r["rows"],
        )
        for r in rows
    }


def _api(app: Any, city: dict[str, Any], role: str, action: str, **params: Any) -> Any:
    return app.post(
        f"/api/3/action/{action}", json=params, headers={"Authorization": city["tokens"][role]}
    )


def _get(app: Any, city: dict[str, Any], role: str, url: str) -> Any:
    return app.get(url, headers={"Authorization": city["tokens"][role]}, follow_redirects=False)


def _preview(app: Any, city: dict[str, Any], role: str, view: str) -> Any:
    return app.post(
        f"/datatables/ajax/{view}",
        data={"draw": "1", "search[value]": "", "start": "0", "length": "3"},
        headers={"Authorization": city["tokens"][role]},
    )


def _filtered_download(app: Any, city: dict[str, Any], role: str, view: str) -> Any:
    """The preview's download: a redirect to the dump, followed."""
    params = {"search": {"value": ""}, "order": [], "visible": [True] * 3, "columns": []}
    return app.post(
        f"/datatables/filtered-download/{view}",
        data={"params": json.dumps(params), "format": "csv"},
        headers={"Authorization": city["tokens"][role]},
        follow_redirects=True,
    )


def _download(app: Any, city: dict[str, Any], role: str, d: dict[str, Any]) -> Any:
    url = f"/dataset/{d['entry']['name']}/resource/{d['resource']}/download"
    return _get(app, city, role, url)


C, U = "conditional", "unconditional"
Read = Callable[[Any, dict[str, Any], dict[str, Any]], Any]
#: name → (the read, its answer's status, what is told and kept: how, share, outcome, role,
#: columns, rows)
READS: dict[str, tuple[Read, int, tuple[Any, ...]]] = {
    "api search served": (
        lambda app, city, d: _api(
            app, city, "a_member", "datastore_search", resource_id=d[C]["resource"], limit=2
        ),
        200,
        ("datastore_search", C, "served", "a_member", ("企业名称", "注册资本"), 2),
    ),
    "api search refused": (
        lambda app, city, d: _api(
            app, city, "c_member", "datastore_search", resource_id=d[C]["resource"]
        ),
        403,
        ("datastore_search", C, "refused", "c_member", (), None),
    ),
    "api search, the granted column": (
        lambda app, city, d: _api(
            app, city, "b_member", "datastore_search", resource_id=d[C]["resource"]
        ),
        200,
        ("datastore_search", C, "served", "b_member", ("企业名称",), len(ROWS)),
    ),
    "api search, a column not granted": (
        lambda app, city, d: _api(
            app,
            city,
            "b_member",
            "datastore_search",
            resource_id=d[C]["resource"],
            fields=["企业名称", "注册资本"],
        ),
        409,
        ("datastore_search", C, "refused", "b_member", (), None),
    ),
    "api info served": (
        lambda app, city, d: _api(app, city, "b_member", "datastore_info", id=d[U]["resource"]),
        200,
        ("datastore_info", U, "served", "b_member", ("企业名称", "注册资本"), None),
    ),
    "api info refused": (
        lambda app, city, d: _api(app, city, "c_member", "datastore_info", id=d[C]["resource"]),
        403,
        ("datastore_info", C, "refused", "c_member", (), None),
    ),
    "dump served": (
        lambda app, city, d: _get(app, city, "b_member", f"/datastore/dump/{d[U]['resource']}"),
        200,
        ("dump", U, "served", "b_member", ("企业名称", "注册资本"), len(ROWS)),
    ),
    "dump refused": (
        lambda app, city, d: _get(app, city, "c_member", f"/datastore/dump/{d[C]['resource']}"),
        403,
        ("dump", C, "refused", "c_member", (), None),
    ),
    "preview served": (
        lambda app, city, d: _preview(app, city, "c_member", d[U]["view"]),
        200,
        ("preview", U, "served", "c_member", ("企业名称", "注册资本"), 3),
    ),
    "preview refused": (
        lambda app, city, d: _preview(app, city, "c_member", d[C]["view"]),
        403,
        ("preview", C, "refused", "c_member", (), None),
    ),
    "preview's download served": (
        lambda app, city, d: _filtered_download(app, city, "c_member", d[U]["view"]),
        200,
        ("dump", U, "served", "c_member", ("企业名称", "注册资本"), len(ROWS)),
    ),
    "preview's download refused": (
        lambda app, city, d: _filtered_download(app, city, "c_member", d[C]["view"]),
        403,
        ("dump", C, "refused", "c_member", (), None),
    ),
    "download served": (
        lambda app, city, d: _download(app, city, "c_member", d[U]),
        302,
        ("download", U, "served", "c_member", (), None),
    ),
    "download refused": (
        lambda app, city, d: _download(app, city, "c_member", d[C]),
        403,
        ("download", C, "refused", "c_member", (), None),
    ),
}


@pytest.mark.parametrize("name", list(READS))
def test_a_read_is_told_once_and_kept_once(app, city, data, told, name):
    read, status, (how, share, outcome, role, columns, rows) = READS[name]
    before = _logged(city)
    response = read(app, city, data)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if response.is_streamed:
        response.get_data()  # a dump is kept once streamed
    expected = (how, data[share]["resource"], outcome, city["users"][role], columns, rows)
    kept = [row for id_, row in _logged(city).items() if id_ not in before]
    if how == "download":  # a file: no columns, no rows (the signal names none either)
        expected = (*expected[:4], (), None)
    assert Counter(kept) == Counter([expected]), f"kept {kept}"
    assert Counter(told) == Counter([expected]), f"told {told}"


def test_a_refusal_keeps_the_message_told(app, city, data):
    """A column outside the grant: the log keeps the message the reader was told, as text."""
    response = _api(
        app,
        city,
        "b_member",
        "datastore_search",
        resource_id=data[C]["resource"],
        fields=["注册资本"],
    )
    assert response.status_code == 409
    rows = act(
        "yiyang_access_log_list",
        city["users"]["reviewer"],
        resource_id=data[C]["resource"],
        outcome="refused",
        user=city["users"]["b_member"],
        limit=1,
    )["results"]
    assert rows[0]["reason"] == "“注册资本”不是该数据的字段", rows[0]
