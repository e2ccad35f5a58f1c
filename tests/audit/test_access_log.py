"""The access log (issue 13 point 6): downloads served and refused are recorded with who, what,
how, from where; each role sees what it should through the action and the page; the log cannot
be edited (no action; the trigger refuses SQL); the Excel export; the progress count."""

from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk
import openpyxl
import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.yiyang.audit.model import access_log

from .conftest import B_TOKEN, act, download

pytestmark = pytest.mark.usefixtures("with_plugins")


def listed(viewer: str | None, /, **filters: Any) -> dict[str, Any]:
    return act("yiyang_access_log_list", viewer, limit=500, **filters)


def ours(result: dict[str, Any], city: dict[str, Any]) -> list[dict[str, Any]]:
    """The downloads of this module's entries made by ``reads`` (other modules' reads stay
    in the log; other tests here record other kinds)."""
    entries = {city["conditional"]["id"], city["unconditional"]["id"]}
    resources = {e["resources"][0]["id"] for e in (city["conditional"], city["unconditional"])}
    return [
        r
        for r in result["results"]
        if (r["dataset_id"] in entries or r["resource_id"] in resources) and r["how"] == "download"
    ]


def test_a_download_served_and_one_refused_are_logged_with_their_fields(city, reads):
    assert reads["refused"].status_code in (403, 404)
    assert reads["own"].status_code == 302
    users, a, b = city["users"], city["unit_a"], city["unit_b"]
    rows = listed(users["reviewer"], org=a["id"])["results"]
    by_key = {(r["user_name"], r["dataset_id"]): r for r in rows}
    refused = by_key[(users["b_member"], city["conditional"]["id"])]
    assert refused["outcome"] == "refused"
    assert refused["reason"] == f"HTTP {reads['refused'].status_code}"
    assert refused["how"] == "download"
    assert refused["token_name"] == B_TOKEN
    assert refused["user_units"] == [b["id"]]
    assert refused["user_unit_titles"] == ["审计申请单位"]
    assert refused["dataset_org"] == a["id"]
    assert refused["dataset_org_title"] == "审计提供单位"
    assert refused["resource_id"] == city["conditional"]["resources"][0]["id"]
    assert refused["columns"] is None and refused["rows"] is None
    assert refused["client"] == "127.0.0.1"
    served = by_key[(users["a_member"], city["conditional"]["id"])]
    assert served["outcome"] == "served" and served["reason"] is None
    assert served["dataset_title"] == "审计有条件共享条目"
    assert served["token_name"] == "audit-test"


def test_anonymous_may_not_list(city, reads):
    with pytest.raises(tk.NotAuthorized):
        listed(None)


@pytest.mark.parametrize("role", ["a_member", "a_editor", "a_admin"])
def test_the_providing_unit_sees_every_read_of_its_data(city, reads, role):
    result = listed(city["users"][role])
    assert len(ours(result, city)) == 3
    assert {r["dataset_org"] for r in result["results"]} == {city["unit_a"]["id"]}


def test_the_applicant_unit_sees_its_own_reads_only(city, reads):
    rows = ours(listed(city["users"]["b_member"]), city)
    assert {r["user_name"] for r in rows} == {city["users"]["b_member"]}
    assert len(rows) == 2


def test_another_unit_and_an_account_of_no_unit_see_nothing(city, reads):
    for role in ("c_member", "registered"):
        assert ours(listed(city["users"][role]), city) == []


@pytest.mark.parametrize("role", ["reviewer", "sysadmin"])
def test_the_office_and_sysadmins_see_everything(city, reads, role):
    assert len(ours(listed(city["users"][role]), city)) == 3


def test_filters(city, reads):
    reviewer, users = city["users"]["reviewer"], city["users"]
    assert listed(reviewer, org=city["unit_a"]["name"], outcome="refused")["count"] == 1
    assert listed(reviewer, reader_org=city["unit_b"]["id"])["count"] == 2
    assert listed(reviewer, user=users["a_member"], org=city["unit_a"]["id"])["count"] == 1
    assert listed(reviewer, dataset_id=city["unconditional"]["name"])["count"] == 1
    resource = city["conditional"]["resources"][0]["id"]
    assert listed(reviewer, resource_id=resource)["count"] == 2
    today = listed(reviewer, org=city["unit_a"]["id"], since="2020-01-01", until="2099-12-31")
    assert today["count"] == 3
    assert listed(reviewer, org=city["unit_a"]["id"], until="2020-01-01")["count"] == 0
    page = act("yiyang_access_log_list", reviewer, org=city["unit_a"]["id"], limit=1, offset=1)
    assert page["count"] == 3 and len(page["results"]) == 1
    past = act("yiyang_access_log_list", reviewer, org=city["unit_a"]["id"], offset=10)
    assert past == {"count": 3, "results": []}
    with pytest.raises(tk.ValidationError):
        listed(reviewer, outcome="edited")
    with pytest.raises(tk.ValidationError):
        listed(reviewer, since="yesterday")


