"""The data on the pages (issue 13.2/13.3), in Chinese: the load state and the differences on
the entry page, the state on the resource page, the marker in the review queue; the adopt form."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from .conftest import site

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

CSV = "企业名称,注册资本,统一社会信用代码\n益阳市资江食品有限公司,100.5,91430900MA4L000001\n"


def _get(app, user, path):
    token = factories.APIToken(user=user["name"])["token"]
    return app.get(path, headers={"Authorization": token}).body


def test_the_entry_resource_and_queue_pages_show_the_data(
    app, people, entry_factory, file_server, run_jobs
):
    folder, base = file_server
    (folder / "qy.csv").write_text(CSV, encoding="utf-8")
    (folder / "bad.csv").write_bytes(b"")
    entry = entry_factory(owner_org=people["unit"]["id"])
    good = tk.get_action("resource_create")(
        site(),
        {"package_id": entry["id"], "url": f"{base}/qy.csv", "format": "CSV", "name": "企业表"},
    )
    bad = tk.get_action("resource_create")(
        site(),
        {"package_id": entry["id"], "url": f"{base}/bad.csv", "format": "CSV", "name": "空表"},
    )
    run_jobs()

    page = _get(app, people["editor"], f"/dataset/{entry['name']}")
    assert "已加载：1 行" in page
    assert "文件为空。" in page
    assert "文件中的列“统一社会信用代码”未在信息项中声明。" in page
    assert "采用文件的列作为信息项" in page
    # Another unit's user sees the state, not the consistency panel nor its forms.
    other = _get(app, people["other"], f"/dataset/{entry['name']}")
    assert "采用文件的列作为信息项" not in other

    resource_page = _get(app, people["editor"], f"/dataset/{entry['name']}/resource/{good['id']}")
    assert "已加载：1 行" in resource_page
    assert "文件为空。" in _get(
        app, people["editor"], f"/dataset/{entry['name']}/resource/{bad['id']}"
    )

    tk.get_action("yiyang_review_submit")({"user": people["editor"]["name"]}, {"id": entry["id"]})
    queue = _get(app, people["reviewer"], "/review")
    assert "数据与目录不一致" in queue


def test_the_adopt_form_makes_the_change(app, people, entry_factory, file_server, run_jobs):
    folder, base = file_server
    (folder / "qy.csv").write_text(CSV, encoding="utf-8")
    entry = entry_factory(owner_org=people["unit"]["id"])
    resource = tk.get_action("resource_create")(
        site(), {"package_id": entry["id"], "url": f"{base}/qy.csv", "format": "CSV"}
    )
    run_jobs()
    token = factories.APIToken(user=people["editor"]["name"])["token"]
    app.post(
        f"/dataset/{entry['name']}/data/{resource['id']}/adopt",
        headers={"Authorization": token},
        data={},
        follow_redirects=False,
    )
    items = tk.get_action("package_show")(site(), {"id": entry["id"]})["data_items"]
    assert "统一社会信用代码" in [i["name"] for i in items]
