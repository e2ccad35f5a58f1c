"""The import page and its actions: upload → check by a real worker → progress → report →
import; who may do what; the CLI."""

from __future__ import annotations

import io
import json

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan.cli.cli import ckan
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.yiyang import config as yiyang_config

from .conftest import counts, entry_row, fill, item_row

QUEUE = "yiyang-import-test"
pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.import.queue", QUEUE),
]


@pytest.fixture
def people(unit_with_editor, make_unit):
    reviewer, lone, other = factories.User(), factories.User(), factories.User()
    make_unit(
        name=yiyang_config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    make_unit(users=[{"name": other["name"], "capacity": "editor"}])
    return {
        **unit_with_editor,
        "reviewer": reviewer,
        "lone": lone,  # belongs to no unit
        "other": other,  # editor of another unit
        "sysadmin": factories.Sysadmin(),
    }


def _workbook(tmp_path, unit, bad: bool = False):
    rows = [entry_row(1), entry_row(2, title="第二条", format_class="电子文件")]
    if bad:
        rows.append(entry_row(3, title="坏行", update_cycle="偶尔", format_class="电子文件"))
    return fill("entries", tmp_path / "w.xlsx", unit=unit["title"], rows=rows, items=[item_row(1)])


def _upload(user, path):
    storage = FileStorage(io.BytesIO(path.read_bytes()), filename="数据提供调查表.xlsx")
    return tk.get_action("yiyang_import_create")({"user": user}, {"upload": storage})


def _work():
    jobs.Worker([QUEUE]).work(burst=True)


@pytest.fixture(autouse=True)
def empty_queue():
    jobs.get_queue(QUEUE).empty()
    yield
    jobs.get_queue(QUEUE).empty()


def test_auth_of_create(tmp_path, people):
    path = _workbook(tmp_path, people["unit"])
    for role in ("member", "editor", "admin", "other", "sysadmin"):
        assert _upload(people[role]["name"], path)["status"] == "queued"
    for user in (None, people["lone"]["name"]):
        with pytest.raises(tk.NotAuthorized):
            _upload(user, path)
    with pytest.raises(tk.ValidationError):
        tk.get_action("yiyang_import_create")({"user": people["editor"]["name"]}, {})


def test_auth_of_show_list_run(tmp_path, people):
    imp = _upload(people["editor"]["name"], _workbook(tmp_path, people["unit"]))
    _work()
    show = tk.get_action("yiyang_import_show")
    for role in ("editor", "reviewer", "sysadmin"):
        assert show({"user": people[role]["name"]}, {"id": imp["id"]})["status"] == "checked"
    for user in (None, people["member"]["name"], people["admin"]["name"], people["other"]["name"]):
        with pytest.raises(tk.NotAuthorized):
            show({"user": user}, {"id": imp["id"]})
    with pytest.raises(tk.ObjectNotFound):
        show({"user": people["editor"]["name"]}, {"id": "nope"})

    listing = tk.get_action("yiyang_import_list")
    assert [r["id"] for r in listing({"user": people["editor"]["name"]}, {})["results"]] == [
        imp["id"]
    ]
    assert listing({"user": people["admin"]["name"]}, {"all": True})["count"] == 0
    assert listing({"user": people["reviewer"]["name"]}, {"all": True})["count"] == 1
    assert listing({"user": people["sysadmin"]["name"]}, {"all": True})["count"] == 1
    with pytest.raises(tk.NotAuthorized):
        listing({"user": None}, {})

    run = tk.get_action("yiyang_import_run")
    for role in ("member", "admin", "other", "reviewer"):
        with pytest.raises(tk.NotAuthorized):
            run({"user": people[role]["name"]}, {"id": imp["id"]})
    with pytest.raises(tk.NotAuthorized):
        run({"user": None}, {"id": imp["id"]})
    with pytest.raises(tk.ValidationError):
        run({"user": people["editor"]["name"]}, {"id": imp["id"], "mode": "everything"})
    assert run({"user": people["sysadmin"]["name"]}, {"id": imp["id"]})["status"] == "queued"
    _work()
    done = show({"user": people["editor"]["name"]}, {"id": imp["id"]})
    assert done["status"] == "done" and len(done["import_report"]["created"]) == 2
    # written as the uploader, not as the sysadmin who pressed the button
    entry = tk.get_action("package_show")(
        {"ignore_auth": True}, {"id": done["import_report"]["created"][0]}
    )
    assert entry["creator_user_id"] == people["editor"]["id"]
    with pytest.raises(tk.ValidationError):  # imported once
        run({"user": people["editor"]["name"]}, {"id": imp["id"]})


def test_web_flow(app, tmp_path, people):
    editor = people["editor"]
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    assert app.get("/survey/import", headers=headers).status_code == 200
    path = _workbook(tmp_path, people["unit"], bad=True)
    response = app.post(
        "/survey/import",
        data={"upload": (io.BytesIO(path.read_bytes()), "调查表.xlsx")},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    import_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = app.get(f"/survey/import/{import_id}", headers=headers).body
    assert 'http-equiv="refresh"' in page and "progress" in page  # waiting for the worker

    _work()  # a real worker takes the check from Redis
    shown = tk.get_action("yiyang_import_show")({"user": editor["name"]}, {"id": import_id})
    assert shown["status"] == "checked" and shown["total"] > 0 and shown["done"] == shown["total"]
    page = app.get(f"/survey/import/{import_id}", headers=headers).body
    assert 'http-equiv="refresh"' not in page
    assert "偶尔" in page and "更新周期" in page and "信息资源" in page
    assert 'value="valid_only"' in page and 'value="all"' not in page
    assert counts()["packages"] == 0

    response = app.post(f"/survey/import/{import_id}/run", data={"mode": "all"}, headers=headers)
    assert counts()["packages"] == 0  # refused: the workbook has problems
    response = app.post(
        f"/survey/import/{import_id}/run",
        data={"mode": "valid_only"},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    _work()
    shown = tk.get_action("yiyang_import_show")({"user": editor["name"]}, {"id": import_id})
    assert shown["status"] == "done" and len(shown["import_report"]["created"]) == 2
    page = app.get(f"/survey/import/{import_id}", headers=headers).body
    assert shown["import_report"]["created"][0] in page
    listing = app.get("/survey/import", headers=headers).body
    assert "调查表.xlsx" in listing
    # someone else's import is not shown
    other = {"Authorization": factories.APIToken(user=people["other"]["name"])["token"]}
    assert app.get(f"/survey/import/{import_id}", headers=other).status_code == 403


@pytest.mark.ckan_config("ckanext.yiyang.import.max_upload_mb", "1")
def test_upload_size_limit(tmp_path, people):
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(tk.ValidationError) as error:
        _upload(people["editor"]["name"], big)
    assert "upload" in error.value.error_dict


def test_cli(cli, tmp_path, people):
    path = _workbook(tmp_path, people["unit"], bad=True)
    editor = people["editor"]["name"]
    result = cli.invoke(ckan, ["yiyang", "import", str(path), "--dry-run", "--user", editor])
    assert result.exit_code == 1
    assert "信息资源\t8\t更新周期" in result.output and "偶尔" in result.output
    result = cli.invoke(ckan, ["yiyang", "import", str(path), "--user", editor])
    assert result.exit_code == 1 and "没有导入任何内容" in result.output
    assert counts()["packages"] == 0
    result = cli.invoke(
        ckan, ["yiyang", "import", str(path), "--valid-only", "--user", editor, "--json"]
    )
    assert result.exit_code == 1
    report = json.loads(result.output[result.output.index("{") :])
    assert len(report["created"]) == 2 and report["rows_skipped"] == 1
    good = fill(
        "entries",
        tmp_path / "g.xlsx",
        unit=people["unit"]["title"],
        rows=[entry_row(1, title="另一条", format_class="电子文件")],
    )
    result = cli.invoke(ckan, ["yiyang", "import", str(good), "--user", editor])
    assert result.exit_code == 0 and "新建 1 条" in result.output, result.output
    result = cli.invoke(ckan, ["yiyang", "import", str(good)])
    assert result.exit_code != 0 and "--user" in result.output
