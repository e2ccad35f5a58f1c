"""The basis document of an application (issue 12.11) through the API: what
``yiyang_subscription_basis_show`` tells is a download address, the file's name and size,
never where the server keeps the file; the address serves it to those who may read it."""

from __future__ import annotations

import io
import json
import os

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib import uploader
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.yiyang.subscription.logic.basis import PRIVATE_FOLDER, UPLOAD_TO
from ckanext.yiyang.subscription.model import Subscription

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_basis_show_gives_a_download_address_not_a_server_path(app, world, act, apply):
    applied = apply("conditional")
    member = world["users"]["applicant_member"]
    act(
        "basis_upload",
        member,
        id=applied["id"],
        upload=FileStorage(
            io.BytesIO(PDF), filename="市政府批复.pdf", content_type="application/pdf"
        ),
    )
    shown = act("basis_show", world["users"]["provider_admin"], id=applied["id"])
    assert shown["name"] == "市政府批复.pdf"
    assert shown["size"] == len(PDF)
    assert shown["url"].endswith(f"/subscription/{applied['id']}/basis")
    assert shown["url"].startswith(tk.config["ckan.site_url"])
    assert "path" not in shown
    storage = tk.config["ckan.storage_path"]
    assert storage not in json.dumps(shown, ensure_ascii=False)
    # kept outside CKAN's uploads folder, which the site serves statically to anyone
    stored = model.Session.get(Subscription, applied["id"]).basis_file
    public = uploader.get_uploader(UPLOAD_TO).storage_path or ""
    assert not os.path.exists(os.path.join(public, stored))
    assert os.path.isfile(os.path.join(storage, PRIVATE_FOLDER, stored))
    assert app.get(f"/uploads/{UPLOAD_TO}/{stored}", status=None).status_code == 404

    path = shown["url"][len(tk.config["ckan.site_url"]) :]
    for role in ("provider_member", "applicant_editor", "reviewer"):
        token = factories.APIToken(user=world["users"][role]["name"])["token"]
        got = app.get(path, headers={"Authorization": token})
        assert got.status_code == 200 and got.data == PDF, role
        assert "%E5%B8%82%E6%94%BF%E5%BA%9C%E6%89%B9%E5%A4%8D.pdf" in got.headers.get(
            "Content-Disposition", ""
        )
    with pytest.raises(tk.NotAuthorized):
        act("basis_show", world["users"]["other_unit"], id=applied["id"])


def test_basis_show_of_an_application_without_one(world, act, apply):
    applied = apply("conditional")
    with pytest.raises(tk.ObjectNotFound):
        act("basis_show", world["users"]["provider_admin"], id=applied["id"])
