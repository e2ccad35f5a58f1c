"""An objection may carry an uploaded file (issue 14.2, 附件): through the API (a multipart
``upload``, like a resource's) and the objection form; served at ``/objection/<id>/attachment``
to exactly those who may see the objection (the raiser's unit, the providing unit, the office,
sysadmins) and a 404 to anyone else, as for a missing one; a file too big or of a type not
allowed is refused with a Chinese message naming the field, and nothing is stored."""

from __future__ import annotations

import io
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.yiyang.objection.model import Objection

from .conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TEXT = "户籍地址“资阳区”应为“赫山区”，见第12行。\n".encode()


@pytest.fixture
def storage(tmp_path: Path, ckan_config, monkeypatch) -> Path:
    """A storage folder of the test's own: what is kept there is what the test sees."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    return tmp_path


def kept_files(storage: Path) -> list[Path]:
    return [p for p in storage.rglob("*") if p.is_file()]


def objections() -> int:
    return model.Session.query(Objection).count()


def token(user) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def api_create(app, people, filename: str, content: bytes, status: int = 200, **extra):
    return app.post(
        "/api/3/action/yiyang_objection_create",
        data={
            "dataset_id": people["entry"]["id"],
            "kind": "data_error",
            "description": "户籍地址与实际不符",
            "upload": (io.BytesIO(content), filename),
            **extra,
        },
        headers=token(people["raiser"]),
        status=status,
    )


def xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["企业名称", "注册资本"])
    book.active.append(["益阳市第1公司", 100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_through_the_api_and_download(app, people, storage):
    result = api_create(app, people, "核对说明.pdf", PDF, attachment_url="https://example.cn/a")
    created = result.json["result"]
    assert created["attachment"]["name"] == "核对说明.pdf"
    assert created["attachment"]["size"] == len(PDF)
    assert created["attachment"]["mimetype"] == "application/pdf"
    assert created["attachment"]["url"].endswith(f"/objection/{created['id']}/attachment")
    assert created["attachment_url"] == "https://example.cn/a"  # links are kept too
    assert str(storage) not in result.body  # where the server keeps it stays there
    (stored,) = kept_files(storage)
    assert stored.read_bytes() == PDF
    # outside CKAN's public upload folder (a static folder of the site)
    assert "storage" not in stored.relative_to(storage).parts
    got = app.get(f"/objection/{created['id']}/attachment", headers=token(people["raiser"]))
    assert got.status_code == 200 and got.data == PDF
    assert "filename*=UTF-8''%E6%A0%B8" in got.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40),
        ("照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40),
        ("明细.csv", "企业名称,注册资本\n益阳市第1公司,100\n".encode()),
        ("说明.txt", TEXT),
    ],
)
def test_each_allowed_type(people, storage, filename, content):
    created = act(
        "create",
        people["raiser"],
        dataset_id=people["entry"]["id"],
        kind="data_error",
        description="见附件",
        upload=FileStorage(io.BytesIO(content), filename=filename),
    )
    assert created["attachment"]["name"] == filename
    assert [p.read_bytes() for p in kept_files(storage)] == [content]


def test_a_workbook(people, storage):
    created = act(
        "create",
        people["raiser"],
        dataset_id=people["entry"]["id"],
        kind="data_missing",
        description="缺少第2行以后的数据",
        upload=FileStorage(io.BytesIO(xlsx()), filename="缺失数据.xlsx"),
    )
    assert created["attachment"]["name"] == "缺失数据.xlsx"


def test_upload_through_the_form(app, people, storage):
    page = app.post(
        f"/dataset/{people['entry']['name']}/objection",
        data={
            "kind": "stale",
            "description": "数据停在2024年",
            "upload": (io.BytesIO(TEXT), "说明.txt"),
        },
        headers=token(people["raiser"]),
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert "说明.txt" in page.body and 'id="objection-attachment-link"' in page.body
    (row,) = model.Session.query(Objection).all()
    assert row.attachment_name == "说明.txt"
    got = app.get(f"/objection/{row.id}/attachment", headers=token(people["editor"]))
    assert got.data == TEXT


def test_the_form_without_a_file(app, people, storage):
    page = app.post(
        f"/dataset/{people['entry']['name']}/objection",
        data={"kind": "stale", "description": "数据停在2024年", "upload": (io.BytesIO(b""), "")},
        headers=token(people["raiser"]),
        follow_redirects=True,
    )
    assert page.status_code == 200
    (row,) = model.Session.query(Objection).all()
    assert row.attachment_file is None and kept_files(storage) == []


def test_the_form_shows_the_refusal(app, people, storage):
    page = app.post(
        f"/dataset/{people['entry']['name']}/objection",
        data={
            "kind": "stale",
            "description": "数据停在2024年",
            "upload": (io.BytesIO(b"MZ\x90\x00"), "工具.exe"),
        },
        headers=token(people["raiser"]),
    )
    assert page.status_code == 200
    assert "附件" in page.body and "pdf, png, jpg, xlsx, csv, docx, txt" in page.body
    assert 'id="objection-upload"' in page.body
    assert objections() == 0 and kept_files(storage) == []


ROLES = (
    "anonymous",
    "raiser",
    "colleague",
    "member",
    "editor",
    "admin",
    "outsider",
    "registered",
    "reviewer",
    "sysadmin",
)


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_download(app, people, storage, role):
    """The raiser's unit (the raiser and a colleague), the providing unit, the office and
    sysadmins get the file; anyone else a 404, as for an objection that does not exist."""
    colleague = factories.User()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True},
        {"id": people["raiser_unit"]["id"], "username": colleague["name"], "role": "member"},
    )
    users = {**people, "colleague": colleague}
    created = api_create(app, people, "核对说明.pdf", PDF).json["result"]
    headers = {} if role == "anonymous" else token(users[role])
    got = app.get(f"/objection/{created['id']}/attachment", headers=headers)
    allowed = role not in ("anonymous", "outsider", "registered")
    assert got.status_code == (200 if allowed else 404), role
    assert (got.data == PDF) == allowed
    missing = app.get("/objection/no-such-objection/attachment", headers=headers)
    assert missing.status_code == 404


def test_an_objection_without_a_file(app, people, raise_objection, storage):
    created = raise_objection()
    assert created["attachment"] is None
    got = app.get(f"/objection/{created['id']}/attachment", headers=token(people["raiser"]))
    assert got.status_code == 404


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("工具.exe", b"MZ\x90\x00\x03"),  # a type not allowed
        ("说明", TEXT),  # no extension
        ("伪装.pdf", TEXT),  # the content is not what the name says
        ("伪装.png", PDF),
        ("空.txt", b""),
    ],
)
def test_bad_type_refused_and_nothing_stored(app, people, storage, filename, content):
    result = api_create(app, people, filename, content, status=409)
    error = result.json["error"]
    assert list(error) == ["upload", "__type"]
    assert error["upload"][0].startswith("附件")
    assert objections() == 0 and kept_files(storage) == []


def test_too_big_refused_and_nothing_stored(app, people, storage, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.yiyang.objection.attachment_max_mb", 1)
    result = api_create(app, people, "大文件.txt", b"a" * ((1 << 20) + 1), status=409)
    assert result.json["error"]["upload"] == ["附件超过 1 MB"]
    assert objections() == 0 and kept_files(storage) == []
    # exactly the limit passes
    api_create(app, people, "刚好.txt", b"a" * (1 << 20))
    assert objections() == 1 and len(kept_files(storage)) == 1


def test_the_types_are_an_option(app, people, storage, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.yiyang.objection.attachment_types", ["pdf"])
    result = api_create(app, people, "说明.txt", TEXT, status=409)
    assert result.json["error"]["upload"] == ["附件只能是以下类型的文件：pdf"]
    api_create(app, people, "核对说明.pdf", PDF)


def test_refused_for_another_field_keeps_no_file(app, people, storage):
    """A file that passed is not kept when the objection itself is refused."""
    result = api_create(app, people, "核对说明.pdf", PDF, status=409, data_item="不存在的信息项")
    assert "data_item" in result.json["error"]
    assert objections() == 0 and kept_files(storage) == []


def test_not_a_file(people, storage):
    with pytest.raises(tk.ValidationError) as refused:
        act(
            "create",
            people["raiser"],
            dataset_id=people["entry"]["id"],
            kind="other",
            description="x",
            upload="/etc/passwd",
        )
    assert "upload" in refused.value.error_dict
    assert objections() == 0 and kept_files(storage) == []
