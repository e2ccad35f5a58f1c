"""Attaching data (issue 13.2): real files — UTF-8 and GBK CSV with Chinese headers, XLSX, JSON,
a malformed CSV, an empty file, a 50 MB file — loaded by the real job on CKAN's worker into the
DataStore, with a Chinese status and error per file; a failed load keeps the previous table."""

from __future__ import annotations

import io
import json

import ckan.plugins.toolkit as tk
import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

from ckanext.yiyang.data import model as data_model

from .conftest import site

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]

HEADER = "企业名称,统一社会信用代码,法定代表人,注册资本,成立日期"
ROWS = [
    "益阳市资江食品有限公司,91430900MA4L000001,王堃,100.5,2019-03-01",
    "赫山区碧云峰茶业有限公司,91430903MA4L000002,李镕,2000,2020-11-15",
    "安化县黑茶产业发展有限公司,91430923MA4L000003,赵喆,350,2021-07-30",
]
CSV_TEXT = "\n".join([HEADER, *ROWS]) + "\n"


def _resource(entry, url, fmt="CSV", **extra):
    return tk.get_action("resource_create")(
        site(), {"package_id": entry["id"], "url": url, "format": fmt, "name": "数据", **extra}
    )


def _state(resource_id):
    data_model.model.Session.expire_all()
    return data_model.state(resource_id).as_dict()


def _table(resource_id):
    return tk.get_action("datastore_search")(site(), {"resource_id": resource_id, "limit": 100})


def test_xloader_alone_misreads_a_gbk_file(tmp_path):
    """Why this extension detects the encoding itself: xloader's chardet-based detection is not
    sure of a GBK file (confidence < 0.7) and its fallback decodes it as cp1252."""
    from ckanext.xloader.loader import SINGLE_BYTE_ENCODING, detect_encoding

    path = tmp_path / "gbk.csv"
    path.write_bytes(CSV_TEXT.encode("gbk"))
    guess = detect_encoding(str(path))
    assert guess["confidence"] < 0.7
    assert SINGLE_BYTE_ENCODING == "cp1252"
    assert path.read_bytes().decode("cp1252", "replace").splitlines()[0] != HEADER


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_csv_with_chinese_headers_loads_in_each_encoding(
    encoding, entry_factory, file_server, run_jobs
):
    folder, base = file_server
    (folder / "qy.csv").write_bytes(CSV_TEXT.encode(encoding))
    entry = entry_factory()
    resource = _resource(entry, f"{base}/qy.csv")
    assert _state(resource["id"])["load_state"] == "pending"

    run_jobs()

    state = _state(resource["id"])
    assert state["load_state"] == "done", state
    assert state["load_rows"] == 3
    found = _table(resource["id"])
    assert [f["id"] for f in found["fields"]][1:] == HEADER.split(",")
    assert {r["法定代表人"] for r in found["records"]} == {"王堃", "李镕", "赵喆"}
    assert tk.get_action("resource_show")(site(), {"id": resource["id"]})["datastore_active"]


def test_an_uploaded_xlsx_loads(entry_factory, run_jobs):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["益阳市资江食品有限公司", "91430900MA4L000001", "王堃", 100.5, "2019-03-01"])
    sheet.append(["赫山区碧云峰茶业有限公司", "91430903MA4L000002", "李镕", 2000, "2020-11-15"])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    entry = entry_factory()
    resource = tk.get_action("resource_create")(
        site(),
        {
            "package_id": entry["id"],
            "name": "企业表",
            "format": "XLSX",
            "upload": FileStorage(content, filename="qy.xlsx"),
        },
    )

    run_jobs()

    state = _state(resource["id"])
    assert state["load_state"] == "done", state["load_error"]
    assert state["load_rows"] == 2
    found = _table(resource["id"])
    assert "企业名称" in [f["id"] for f in found["fields"]]
    assert {r["法定代表人"] for r in found["records"]} == {"王堃", "李镕"}


