"""Refuse input no action can take before any view sees it (issue 11 point 12).

PostgreSQL cannot store ``\\x00`` in text: an id, a title or a query with one used to end in a
500 from the database, sometimes after part of the work was done. No field of the catalog may
hold one, so a request that carries one — in its path, query string, form fields, upload file
names or JSON body (where it arrives as ``\\u0000``) — is answered 400 at once.

Ids are text: a number or an object sent as ``id``, ``…_id`` or a unit (``owner_org``,
``…_org``) to the action API reached core's queries as such (``package.id = 3260345473362``:
a 500 from PostgreSQL). Such a call is refused as a validation error (409, as CKAN answers
one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Flask, Response, request

NUL = "\x00"
# The action API's JSON bodies are far smaller; a larger body is never read here.
JSON_BODY_MAX = 10 * 1024 * 1024


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _strings(pairs: Iterable[tuple[str, Any]]) -> Iterable[str]:
    for key, value in pairs:
        yield key
        yield value if isinstance(value, str) else getattr(value, "filename", "") or ""


def carries_nul() -> bool:
    """The current request holds a NUL character in any of its text parts."""
    if NUL in request.path or b"%00" in request.query_string.lower():
        return True
    if any(NUL in s for s in _strings(request.args.items(multi=True))):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(NUL in s for s in _strings(request.form.items(multi=True))) or any(
            NUL in s for s in _strings(request.files.items(multi=True))
        )
    if (request.content_length or 0) > JSON_BODY_MAX:
        return False  # an upload of its own kind, not a JSON body of the action API
    data = request.get_data(cache=True)
    if not data or (b"\x00" not in data and b"\\u0000" not in data.lower()):
        return False
    try:
        return _has_nul(json.loads(data))
    except ValueError:
        return False  # not JSON: a body no action reads as text


def _is_id_key(key: str) -> bool:
    return key == "id" or key.endswith("_id") or key == "owner_org" or key.endswith("_org")


def _text_or_texts(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def ids_not_text() -> list[str]:
    """The id parameters of an action API call that are not one text: in a JSON body a number,
    an object or a list of anything but texts; in a query string one given twice."""
    if not request.path.startswith("/api/"):
        return []
    if request.method != "POST":
        return sorted(
            key for key in request.args if _is_id_key(key) and len(request.args.getlist(key)) > 1
        )
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return []
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    return sorted(
        key
        for key, value in body.items()
        if isinstance(key, str)
        and _is_id_key(key)
        and value is not None
        and not _text_or_texts(value)
    )


def message() -> str:
    return tk._("The request contains a NUL character (\\0), which no field may hold.")


def _validation_error(errors: dict[str, list[str]]) -> Response:
    body = {"help": "", "success": False, "error": {"__type": "Validation Error", **errors}}
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=409,
        content_type="application/json;charset=utf-8",
    )


def refuse() -> Response | None:
    wrong = ids_not_text()
    if wrong:
        return _validation_error({key: [tk._("Must be text (an id or a name)")] for key in wrong})
    if not carries_nul():
        return None
    text = message()
    if request.path.startswith("/api/"):
        body = {
            "help": "",
            "success": False,
            "error": {"__type": "Validation Error", "message": text},
        }
        return Response(
            json.dumps(body, ensure_ascii=False),
            status=400,
            content_type="application/json;charset=utf-8",
        )
    return Response(text, status=400, content_type="text/plain;charset=utf-8")


def install(app: Flask) -> None:
    # After CKAN's own hook (its after_request needs what it sets up), before any view.
    app.before_request(refuse)
