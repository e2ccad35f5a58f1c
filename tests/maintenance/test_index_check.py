"""``ckan yiyang index-check [--repair]``: every kind of difference between the database and
the index, made behind CKAN's back, found and repaired (issue 17.2)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.cli.cli import ckan
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk

from ckanext.yiyang.maintenance import index_check

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _sql(statement: str, **params: object) -> None:
    model.Session.execute(sa.text(statement), params)
    model.Session.commit()


def _world(entry_factory, make_unit) -> dict[str, str]:
    """Six entries, consistent; returns their ids by role; ``other_unit``: a second unit."""
    unit, other = make_unit(), make_unit()
    ids = {
        name: entry_factory(owner_org=unit["id"], published=published)["id"]
        for name, published in (
            ("unindexed", True),
            ("state", True),
            ("review", True),
            ("modified", False),
            ("moved", True),
            ("deleted", False),
            ("untouched", True),
        )
    }
    ids["other_unit"] = other["id"]
    ids["other_unit_name"] = other["name"]
    return ids


def _break(ids: dict[str, str]) -> str:
    """Each kind of difference, made in SQL or in Solr only; returns the id of a document of
    an entry that never existed."""
    conn = make_connection()
    conn.delete(q=f'id:"{ids["unindexed"]}"', commit=True)
    _sql("UPDATE package SET state = 'draft' WHERE id = :id", id=ids["state"])
    _sql(
        "UPDATE package SET extras = jsonb_set(extras, '{review_status}', '\"withdrawn\"') "
        "WHERE id = :id",
        id=ids["review"],
    )
    _sql(
        "UPDATE package SET metadata_modified = metadata_modified + interval '3 seconds' "
        "WHERE id = :id",
        id=ids["modified"],
    )
    # the entry moved to another unit: its unit's members (member-<unit>) change, and so its
    # labels, without a reindex
    _sql(
        "UPDATE package SET owner_org = :org WHERE id = :id",
        org=ids["other_unit"],
        id=ids["moved"],
    )
    _sql("UPDATE package SET state = 'deleted' WHERE id = :id", id=ids["deleted"])
    ghost = str(uuid.uuid4())
    conn.add(
        [
            {
                "id": ghost,
                "index_id": ghost,
                "name": f"ghost-{ghost[:8]}",
                "title": "已不存在的条目",
                "entity_type": "package",
                "dataset_type": "dataset",
                "site_id": tk.config.get("ckan.site_id"),
                "state": "active",
                "permission_labels": ["public"],
                "metadata_modified": "2026-01-01T00:00:00Z",
                "metadata_created": "2026-01-01T00:00:00Z",
            }
        ],
        commit=True,
    )
    return ghost


def test_a_consistent_catalog_passes(entry_factory, make_unit):
    ids = _world(entry_factory, make_unit)
    report = index_check.check()
    assert report.ok, report.lines()
    assert report.entries == report.documents == 7
    assert ids


def test_every_kind_of_difference_is_found_and_repaired(entry_factory, make_unit):
    ids = _world(entry_factory, make_unit)
    ghost = _break(ids)

    report = index_check.check()
    found = report.differences
    assert found["missing"] == [ids["unindexed"]]
    assert found["state"] == [ids["state"]]
    assert ids["state"] in found["labels"]  # no longer public once a draft
    assert found["review_status"] == [ids["review"]]
    assert ids["review"] in found["labels"]  # withdrawn: no longer public
    assert found["modified"] == [ids["modified"]]
    assert found["unit"] == [ids["moved"]]
    assert ids["moved"] in found["labels"]
    assert sorted(found["stale"]) == sorted([ids["deleted"], ghost])
    assert ids["untouched"] not in report.ids()
    assert set(found["labels"]) == {ids["state"], ids["review"], ids["moved"]}

    reindexed, deleted = index_check.repair(report)
    assert (reindexed, deleted) == (5, 2)
    after = index_check.check()
    assert after.ok, after.lines()
    assert after.entries == after.documents == 6
    # what the portal searches agrees: the moved entry is found under its new unit
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {"fq": f"organization:{ids['other_unit_name']}", "include_private": True},
    )
    assert [r["id"] for r in result["results"]] == [ids["moved"]]


def test_the_command_reports_and_exits_non_zero_until_repaired(cli, entry_factory, make_unit):
    ids = _world(entry_factory, make_unit)
    _break(ids)

    result = cli.invoke(ckan, ["yiyang", "index-check"])
    assert result.exit_code == 1, result.output
    assert "索引中缺少的条目 / in the database, not in the index: 1" in result.output
    assert ids["unindexed"] in result.output
    assert "权限标签不一致 / permission labels differ: 3" in result.output

    result = cli.invoke(ckan, ["yiyang", "index-check", "--repair"])
    assert result.exit_code == 0, result.output
    assert "已重建索引 / reindexed: 5; 已删除文档 / documents deleted: 2" in result.output
    assert result.output.rstrip().endswith("一致 / consistent")

    result = cli.invoke(ckan, ["yiyang", "index-check"])
    assert result.exit_code == 0, result.output


def test_an_index_that_does_not_answer_is_said_so(cli, monkeypatch, entry_factory):
    entry_factory()
    monkeypatch.setenv("CKAN_SOLR_URL", tk.config["solr_url"].rstrip("/") + "_no_such_core")
    result = cli.invoke(ckan, ["yiyang", "index-check"])
    assert result.exit_code == 2, result.output
    assert "无法读取搜索索引 / the search index could not be read" in result.output