def test_no_action_edits_or_deletes_the_log(city, reads):
    import ckan.logic as logic

    logic.get_action("package_show")
    assert {name for name in logic._actions if "access_log" in name} == {"yiyang_access_log_list"}


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(access_log).values(outcome="served"),
        sa.update(access_log).values(reason=None),
        sa.delete(access_log),
    ],
)
def test_the_table_refuses_update_and_delete(city, reads, statement):
    before = model.Session.execute(sa.select(sa.func.count()).select_from(access_log)).scalar()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        model.Session.execute(statement)
    model.Session.rollback()
    after = model.Session.execute(sa.select(sa.func.count()).select_from(access_log)).scalar()
    assert after == before > 0


def test_a_client_address_from_a_trusted_proxy_only(
    app, city, reads, ckan_config, monkeypatch, entry_factory
):
    # an entry of unit C's own, so that the reads of unit A's stay as ``reads`` made them
    resource = {"name": "数据文件", "url": "https://data.example.org/c.csv", "format": "CSV"}
    entry = entry_factory(
        owner_org=city["unit_c"]["id"],
        published=True,
        share_type="unconditional",
        share_condition="",
        resources=[resource],
    )
    token = city["tokens"]["c_member"]
    download(app, entry, token, **{"X-Forwarded-For": "198.51.100.7"})
    monkeypatch.setitem(ckan_config, "ckanext.yiyang.audit.trusted_proxies", ["127.0.0.0/8"])
    download(app, entry, token, **{"X-Forwarded-For": "198.51.100.8, 127.0.0.5"})
    rows = listed(city["users"]["c_member"], dataset_id=entry["id"])["results"]
    assert [r["client"] for r in rows] == ["198.51.100.8", "127.0.0.1"]


PAGE = "/access-log"


def _page(app: Any, city: dict[str, Any], role: str | None, path: str = PAGE, **query: str):
    headers = {"Authorization": city["tokens"][role]} if role else {}
    return app.get(path, headers=headers, query_string=query)


def test_the_page_per_role(app, city, reads):
    assert _page(app, city, None).status_code == 403
    title = "审计有条件共享条目"
    for role in ("a_member", "a_editor", "a_admin", "reviewer", "sysadmin"):
        page = _page(app, city, role, org=city["unit_a"]["id"])
        assert page.status_code == 200, role
        assert title in page.get_data(as_text=True), role
        assert "使用记录" in page.get_data(as_text=True)
    mine = _page(app, city, "b_member").get_data(as_text=True)
    assert title in mine and "审计无条件共享条目" in mine
    other = _page(app, city, "c_member", dataset_id=city["conditional"]["id"]).get_data(
        as_text=True
    )
    assert title not in other


def test_the_page_in_english(app, city, reads):
    page = _page(app, city, "reviewer", path="/en/access-log", outcome="refused")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Access log" in text and "Refused" in text


def test_the_export(app, city, reads):
    response = _page(
        app, city, "a_admin", path="/access-log/export.xlsx", org=city["unit_a"]["id"]
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间（北京时间）"
    assert len(rows) == 4
    token_cells = [row[3] for row in sheet.iter_rows(min_row=2) if row[3].value == B_TOKEN]
    assert token_cells and all(c.data_type == "s" and c.quotePrefix for c in token_cells)
    assert _page(app, city, None, path="/access-log/export.xlsx").status_code == 403


def test_the_progress_view_counts_reads_of_each_units_data(city, reads):
    result = act("yiyang_progress_list", city["users"]["reviewer"])
    row = next(r for r in result["results"] if r["id"] == city["unit_a"]["id"])
    assert row["data_reads"] == 2  # the served ones
    other = next(r for r in result["results"] if r["id"] == city["unit_b"]["id"])
    assert other["data_reads"] == 0


def test_linked_from_the_desk_and_from_the_unit_page(app, city, reads):
    desk = _page(app, city, "a_member", path="/desk")
    assert 'href="/access-log"' in desk.get_data(as_text=True)
    unit = f"/organization/{city['unit_a']['name']}"
    link = f"/access-log?org={city['unit_a']['id']}"
    for role, shown in (("a_member", True), ("reviewer", True), ("c_member", False)):
        text = _page(app, city, role, path=unit).get_data(as_text=True)
        assert (link in text) is shown, role


def test_a_record_outlives_the_rollback_of_the_request_that_made_it(city, reads):
    from ckanext.yiyang.audit import record

    entry = city["unconditional"]
    model.Session.execute(sa.text("SELECT 1"))  # the session's transaction is open
    record(
        "api",
        resource_id=entry["resources"][0]["id"],
        outcome="refused",
        reason="rolled back",
        user_name=city["users"]["c_member"],
        token=None,
        client=None,
    )
    model.Session.rollback()
    (row,) = listed(city["users"]["reviewer"], how="api", dataset_id=entry["id"])["results"]
    assert row["reason"] == "rolled back" and row["user_units"] == [city["unit_c"]["id"]]
    assert row["dataset_org"] == city["unit_a"]["id"]  # found from the resource


def test_the_progress_page_shows_the_column(app, city, reads):
    page = _page(app, city, "reviewer", path="/progress").get_data(as_text=True)
    assert "数据被使用次数（近30天）" in page
