"""The data a column-limited application opens, in a browser (issue 13, "done when"): unit B's
application to a conditional entry of unit A is approved for two of its five 信息项; B opens
the entry page (in Chinese), previews the data and sees those two columns only, and is shown
the API call that reads them.

At the merge the lead extends this test: B's service key (``keys``) reads the two columns
through the API, and A finds both reads in its access log (``audit``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

ITEMS = ["企业名称", "统一社会信用代码", "注册资本", "法定代表人", "住所"]
GRANTED = ["企业名称", "注册资本"]


def test_a_two_column_grant_previews_two_columns(
    live_portal, page, page_errors, make_unit, entry_factory, log_in, browser_user, screenshot
):
    # CKAN 2.12's datatables view asks for an image its assets lack
    page_errors.allow(404, "times-circle-solid.svg")
    reader, provider = browser_user(), browser_user()
    unit_a = make_unit(
        title="市市场监督管理局", users=[{"name": provider["name"], "capacity": "admin"}]
    )
    unit_b = make_unit(title="市税务局", users=[{"name": reader["name"], "capacity": "editor"}])
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
    screenshot("data-gate-preview")
    # CKAN 2.12's datatablesview.js calls setTimeout(initFilterObserver(), 100): a string to
    # evaluate, which the CSP (no 'unsafe-eval') refuses; the preview works without it. Known,
    # not ours: told to the lead (patch the asset or CKAN upstream).
    page_errors.problems[:] = [
        p for p in page_errors.problems if not ("unsafe-eval" in p and "datatablesview" in p)
    ]
