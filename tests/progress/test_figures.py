"""Every figure of the progress view against a city whose history is known (conftest.py)."""

from __future__ import annotations

import pytest

# The scenario is built once for the module (module_clean_db): the tests only read it.
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(name="city", scope="module")
def _city(module_city):
    return module_city


ZERO = dict.fromkeys(
    (
        "entries",
        "draft",
        "submitted",
        "returned",
        "published",
        "withdrawn",
        "changes_submitted",
        "review_overdue",
        "demands_pending",
        "demands_overdue",
        "demands_filed",
        "applications_pending",
        "applications_overdue",
    ),
    0,
)


def figures(row: dict) -> dict:
    return {key: row[key] for key in ZERO}


def test_every_figure_of_every_unit(city, progress, row_of):
    result = progress(city["reviewer"])
    assert result["scope"] == "city"
    assert [r["title"] for r in result["results"]] == [
        "市纪委",
        "市教育局",
        "市公安局",
        "市总工会",
    ]
    assert figures(row_of(result, city["police"])) == {
        **ZERO,
        "entries": 10,
        "draft": 2,
        "submitted": 3,
        "returned": 1,
        "published": 3,
        "withdrawn": 1,
        "changes_submitted": 1,
        "review_overdue": 2,
        "demands_pending": 3,
        "demands_overdue": 2,
        "applications_pending": 2,
        "applications_overdue": 1,
    }
    assert figures(row_of(result, city["education"])) == {
        **ZERO,
        "entries": 2,
        "submitted": 1,
        "published": 1,
        "review_overdue": 1,
        "demands_filed": 4,
    }
    assert figures(row_of(result, city["union"])) == {**ZERO, "entries": 1, "draft": 1}
    assert figures(row_of(result, city["discipline"])) == ZERO

    totals = result["totals"]
    assert {key: totals[key] for key in ZERO} == {
        key: sum(figures(r)[key] for r in result["results"]) for key in ZERO
    }
    assert totals["units"] == 4
    assert totals["demands_unrouted"] == 1
    assert totals["demands_unrouted_overdue"] == 1


def test_last_activity(city, progress, row_of):
    result = progress(city["reviewer"])
    union = row_of(result, city["union"])
    assert union["last_activity"] == "2025-03-03T10:00:00"
    assert union["last_activity_date"] == "2025-03-03"
    assert row_of(result, city["discipline"])["last_activity"] is None
    police = row_of(result, city["police"])
    assert police["last_activity"] == result["totals"]["last_activity"]
    assert police["last_activity_date"] == result["today"]


def test_overdue_reviews_agree_with_the_review_queue(city, act, progress):
    queue = act("yiyang_review_list", city["reviewer"], status="submitted", limit=500)
    late: dict[str, int] = {}
    for item in queue["results"]:
        if item["overdue"]:
            late[item["unit"]] = late.get(item["unit"], 0) + 1
    result = progress(city["reviewer"])
    assert {
        r["name"]: r["review_overdue"] for r in result["results"] if r["review_overdue"]
    } == late


def test_group_sums(city, progress):
    result = progress(city["reviewer"])
    groups = {g["code"]: g for g in result["groups"]}
    assert list(groups) == ["01", "02", "04"]
    assert groups["02"]["entries"] == 12
    assert groups["02"]["units"] == 2
    assert groups["04"]["draft"] == 1
