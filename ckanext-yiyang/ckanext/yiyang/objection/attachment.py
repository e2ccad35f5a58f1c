"""The file an objection may carry (附件, issue 14.2): received from a multipart ``upload`` (the
API, like CKAN's resource upload, or the objection form), checked — its extension among
``attachment_types``, its content of that kind, at most ``attachment_max_mb`` — and kept under
``ckan.storage_path`` in ``yiyang_objection/<objection id>/``.

Not CKAN's ``get_uploader``: its folder (``<storage>/storage/uploads/``) is one of the site's
static folders, served to anyone who knows the name; an objection's file is served by
``/objection/<id>/attachment`` to those who may see the objection, nobody else.

A refused file leaves nothing behind: it is first written to a temporary file beside the
others and removed when refused; the objection's row is added only once the file passed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import uuid
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import magic
from werkzeug.datastructures import FileStorage

from ckanext.yiyang.objection import config

FOLDER = "yiyang_objection"
FIELD = "upload"
CHUNK = 1 << 16
#: What the content of a file of each extension may be (as libmagic names it). Office files
#: are zip archives; libmagic tells them apart only when their parts come in the usual order.
CONTENT = {
    "pdf": ("application/pdf",),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
        "application/octet-stream",
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
        "application/octet-stream",
    ),
    "csv": ("text/csv", "text/plain", "application/csv"),
    "txt": ("text/plain",),
}


@dataclasses.dataclass
class Received:
    """A checked file waiting in its temporary place for the objection's id."""

    temporary: Path
    name: str
    extension: str
    size: int
    mimetype: str


def base() -> Path:
    storage = tk.config.get("ckan.storage_path") or ""
    if not storage:
        raise tk.ValidationError(
            {FIELD: [tk._("Attachment: uploads are not configured (ckan.storage_path)")]}
        )
    return Path(storage) / FOLDER


def _extensions() -> list[str]:
    allowed = config.attachment_types()
    return [*allowed, "jpeg"] if "jpg" in allowed and "jpeg" not in allowed else allowed


def _refuse(message: str) -> tk.ValidationError:
    return tk.ValidationError({FIELD: [message]})


def _bad_type() -> tk.ValidationError:
    return _refuse(
        tk._("Attachment: only files of these types may be attached: {types}").format(
            types=", ".join(config.attachment_types())
        )
    )


def is_upload(value: Any) -> bool:
    """A file was chosen (an empty file input sends a part without a name)."""
    return isinstance(value, FileStorage) and bool(value.filename)


def is_given(value: Any) -> bool:
    """Something was sent as the attachment: a chosen file, or a value that is not one (then
    refused) — not an empty file input, nor nothing."""
    if isinstance(value, FileStorage):
        return bool(value.filename)
    return value not in (None, "")


def receive(upload: Any) -> Received:
    """Check ``upload`` (a multipart file) and write it to a temporary file; refused with a
    :class:`tk.ValidationError` on ``upload`` (nothing kept) when it is not allowed."""
    if not is_upload(upload):
        raise _refuse(tk._("Attachment: send the file as a multipart upload"))
    name = os.path.basename(str(upload.filename).replace("\\", "/")).strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _extensions() or extension not in CONTENT:
        raise _bad_type()
    limit = config.attachment_max_mb() << 20
    folder = base()
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".incoming-{uuid.uuid4()}"
    size = 0
    head = b""
    try:
        with temporary.open("wb") as out:
            while chunk := upload.stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _refuse(
                        tk._("Attachment: the file is larger than {mb} MB").format(
                            mb=config.attachment_max_mb()
                        )
                    )
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                out.write(chunk)
        if not size:
            raise _refuse(tk._("Attachment: the file is empty"))
        mimetype = magic.from_buffer(head, mime=True)
        if mimetype not in CONTENT[extension]:
            raise _bad_type()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Received(temporary, name, extension, size, mimetype)


def keep(received: Received, objection_id: str) -> dict[str, Any]:
    """Move the checked file to the objection's folder; the objection's attachment columns."""
    relative = Path(objection_id) / f"{uuid.uuid4().hex}.{received.extension}"
    target = base() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.temporary, target)
    return {
        "attachment_file": str(relative),
        "attachment_name": received.name,
        "attachment_size": received.size,
        "attachment_type": received.mimetype,
    }


def discard(received: Received | None, kept: dict[str, Any] | None = None) -> None:
    """Remove a file whose objection was not stored after all."""
    if received is not None:
        received.temporary.unlink(missing_ok=True)
    if kept and kept.get("attachment_file"):
        path = base() / kept["attachment_file"]
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: another file is there
            path.parent.rmdir()


def stored_path_of(objection_id: str) -> Path | None:
    """Where an objection's file is on this server (for the download view, once
    ``yiyang_objection_show`` let the user see the objection), or None."""
    from ckan import model

    from ckanext.yiyang.objection.model import Objection

    found = model.Session.get(Objection, objection_id)
    return stored_path(found.attachment_file) if found is not None else None


def stored_path(attachment_file: str | None) -> Path | None:
    """The file under the storage folder (never outside it), if it is there."""
    if not attachment_file:
        return None
    folder = base().resolve()
    path = (folder / attachment_file).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path
