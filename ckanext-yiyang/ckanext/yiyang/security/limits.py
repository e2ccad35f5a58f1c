"""Limits of an entry's fields and the addresses its data may have (issue 11 point 12).

Solr refuses a document with a value over 32,766 bytes in a string field (the title is one):
a title of 40,000 characters used to fail in the index after the entry had taken its resource
code. An entry's values are therefore limited by chained ``package_create`` and
``package_update`` (a resource's save is one of its entry), before the catalog's
``package_create`` takes a code. A resource's address may only be a web or FTP address (or an
upload's file name): ``javascript:``, ``data:`` and the like are refused, and one stored
before is never shown as a link (:func:`safe_url`).
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

TITLE_MAX = 200
TEXT_MAX = 10_000
SHORT_FIELDS = frozenset({"title", "name"})
# Columns of CKAN's resource table: a list or an object in one reached the database (a 500).
RESOURCE_COLUMNS = frozenset(
    {
        "url",
        "format",
        "description",
        "hash",
        "name",
        "resource_type",
        "mimetype",
        "mimetype_inner",
        "size",
        "created",
        "last_modified",
        "metadata_modified",
        "cache_url",
        "cache_last_updated",
        "url_type",
        "position",
        "state",
    }
)
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "ftps"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers drop these anywhere in a URL before they read its scheme ("java\tscript:").
_IGNORED_RE = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: Any) -> bool:
    """A web or FTP address, a relative one or a file name: anything but a script's."""
    if not isinstance(url, str):
        return not url
    scheme = _SCHEME_RE.match(_IGNORED_RE.sub("", url))
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def _too_long(name: str, value: str) -> str | None:
    limit = TITLE_MAX if name in SHORT_FIELDS else TEXT_MAX
    if len(value) <= limit:
        return None
    return tk._("At most {limit} characters (this one has {length})").format(
        limit=limit, length=len(value)
    )


def _messages(name: str, value: Any) -> list[str]:
    """What is over a limit anywhere in ``value`` (a field's value, however nested)."""
    if isinstance(value, str):
        message = _too_long(name, value)
        return [message] if message else []
    if isinstance(value, dict):
        return [m for key, inner in value.items() for m in _messages(str(key), inner)]
    if isinstance(value, list):
        return [m for inner in value for m in _messages(name, inner)]
    return []


def _resource_errors(resource: Any) -> dict[str, list[str]]:
    if not isinstance(resource, dict):
        return {}
    found = {str(k): _messages(str(k), v) for k, v in resource.items()}
    found = {k: v for k, v in found.items() if v}
    for key in RESOURCE_COLUMNS & set(resource):
        if isinstance(resource[key], (dict, list)):
            found.setdefault(key, []).append(
                tk._("Must be a single value, not a list or an object")
            )
    if not safe_url(resource.get("url")):
        found.setdefault("url", []).append(
            tk._("Must be a web address (http:// or https://) or an uploaded file")
        )
    return found


def errors(data_dict: dict[str, Any]) -> dict[str, Any]:
    """What is over a limit in an entry's dict (its data items and resources too), or not a
    safe resource address: CKAN's error dict (a resource's errors at its place in
    ``resources``, as ``resource_create`` expects them)."""
    found: dict[str, Any] = {}
    for key, value in data_dict.items():
        if key == "resources" and isinstance(value, list):
            per_resource = [_resource_errors(r) for r in value]
            if any(per_resource):
                found["resources"] = per_resource
        else:
            messages = _messages(str(key), value)
            if messages:
                found[str(key)] = messages[:1]
    return found


def check(data_dict: dict[str, Any]) -> None:
    """Raise :class:`tk.ValidationError` when :func:`errors` finds anything."""
    found = errors(data_dict)
    if found:
        raise tk.ValidationError(found)
