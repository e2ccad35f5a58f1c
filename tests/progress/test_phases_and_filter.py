"""Point 13 of issue 12: the office sets the phases of the current round (stored; office and
sysadmins only), a filter for the units behind schedule, compact rows; and issue 10.4:
``yiyang_progress_list`` pages by ``limit``/``offset`` and answers ``{count, results}``."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from freezegun import freeze_time

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROUND = {
    "preparation": "2026-09-30",
    "report": "2026-10-20",
    "review": "2026-11-30",
    "sorting": "2026-12-31",
    "platform": "2027-02-28",
    "launch": "2027-04-30",
}


def test_the_old_deadlines_make_every_unit_behind(town, progress):
    result = progress(town["reviewer"])
    assert result["count"] == 2
    assert all(row["behind"] for row in result["results"])


def test_the_office_sets_the_phases_of_the_round(town, act, progress):
    saved = act("yiyang_progress_phase_update", town["reviewer"], **ROUND)
    assert [p["deadline"] for p in saved["phases"]] == list(ROUND.values())
    with freeze_time("2026-10-01"):
        result = progress(town["reviewer"])
    assert {p["key"]: p["deadline"] for p in result["phases"]} == ROUND
    assert result["current_phase"] == "report"
    assert not any(row["behind"] for row in result["results"])


def test_a_phase_not_given_keeps_its_date_an_empty_one_is_left_out(town, act, progress):
    act("yiyang_progress_phase_update", town["sysadmin"], **ROUND)
    act("yiyang_progress_phase_update", town["sysadmin"], launch="2027-05-31", platform="")
    phases = {p["key"]: p["deadline"] for p in progress(town["reviewer"])["phases"]}
    assert phases == {
        **{k: v for k, v in ROUND.items() if k != "platform"},
        "launch": "2027-05-31",
    }


def test_deadlines_out_of_order_or_no_date_are_refused_and_nothing_is_saved(town, act, progress):
    with pytest.raises(tk.ValidationError) as error:
        act("yiyang_progress_phase_update", town["reviewer"], **{**ROUND, "review": "2026-10-01"})
    assert "review" in error.value.error_dict
    with pytest.raises(tk.ValidationError) as error:
        act("yiyang_progress_phase_update", town["reviewer"], report="20. Oktober")
    assert "report" in error.value.error_dict
    assert progress(town["reviewer"])["phases"][1]["deadline"] == "2015-10-20"


@pytest.mark.parametrize("role", ["admin", "editor", "member", "other_admin", "registered"])
def test_only_the_office_and_sysadmins_set_the_phases(town, act, role):
    with pytest.raises(tk.NotAuthorized):
        act("yiyang_progress_phase_update", town[role], **ROUND)
    with pytest.raises(tk.NotAuthorized):
        act("yiyang_progress_phase_update", None, **ROUND)


def test_the_filter_for_units_behind_schedule(town, act, progress):
    act("yiyang_progress_phase_update", town["reviewer"], **ROUND)
    with freeze_time("2026-10-21"):  # the report is due: 市教育局 has no entry, 市公安局 a draft
        everyone = progress(town["reviewer"])
        behind = progress(town["reviewer"], behind=True)
    assert everyone["count"] == 2
    assert behind["behind_only"] is True
    assert {r["title"] for r in behind["results"]} == {"市公安局", "市教育局"}
    assert behind["totals"]["units"] == 2  # the totals stay the city's


def test_limit_and_offset_page_the_rows(town, progress):
    first = progress(town["reviewer"], limit=1)
    second = progress(town["reviewer"], limit=1, offset=1)
    assert first["count"] == second["count"] == 2
    assert [r["title"] for r in first["results"] + second["results"]] == ["市教育局", "市公安局"]
    with pytest.raises(tk.ValidationError) as error:
        progress(town["reviewer"], limit=-1)
    assert "limit" in error.value.error_dict


def test_the_office_sets_the_phases_on_the_page(app, town):
    headers = {
        "Authorization": tk.get_action("api_token_create")(
            {"user": town["reviewer"]["name"]}, {"user": town["reviewer"]["name"], "name": "t"}
        )["token"]
    }
    page = app.get("/progress/phases", headers=headers)
    assert 'name="launch"' in page.body
    app.post("/progress/phases", data=ROUND, headers=headers, follow_redirects=False)
    shown = app.get("/progress", headers=headers).body
    assert "2027-04-30" in shown
    assert "yiyang-set-phases" in shown
    bad = app.post("/progress/phases", data={**ROUND, "launch": "2026-01-01"}, headers=headers)
    assert "is-invalid" in bad.body
    assert app.get("/progress", headers=headers).body.count("2027-04-30") >= 1


def test_the_page_filters_and_keeps_rows_compact(app, town):
    headers = {
        "Authorization": tk.get_action("api_token_create")(
            {"user": town["reviewer"]["name"]}, {"user": town["reviewer"]["name"], "name": "t"}
        )["token"]
    }
    body = app.get("/progress", query_string={"behind": "1"}, headers=headers).body
    assert "yiyang-progress-filter" in body
    assert body.count('class="yiyang-behind-details"') == 2  # reasons folded, one per row


def test_others_may_not_open_the_phases_page(app, town):
    headers = {
        "Authorization": tk.get_action("api_token_create")(
            {"user": town["admin"]["name"]}, {"user": town["admin"]["name"], "name": "t"}
        )["token"]
    }
    app.get("/progress/phases", headers=headers, status=403)