def test_a_json_array_of_records_loads(entry_factory, file_server, run_jobs):
    folder, base = file_server
    records = [
        {"企业名称": "益阳市资江食品有限公司", "注册资本": 100.5, "员工人数": 12},
        {"企业名称": "赫山区碧云峰茶业有限公司", "注册资本": 2000, "员工人数": 30},
    ]
    (folder / "qy.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    entry = entry_factory()
    resource = _resource(entry, f"{base}/qy.json", fmt="JSON")

    run_jobs()

    state = _state(resource["id"])
    assert state["load_state"] == "done", state
    found = _table(resource["id"])
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["员工人数"] == "int8" and types["注册资本"] == "numeric"
    assert found["total"] == 2


BAD_FILES = {
    "malformed": (
        (HEADER + "\n" + ROWS[0] + "\n益阳市某公司,914309,张三\n").encode("utf-8"),
        "CSV",
        "第 3 行",
    ),
    "empty": (b"", "CSV", "文件为空"),
    "header_only": ((HEADER + "\n").encode("utf-8"), "CSV", "没有数据行"),
    "wrong_encoding": (
        (HEADER + "\n").encode("utf-8") + b"\x81\xff\xfe\x80,x,y,z,w\n",
        "CSV",
        "第 2 行",
    ),
    "bad_json": (b'[{"a": 1}, {"a": 2', "JSON", "JSON 格式错误"),
    "nested_json": (b'[{"a": {"b": 1}}]', "JSON", "嵌套"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_an_error_in_chinese_and_the_previous_table_stays(
    kind, entry_factory, file_server, run_jobs
):
    content, fmt, expected = BAD_FILES[kind]
    folder, base = file_server
    (folder / "good.csv").write_text(CSV_TEXT, encoding="utf-8")
    entry = entry_factory()
    resource = _resource(entry, f"{base}/good.csv")
    run_jobs()
    assert _state(resource["id"])["load_state"] == "done"

    suffix = fmt.lower()
    (folder / f"bad.{suffix}").write_bytes(content)
    tk.get_action("resource_patch")(
        site(), {"id": resource["id"], "url": f"{base}/bad.{suffix}", "format": fmt}
    )
    run_jobs()

    state = _state(resource["id"])
    assert state["load_state"] == "error"
    assert expected in state["load_error"], state["load_error"]
    # Nothing lost: the previous table is still there, whole.
    assert _table(resource["id"])["total"] == 3


@pytest.mark.ckan_config("ckanext.yiyang.data.max_load_mb", "40")
def test_a_50_mb_file_over_the_limit_is_refused_whole(entry_factory, file_server, run_jobs):
    folder, base = file_server
    line = (ROWS[0] + "\n").encode("utf-8")
    with (folder / "big.csv").open("wb") as out:
        out.write((HEADER + "\n").encode("utf-8"))
        out.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert (folder / "big.csv").stat().st_size > 50 * 1024 * 1024
    entry = entry_factory()
    resource = _resource(entry, f"{base}/big.csv")

    run_jobs()

    state = _state(resource["id"])
    assert state["load_state"] == "error"
    assert "文件过大" in state["load_error"] and "40 MB" in state["load_error"]
    with pytest.raises(tk.ObjectNotFound):
        _table(resource["id"])


def test_a_50_mb_csv_loads_whole(entry_factory, file_server, run_jobs):
    """A real-sized file: ~50 MB of GBK CSV, every row in the table."""
    folder, base = file_server
    line = (ROWS[1] + "\n").encode("gbk")
    count = 50 * 1024 * 1024 // len(line) + 1
    with (folder / "big.csv").open("wb") as out:
        out.write((HEADER + "\n").encode("gbk"))
        out.write(line * count)
    entry = entry_factory()
    resource = _resource(entry, f"{base}/big.csv")

    run_jobs()

    state = _state(resource["id"])
    assert state["load_state"] == "done", state["load_error"]
    assert state["load_rows"] == count
    assert state["load_encoding"] == "gb18030"
    assert _table(resource["id"])["records"][0]["法定代表人"] == "李镕"
