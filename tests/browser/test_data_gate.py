"""The data a column-limited application opens, in a browser (issue 13, "done when"): unit B's
application to a conditional entry of unit A is approved for two of its five 信息项; B opens
the entry page (in Chinese), previews the data and sees those two columns only, and is shown
the API call that reads them. B's admin makes a key for one of B's systems on the unit's 数据服务
page; the system reads the two columns through the API with it (``datastore_search``), and is
refused a third. A's admin opens the access log (使用记录) and finds each read once: the
preview and the key's API read, served, with the reader's unit, the columns and the rows, and
the refused one."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import requests
from ckan.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ITEMS = ["企业名称", "统一社会信用代码", "注册资本", "法定代表人", "住所"]
GRANTED = ["企业名称", "注册资本"]


def test_a_two_column_grant_previews_two_columns(
    live_portal,
    browser,
    page,
    page_errors,
    make_unit,
    entry_factory,
    log_in,
    browser_user,
    screenshot,
    screenshot_dir,
):
    # CKAN 2.12's datatables view asks for an image its assets lack
    page_errors.allow(404, "times-circle-solid.svg")
    reader, provider, b_admin = browser_user(), browser_user(), browser_user()
    unit_a = make_unit(
        title="市市场监督管理局", users=[{"name": provider["name"], "capacity": "admin"}]
    )
    unit_b = make_unit(
        title="市税务局",
        users=[
            {"name": reader["name"], "capacity": "editor"},
            {"name": b_admin["name"], "capacity": "admin"},
        ],
    )
    entry = entry_factory(
        owner_org=unit_a["id"],
        published=True,
        title="企业登记信息（数据预览）",
        share_type="conditional",
        share_condition="仅用于税务征管",
        disclosure_scope="internal",
        data_items=[
            {
                "name": n,
                "description": f"{n}（说明）",
                "data_type": "string",
                "length": 100,
                "disclosure_scope": "internal",
            }
            for n in ITEMS
        ],
    )
    admin = {"user": factories.Sysadmin()["name"]}
    resource = tk.get_action("resource_create")(
        admin,
        {
            "package_id": entry["id"],
            "name": "企业登记",
            "url": "https://data.yiyang.test/q.csv",
            "format": "CSV",
        },
    )
    tk.get_action("datastore_create")(
        dict(admin),
        {
            "resource_id": resource["id"],
            "force": True,
            "fields": [{"id": n, "type": "text"} for n in ITEMS],
            "records": [{n: f"{n}值{r}" for n in ITEMS} for r in range(3)],
        },
    )
    tk.get_action("resource_view_create")(
        dict(admin),
        {"resource_id": resource["id"], "view_type": "datatables_view", "title": "数据预览"},
    )
    sub = tk.get_action("yiyang_subscription_create")(
        {"user": reader["name"]},
        {
            "dataset_id": entry["id"],
            "purpose": "work_reference",
            "purpose_detail": "税务征管核对",
            "data_item_names": GRANTED,
            "applicant_org": unit_b["id"],
        },
    )
    tk.get_action("yiyang_subscription_approve")({"user": provider["name"]}, {"id": sub["id"]})

    # the preview's requests for rows: CKAN's datatables view draws twice when it opens
    # (draw=1, then draw=2 on its own), and each request serves the rows: a read each
    draws: list[str] = []
    page.on("request", lambda r: draws.append(r.url) if "/datatables/ajax/" in r.url else None)
    log_in(page, reader["name"])
    page.goto(f"{live_portal}/dataset/{entry['name']}")
    section = page.locator("section.yiyang-data")
    assert section.locator("h4", has_text="调用方式").count() == 1
    columns = section.locator("table.yiyang-data-columns tbody td:first-child").all_inner_texts()
    assert columns == GRANTED
    assert '["企业名称", "注册资本"]' in section.locator("pre.yiyang-data-curl").inner_text()
    preview = page.frame_locator("iframe.yiyang-data-preview")
    preview.locator("table tbody tr").first.wait_for()
    headers = [h.strip() for h in preview.locator("table thead th").all_inner_texts()]
    shown = list(dict.fromkeys(h for h in headers if h and h != "_id"))  # (a cloned header row)
    assert shown == GRANTED, headers
    cells = " ".join(preview.locator("table tbody").all_inner_texts())
    assert "企业名称值0" in cells and "注册资本值0" in cells
    for hidden in ("统一社会信用代码值", "法定代表人值", "住所值"):
        assert hidden not in cells
    page.wait_for_load_state("networkidle")
    assert draws
    screenshot("data-gate-preview")
    # B's admin makes a key for one of B's systems on the unit's 数据服务 page
    admin_page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    services = admin_page.new_page()
    log_in(services, b_admin["name"])
    services.goto(f"{live_portal}/organization/{unit_b['name']}/services")
    services.fill("#field-service-title", "税务征管系统")
    services.fill("#field-service-name", "shuiwu")
    services.fill("#field-service-days", "30")
    services.click("form.yiyang-service-form button[type=submit]")
    services.wait_for_load_state()
    token = services.locator("code.yiyang-service-token").inner_text().strip()
    account = services.locator("tr#service-shuiwu code").inner_text().strip()
    assert account.startswith("svc-")
    admin_page.close()

    # the system reads the two columns through the API, and is refused a third
    api = f"{live_portal}/api/3/action/datastore_search"
    read = requests.post(
        api, json={"resource_id": resource["id"]}, headers={"Authorization": token}, timeout=30
    )
    assert read.status_code == 200, read.text
    result = read.json()["result"]
    assert [f["id"] for f in result["fields"] if f["id"] != "_id"] == GRANTED
    assert len(result["records"]) == 3
    assert {k for r in result["records"] for k in r} == {"_id", *GRANTED}
    third = requests.post(
        api,
        json={"resource_id": resource["id"], "fields": [*GRANTED, "住所"]},
        headers={"Authorization": token},
        timeout=30,
    )
    assert third.status_code == 409 and not third.json()["success"], third.text
    assert "住所值" not in third.text

    # A's admin finds each read once in the access log
    provider_page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    log_page = provider_page.new_page()
    log_in(log_page, provider["name"])
    log_page.goto(f"{live_portal}/access-log")
    rows = log_page.locator("table.yiyang-access-log tbody tr")
    # columns: time, user (name, units, token), entry, how, columns, rows, client, outcome
    cells = [
        [c.strip() for c in rows.nth(n).locator("td").all_inner_texts()]
        for n in range(rows.count())
    ]
    previews = [c for c in cells if c[3] == "预览"]
    api_reads = [c for c in cells if c[3] == "数据存储查询"]
    # the preview's draws, the key's read, the key's refused read: each once, nothing else
    assert len(previews) == len(draws) and len(api_reads) == 2, cells
    assert len(cells) == len(draws) + 2, cells
    (served,) = [c for c in api_reads if c[7] == "已提供"]
    (refused,) = [c for c in api_reads if c[7] != "已提供"]
    assert all(reader["name"] in row[1] for row in previews)
    assert account in served[1] and account in refused[1]
    assert "API 令牌：shuiwu" in served[1]
    for row in (*previews, served):
        assert "市税务局" in row[1]  # the reader's unit
        assert "企业登记信息（数据预览）" in row[2] and "市市场监督管理局" in row[2]
        assert row[4] == "、".join(GRANTED) and row[5] == "3" and row[7] == "已提供", row
    assert refused[7] == "拒绝访问\n“住所”不是该数据的字段", refused
    assert refused[4] == refused[5] == "", refused  # a refusal returned no column, no row
    log_page.screenshot(path=str(screenshot_dir / "data-gate-access-log.png"), full_page=True)
    provider_page.close()
    # CKAN 2.12's datatablesview.js calls setTimeout(initFilterObserver(), 100): a string to
    # evaluate, which the CSP (no 'unsafe-eval') refuses; the preview works without it. Known,
    # not ours: told to the lead (patch the asset or CKAN upstream).
    page_errors.problems[:] = [
        p for p in page_errors.problems if not ("unsafe-eval" in p and "datatablesview" in p)
    ]
