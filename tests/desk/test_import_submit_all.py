"""Issue 12.6/12.7 after an import: ONE notice to the importer when the job has written N
entries (not N notices), and "submit all" on the import's page, ONE notice to the reviewers."""

from __future__ import annotations

import io
import pathlib

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.yiyang import config
from ckanext.yiyang.notify.model import Notification
from ckanext.yiyang.survey import layout, workbooks

QUEUE = "yiyang-desk-import-test"
pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.import.queue", QUEUE),
]

ROW = {
    "notes": "全市企业的注册登记信息，包括企业名称和注册资本。",
    "catalog_category": "102 法人单位",
    "subject_category": "02 经济管理",
    "tag_string": "企业,注册登记",
    "format_class": "电子文件",
    "format_type": "oracle",
    "share_type": "有条件共享",
    "share_condition": "用于市场监管",
    "share_method": "共享平台·接口",
    "open_to_public": "否",
    "update_cycle": "每日",
    "disclosure_scope": "部分公开",
    "management_mode": "计算机（电子表格）",
}
ITEM = {
    "name": "企业名称",
    "description": "营业执照上的名称",
    "data_type": "字符型",
    "length": 200,
    "disclosure_scope": "对外公开",
}


def _workbook(path: pathlib.Path, unit_title: str, count: int) -> pathlib.Path:
    """The real 附件3 template with ``count`` entries of one 信息项 each."""
    book = workbooks.build("entries")
    sheet = book["信息资源"]
    sheet.cell(workbooks.UNIT_ROW, 2, unit_title)
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    item_sheet = book["信息项"]
    item_keys = [c.key for c in layout.ITEM_COLUMNS]
    for n in range(count):
        row = {**ROW, "row": n + 1, "title": f"导入的信息资源{n + 1}"}
        for key, value in row.items():
            sheet.cell(workbooks.FIRST_DATA_ROW + n, keys.index(key) + 1, value)
        for key, value in {**ITEM, "row": n + 1}.items():
            item_sheet.cell(workbooks.FIRST_DATA_ROW + 1 + n, item_keys.index(key) + 1, value)
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def empty_queue():
    jobs.get_queue(QUEUE).empty()
    yield
    jobs.get_queue(QUEUE).empty()


def _notices(user: dict, kind: str) -> list[Notification]:
    return model.Session.query(Notification).filter_by(user_id=user["id"], kind=kind).all()


def test_an_import_of_n_entries_one_notice_then_submit_all(app, tmp_path, make_unit):
    editor = factories.User(fullname="导入员")
    reviewer = factories.User()
    unit = make_unit(title="市林业局", users=[{"name": editor["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    path = _workbook(tmp_path / "w.xlsx", unit["title"], 4)
    storage = FileStorage(io.BytesIO(path.read_bytes()), filename="数据提供调查表.xlsx")
    as_editor = {"user": editor["name"]}
    imp = tk.get_action("yiyang_import_create")(dict(as_editor), {"upload": storage})
    jobs.Worker([QUEUE]).work(burst=True)  # the check
    tk.get_action("yiyang_import_run")(dict(as_editor), {"id": imp["id"]})
    jobs.Worker([QUEUE]).work(burst=True)  # the import
    done = tk.get_action("yiyang_import_show")(dict(as_editor), {"id": imp["id"]})
    assert done["status"] == "done", done
    assert len(done["import_report"]["created"]) == 4

    (notice,) = _notices(editor, "import_finished")  # one, not four
    assert "新增 4 条" in notice.title and notice.link == f"/survey/import/{imp['id']}"
    assert _notices(reviewer, "review_submitted") == []

    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    page = app.get(f"/survey/import/{imp['id']}", headers=headers)
    assert 'id="yiyang-import-submit-all"' in page.body
    response = app.post(
        "/desk/submit",
        data={
            "ids": done["import_report"]["created"],
            "next": f"/survey/import/{imp['id']}",
        },
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/survey/import/{imp['id']}")
    for name in done["import_report"]["created"]:
        assert model.Package.get(name).extras["review_status"] == "submitted"
    assert _notices(reviewer, "review_submitted") == []
    (batch,) = _notices(reviewer, "review_submitted_batch")
    assert all(f"导入的信息资源{n}" in batch.body for n in range(1, 5))
