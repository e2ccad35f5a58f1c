"""Round trip: a unit's catalog exported and imported again by the unit's editor changes
nothing (catalog-model §10): every entry is reported unchanged, none is created or updated,
no entry's metadata_modified moves and no activity is recorded."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _state(entry_ids, sysadmin):
    context = {"user": sysadmin}
    return {
        entry_id: (
            tk.get_action("package_show")(dict(context), {"id": entry_id})["metadata_modified"],
            len(
                tk.get_action("package_activity_list")(
                    dict(context), {"id": entry_id, "limit": 1000}
                )
            ),
        )
        for entry_id in entry_ids
    }


def test_export_then_import_changes_nothing(app, people, catalog, xlsx, tmp_path):
    from ckanext.yiyang.imports import run_import

    unit = people["unit"]
    editor = people["users"]["editor"]["name"]
    sysadmin = people["users"]["sysadmin"]["name"]
    own = [e["id"] for key, e in catalog.items() if key != "other"]
    before = _state(own, sysadmin)

    response = app.get(
        f"/organization/{unit['name']}/export.xlsx", headers=xlsx.headers(people, "editor")
    )
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.data)
    assert len(xlsx.rows(xlsx.load(response.data), "信息资源")) == len(own)

    report = run_import(str(path), user=editor)

    assert report.ok, [str(p) for p in report.problems]
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == len(own)
    assert _state(own, sysadmin) == before
