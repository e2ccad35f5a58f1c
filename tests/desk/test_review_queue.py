"""Issue 12.5: the review queue is paged, filtered (unit, state, submitter, submission dates)
and searched (title, resource code) by the database, with the count of all that match."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.review.model import ReviewEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def people(make_unit):
    first, second, reviewer = (
        factories.User(fullname=name) for name in ("张三", "李四", "王审核")
    )
    unit = make_unit(
        title="市国土资源局",
        users=[
            {"name": first["name"], "capacity": "editor"},
            {"name": second["name"], "capacity": "editor"},
        ],
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    return {"unit": unit, "first": first, "second": second, "reviewer": reviewer}


def review_list(user, **data):
    return tk.get_action("yiyang_review_list")({"user": user["name"]}, data)


def _submitted_on(entry_id: str, moment: datetime.datetime) -> None:
    model.Session.query(ReviewEvent).filter_by(package_id=entry_id, action="submit").update(
        {"created": moment}
    )
    model.Session.commit()


@pytest.fixture
def submitted(people, entry_factory):
    """Five submitted entries: three by 张三 on 2025-03-0{1,2,3}, two by 李四 on 03-04, 03-05
    (10:00 in China)."""
    entries = []
    for day in range(1, 6):
        entry = entry_factory(people["unit"]["id"], title=f"测试信息资源{day}")
        user = people["first"] if day <= 3 else people["second"]
        tk.get_action("yiyang_review_submit")({"user": user["name"]}, {"id": entry["id"]})
        _submitted_on(entry["id"], datetime.datetime(2025, 3, day, 2, 0))
        entries.append(entry)
    return entries


def test_paged_with_the_count_of_all(people, submitted):
    first = review_list(people["reviewer"], limit=2)
    second = review_list(people["reviewer"], limit=2, offset=2)
    last = review_list(people["reviewer"], limit=2, offset=4)
    beyond = review_list(people["reviewer"], limit=2, offset=10)
    assert [r["count"] for r in (first, second, last, beyond)] == [5, 5, 5, 5]
    titles = [r["title"] for page in (first, second, last) for r in page["results"]]
    assert titles == [f"测试信息资源{d}" for d in range(1, 6)]  # oldest first
    assert beyond["results"] == []


def test_search_by_title_or_resource_code(people, submitted):
    assert [r["title"] for r in review_list(people["reviewer"], q="资源3")["results"]] == [
        "测试信息资源3"
    ]
    code = model.Package.get(submitted[1]["id"]).extras["resource_code"]
    found = review_list(people["reviewer"], q=code)
    assert found["count"] == 1 and found["results"][0]["resource_code"] == code
    # LIKE's wildcards are searched as characters
    assert review_list(people["reviewer"], q="%")["count"] == 0
    assert review_list(people["reviewer"], q="测试_")["count"] == 0


def test_filter_by_submitter_with_full_names(people, submitted):
    result = review_list(people["reviewer"], submitter=people["second"]["name"])
    assert result["count"] == 2
    assert {r["submitter_display_name"] for r in result["results"]} == {"李四"}
    assert {p["display_name"] for p in result["submitters"]} == {"张三", "李四"}
    with pytest.raises(tk.ValidationError) as error:
        review_list(people["reviewer"], submitter="nobody-at-all")
    assert "submitter" in error.value.error_dict


def test_filter_by_submission_days_in_china(people, submitted):
    # 2025-03-02 10:00 China is 02:00 UTC; days are China's, both ends included
    result = review_list(
        people["reviewer"], submitted_from="2025-03-02", submitted_to="2025-03-04"
    )
    assert [r["title"] for r in result["results"]] == [
        "测试信息资源2",
        "测试信息资源3",
        "测试信息资源4",
    ]
    assert result["results"][0]["submitted_at"].startswith("2025-03-02T02:00")
    with pytest.raises(tk.ValidationError):
        review_list(people["reviewer"], submitted_from="2025-13-01")


def test_filters_combine_with_state_and_unit(people, submitted, make_unit, entry_factory):
    other = make_unit(title="市财政局")
    entry_factory(other["id"], title="测试信息资源 财政")
    drafts = review_list(people["reviewer"], status="draft", q="测试信息资源")
    assert [r["title"] for r in drafts["results"]] == ["测试信息资源 财政"]
    assert review_list(people["reviewer"], status="all", unit=other["name"])["count"] == 1
    assert review_list(people["reviewer"], status="all")["count"] == 6


def test_queue_page_is_paged_and_keeps_the_filters(app, people, submitted, monkeypatch):
    from ckanext.yiyang.review import views

    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    headers = {"Authorization": factories.APIToken(user=people["reviewer"]["name"])["token"]}
    page = app.get("/review", query_string={"q": "测试", "page": 2}, headers=headers)
    assert "测试信息资源3" in page.body and "测试信息资源1" not in page.body
    assert "pagination" in page.body
    assert "q=%E6%B5%8B%E8%AF%95" in page.body  # the pager links keep the search
    assert "张三" in page.body
