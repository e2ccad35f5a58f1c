"""The basis document (依据文件) of an application: the applicant attaches the document a share
condition asks for; the applicant's unit, the providing unit and reviewers may read it."""

from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import uploader
from ckan.types import Context, DataDict

from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.subscription import states
from ckanext.yiyang.subscription.model import Subscription

UPLOAD_TO = "yiyang_basis"
MAX_MB = 20
#: Where the documents are kept, under ``ckan.storage_path``: not CKAN's uploads folder
#: (``storage/uploads/<kind>``), which the site serves statically to anyone at
#: ``/uploads/<kind>/<file>``; a basis document is served by ``/subscription/<id>/basis`` to
#: the application's readers only.
PRIVATE_FOLDER = "yiyang_basis"


def _keeper() -> Any:
    """CKAN's uploader (its checks of a file: name, size) writing to the private folder."""
    keeper = uploader.get_uploader(UPLOAD_TO)
    private = os.path.join(tk.config.get("ckan.storage_path") or "", PRIVATE_FOLDER)
    os.makedirs(private, exist_ok=True)
    keeper.storage_path = private
    return keeper


def _subscription(data_dict: DataDict) -> Subscription:
    row = model.Session.get(Subscription, str(data_dict.get("id") or ""))
    if row is None:
        raise tk.ObjectNotFound(tk._("Subscription not found"))
    return row


@tk.validator_args
def _schema(not_empty: Any, unicode_safe: Any) -> dict[str, Any]:
    return {"id": [not_empty, unicode_safe], "upload": [not_empty]}


def yiyang_subscription_basis_upload(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach the basis document to a pending application (a new one replaces the old). The
    applicant's unit.

    :param id: the application's id
    :type id: string
    :param upload: the file (a multipart upload)
    :type upload: file
    :returns: ``{"id", "basis_name"}``
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_basis_upload", context, data_dict)
    data = validate(data_dict, _schema(), context)
    upload = data["upload"]
    name = os.path.basename(getattr(upload, "filename", "") or "")
    if not name:
        raise tk.ValidationError({"upload": [tk._("Choose the basis document to upload")]})
    stored: dict[str, Any] = {"basis_upload": upload}
    keeper = _keeper()
    keeper.update_data_dict(stored, "basis_file", "basis_upload", "basis_clear")
    keeper.upload(max_size=MAX_MB)
    updated = model.Session.execute(
        sa.update(Subscription)
        .where(Subscription.id == data["id"], Subscription.status == states.PENDING)
        .values(basis_file=stored["basis_file"], basis_name=name)
    )
    if not getattr(updated, "rowcount", 0):
        model.Session.rollback()
        raise tk.ValidationError(
            {"id": [tk._("The basis document can be attached while the application is pending")]}
        )
    model.Session.commit()
    return {"id": data["id"], "basis_name": name}


def stored_path(subscription_id: str) -> str | None:
    """Where the basis document of an application is kept on this server (for the download
    view, once ``yiyang_subscription_basis_show`` let the user read it), or None."""
    row = model.Session.get(Subscription, subscription_id)
    if row is None or not row.basis_file:
        return None
    path = os.path.join(_keeper().storage_path or "", row.basis_file)
    return path if os.path.isfile(path) else None


@tk.side_effect_free
def yiyang_subscription_basis_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The basis document of an application: its download address, file name and size. The
    applicant's unit, the providing unit, reviewers.

    :param id: the application's id
    :type id: string
    :returns: ``{"id", "name", "size", "url"}`` (``size`` in bytes; ``url`` serves the file to
        the same readers)
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_basis_show", context, data_dict)
    row = _subscription(data_dict)
    path = stored_path(row.id)
    if path is None:
        raise tk.ObjectNotFound(tk._("This application has no basis document"))
    return {
        "id": row.id,
        "name": row.basis_name or os.path.basename(row.basis_file or ""),
        "size": os.path.getsize(path),
        "url": tk.config["ckan.site_url"].rstrip("/") + f"/subscription/{row.id}/basis",
    }
