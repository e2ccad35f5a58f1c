"""The bulk path (issue 16.1): entries written a batch per transaction through
``package_create``, indexed many documents a Solr request, and the reindex on several
processes; the index check is clean after each."""

from __future__ import annotations

import pytest
from ckan import logic, model
from ckan.cli.cli import ckan
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from ckanext.yiyang.logic import transaction
from ckanext.yiyang.maintenance import bulk, index_check, reindex

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _count(**params: object) -> int:
    return tk.get_action("package_search")(
        {"ignore_auth": True}, {"q": "*:*", "include_private": True, "rows": 0, **params}
    )["count"]


def _rows(entry_data, unit_id: str, n: int) -> list[tuple[str, dict]]:
    return [(f"row{i}", entry_data(unit_id, title=f"益阳市批量导入测试资源{i}")) for i in range(n)]


def test_entries_are_written_in_batches_validated_coded_and_indexed(entry_data, make_unit):
    admin = factories.Sysadmin()
    unit = make_unit()
    result = bulk.create_entries(
        _rows(entry_data, unit["id"], 5), {"user": admin["name"]}, batch=2
    )

    assert sorted(result.created) == [f"row{i}" for i in range(5)]
    assert not result.refused and not result.index_failed
    codes = set()
    for entry_id in result.created.values():
        entry = tk.get_action("package_show")({"ignore_auth": True}, {"id": entry_id})
        assert entry["review_status"] == "draft"
        assert entry["data_items"][0]["name"] == "企业名称"
        codes.add(entry["resource_code"])
    assert len(codes) == 5
    assert _count() == 5
    assert index_check.check().ok
    # the activity stream says who created each, as for one package_create
    activities = tk.get_action("package_activity_list")(
        {"user": admin["name"]}, {"id": result.created["row0"]}
    )
    assert [a["activity_type"] for a in activities] == ["new package"]
    # its record of the entry is the entry as written (read from the database: during the
    # write no package_show looks the unindexed entries up in the index)
    recorded = activities[0]["data"]["package"]
    assert recorded["title"] == "益阳市批量导入测试资源0"
    assert (
        recorded["resource_code"]
        == tk.get_action("package_show")({"ignore_auth": True}, {"id": result.created["row0"]})[
            "resource_code"
        ]
    )
    assert not transaction.writing_unindexed()


def test_a_refused_row_is_reported_and_the_others_of_its_batch_are_written(entry_data, make_unit):
    admin = factories.Sysadmin()
    unit = make_unit()
    rows = _rows(entry_data, unit["id"], 3)
    rows.insert(1, ("bad", entry_data(unit["id"], title="", share_type="maybe")))
    result = bulk.create_entries(rows, {"user": admin["name"]}, batch=10)

    assert sorted(result.created) == ["row0", "row1", "row2"]
    assert list(result.refused) == ["bad"]
    error = result.refused["bad"]
    assert isinstance(error, tk.ValidationError)
    assert {"title", "share_type"} <= set(error.error_dict)
    assert _count() == 3
    assert model.Session.query(model.Package).filter_by(type="dataset").count() == 3


def test_the_batch_is_checked_with_the_author_s_rights(entry_data, make_unit):
    """A user outside the unit may not create its entries: each row is refused, nothing is
    written."""
    stranger = factories.User()
    unit = make_unit()
    result = bulk.create_entries(_rows(entry_data, unit["id"], 2), {"user": stranger["name"]})
    assert not result.created
    assert all(isinstance(e, tk.NotAuthorized) for e in result.refused.values())
    assert model.Session.query(model.Package).filter_by(type="dataset").count() == 0


def test_collected_documents_are_sent_only_together(entry_factory):
    entry = entry_factory()
    from ckan.lib import search

    search.clear_all()
    with bulk.collected_documents() as collector:
        logic.index_update_package({"ignore_auth": True}, entry["id"], defer_commit=True)
    assert [doc["id"] for doc in collector.docs] == [entry["id"]]
    search.commit()
    assert _count() == 0  # nothing sent yet

    assert bulk.index_packages([entry["id"]]) == []
    assert _count() == 1


def test_reindex_on_two_processes_leaves_a_clean_index(entry_factory, make_unit, cli):
    unit = make_unit()
    ids = [entry_factory(owner_org=unit["id"], published=n % 2 == 0)["id"] for n in range(5)]
    from ckan.lib import search

    search.clear_all()
    assert not index_check.check().ok

    indexed, failed = reindex.reindex(workers=2, batch=2)
    assert (indexed, failed) == (5, [])
    assert index_check.check().ok
    assert _count() == 5
    assert _count(fq="review_status:published") == 3

    result = cli.invoke(ckan, ["yiyang", "reindex", "--workers", "2", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "已重建索引 / reindexed: 5" in result.output
    assert index_check.check().ok
    assert sorted(
        r["id"]
        for r in tk.get_action("package_search")(
            {"ignore_auth": True}, {"include_private": True, "rows": 10}
        )["results"]
    ) == sorted(ids)
