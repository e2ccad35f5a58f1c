"""Issue 12 point 14 in a browser, on the Chinese pages: a clerk uploads a workbook with a row of
three problems and the check's report lists all three (not only the first), in Chinese, and
offers no import of a workbook with nothing valid in it."""

from __future__ import annotations

import ckan.lib.jobs as jobs
import pytest
from ckan import model

from ckanext.yiyang.imports import config as import_config
from ckanext.yiyang.survey import layout, workbooks

from .conftest import reload_settled

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ROW = {
    "row": 1,
    "title": "机动车驾驶人信息",
    # three problems: no 摘要, a share type not in the list, no 更新周期
    "notes": None,
    "share_type": "看情况",
    "update_cycle": None,
    "catalog_category": "101 人口",
    "subject_category": "02 经济管理",
    "tag_string": "驾驶人",
    "format_class": "电子文件",
    "format_type": "oracle",
    "share_method": "共享平台·接口",
    "open_to_public": "否",
    "disclosure_scope": "对内公开",
    "management_mode": "计算机（电子表格）",
}
ITEM = {"row": 1, "name": "驾驶证号", "data_type": "字符型", "length": 18}


def test_the_report_lists_every_problem_of_a_row(
    live_portal, page, tmp_path, make_unit, browser_user, log_in, screenshot
):
    clerk = browser_user(fullname="周建国")
    unit = make_unit(title="市公安局", users=[{"name": clerk["name"], "capacity": "editor"}])
    book = workbooks.build("entries")
    sheet, items = book["信息资源"], book["信息项"]
    sheet.cell(workbooks.UNIT_ROW, 2, unit["title"])
    keys = [c.key for c in layout.ENTRY_COLUMNS]
    for key, value in ROW.items():
        sheet.cell(workbooks.FIRST_DATA_ROW, keys.index(key) + 1, value)
    item_keys = [c.key for c in layout.ITEM_COLUMNS]
    for key, value in ITEM.items():
        items.cell(workbooks.FIRST_DATA_ROW + 1, item_keys.index(key) + 1, value)
    path = tmp_path / "数据提供调查表.xlsx"
    book.save(path)

    queue = jobs.get_queue(import_config.queue())
    queue.empty()
    log_in(page, clerk["name"])
    page.goto(live_portal + "/survey/import")
    page.set_input_files("#import-upload", str(path))
    page.click("form button[type=submit].btn-primary")
    page.wait_for_load_state()
    jobs.Worker([import_config.queue()]).work(burst=True)  # the check (no worker in the portal)
    reload_settled(page)

    rows = page.locator("table tbody tr").all_inner_texts()
    row_six = [r.split("\t") for r in rows if r.startswith("信息资源\t6\t")]
    columns = {cells[2].strip(): cells[3].strip() for cells in row_six}
    assert set(columns) == {"信息资源摘要", "共享类型", "更新周期"}, rows
    assert "看情况" in columns["共享类型"]
    assert "问题（3 个）" in page.content()
    # nothing valid: no import offered
    assert page.locator("form.yiyang-import-run button").count() == 0
    screenshot("import-every-problem")
    model.Session.remove()
    assert model.Session.query(model.Package).count() == 0, "a check writes nothing"
