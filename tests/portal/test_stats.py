"""yiyang_portal_stats_show: the home page's figures count published entries the viewer may
see (catalog-model §6), per class, unit, share type; the latest and the most applied-for."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config, workdays

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def stats(user: str | None) -> dict:
    return tk.get_action("yiyang_portal_stats_show")({"user": user}, {})


@pytest.fixture
def catalog(make_unit, entry_factory):
    """市公安局: 2 published public (one open, unconditional; one conditional), 1 published
    internal, 1 published undisclosed, 1 draft; 市教育局: 1 published public; an application by
    市教育局 to the conditional one, and by 市教育局 and 市民政局 to the unconditional one."""
    member = factories.User()
    applicant = factories.User()
    police = make_unit(title="市公安局", users=[{"name": member["name"], "capacity": "editor"}])
    education = make_unit(
        title="市教育局", users=[{"name": applicant["name"], "capacity": "admin"}]
    )
    opened = entry_factory(
        police["id"],
        published=True,
        title="户籍人口信息",
        catalog_category="101",
        share_type="unconditional",
        share_condition="",
        open_to_public="yes",
        open_condition="向社会开放",
        disclosure_scope="public",
    )
    conditional = entry_factory(
        police["id"], published=True, title="车辆登记信息", disclosure_scope="public"
    )
    entry_factory(police["id"], published=True, title="内部信息", disclosure_scope="internal")
    entry_factory(police["id"], published=True, title="不公开信息", disclosure_scope="undisclosed")
    entry_factory(police["id"], title="草稿信息", disclosure_scope="public")
    entry_factory(education["id"], published=True, title="学籍信息", disclosure_scope="public")
    apply = {"purpose": "work_reference", "purpose_detail": "核对"}
    context = {"user": applicant["name"]}
    tk.get_action("yiyang_subscription_create")(
        dict(context), {"dataset_id": conditional["id"], **apply}
    )
    other = factories.User()
    make_unit(title="市民政局", users=[{"name": other["name"], "capacity": "admin"}])
    for who in (applicant, other):
        tk.get_action("yiyang_subscription_create")(
            {"user": who["name"]}, {"dataset_id": opened["id"], **apply}
        )
    return {"police": police, "education": education, "member": member, "applicant": applicant}


def test_anonymous_figures_count_what_the_public_sees(catalog):
    result = stats(None)
    assert result["total"] == 3  # the two public of 市公安局 and the one of 市教育局
    assert result["units_with_entries"] == 2
    assert {u["title"]: u["count"] for u in result["by_unit"]} == {"市公安局": 2, "市教育局": 1}
    assert result["shared"] == {"count": 3, "percent": 100}
    assert result["unconditional"]["count"] == 1
    assert result["open"] == {"count": 1, "percent": 33}
    assert result["published_this_month"] == 3
    assert result["month"] == workdays.today().isoformat()[:7]
    basic = next(node for node in result["by_class"] if node["code"] == "1")
    assert basic["count"] == 3
    assert {c["code"]: c["count"] for c in basic["children"]} == {"101": 1, "102": 2}
    titles = {e["title"] for e in result["latest"]}
    assert titles == {"户籍人口信息", "车辆登记信息", "学籍信息"}
    assert "草稿信息" not in titles and "内部信息" not in titles


def test_government_users_count_internal_entries_never_drafts(catalog):
    # a member of a unit: government; sees internal entries, and its own undisclosed one
    result = stats(catalog["applicant"]["name"])
    assert result["total"] == 4
    member = stats(catalog["member"]["name"])
    assert member["total"] == 5  # its own unit's undisclosed entry too; the draft never
    assert "草稿信息" not in {e["title"] for e in member["latest"]}


def test_most_applied_for_first(catalog):
    applied = stats(None)["most_applied"]
    assert [(e["title"], e["applications"]) for e in applied] == [
        ("户籍人口信息", 2),
        ("车辆登记信息", 1),
    ]
    assert applied[0]["unit"] == "市公安局"


def test_most_applied_for_leaves_out_what_the_viewer_may_not_see(catalog, make_unit):
    hidden = tk.get_action("package_search")(
        {"ignore_auth": True}, {"q": "title:内部信息", "include_private": True}
    )["results"][0]
    tk.get_action("yiyang_subscription_create")(
        {"user": catalog["applicant"]["name"]},
        {"dataset_id": hidden["id"], "purpose": "work_reference", "purpose_detail": "核对"},
    )
    assert "内部信息" not in {e["title"] for e in stats(None)["most_applied"]}
    assert "内部信息" in {e["title"] for e in stats(catalog["applicant"]["name"])["most_applied"]}


@pytest.mark.ckan_config("ckanext.yiyang.portal.stats_cache_seconds", "300")
def test_figures_are_kept_briefly_per_viewer(catalog, entry_factory):
    assert stats(None)["total"] == 3
    entry_factory(
        catalog["education"]["id"], published=True, title="新发布", disclosure_scope="public"
    )
    assert stats(None)["total"] == 3  # kept
    assert stats(catalog["applicant"]["name"])["total"] == 5  # another viewer: counted now


def test_empty_catalog():
    result = stats(None)
    assert result["total"] == 0
    assert result["shared"] == {"count": 0, "percent": 0}
    assert result["latest"] == [] and result["most_applied"] == []


def test_anyone_may_read_the_figures():
    assert tk.check_access("yiyang_portal_stats_show", {"user": None}, {})
    assert config.office_org()
