"""The API guide (``/api-guide``), generated from the registered actions whose names start
with ``yiyang_``: their docstrings (what ``help_show`` serves), their ``:param:`` lines, who
may call them (the docstring of the auth function of the same name, or :data:`WHO`), and a
curl and a ckanapi example each. An action added later appears without anyone editing a page.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import re
import shlex
from typing import Any
from urllib.parse import urlencode

import ckan.logic as logic
from ckan import authz

PREFIX = "yiyang_"
#: Who may call an action whose auth function says nothing (no docstring).
WHO: dict[str, str] = {}
#: Example values of parameters by name (else ``…``).
SAMPLES: dict[str, Any] = {
    "id": "<id>",
    "dataset_id": "<entry id or name>",
    "subscription_id": "<subscription id>",
    "org_id": "<unit id or name>",
    "owner_org": "<unit id or name>",
    "provider_org": "<unit id or name>",
    "tree": "catalog",
    "with_counts": True,
    "limit": 20,
    "offset": 0,
    "page": 1,
    "q": "企业",
    "status": "pending",
    "scope": "applied",
    "reason": "理由",
    "opinion": "意见",
    "title": "标题",
    "purpose": "work_reference",
    "purpose_detail": "用途说明",
    "passed": True,
    "format": "xlsx",
    "edition": "public",
    "kind": "data_error",
    "description": "说明",
}
_FIELD = re.compile(r"^:(param|type)\s+(\w+):\s*(.*)$")


@dataclasses.dataclass
class Param:
    name: str
    description: str = ""
    type: str = ""


@dataclasses.dataclass
class ActionDoc:
    name: str
    summary: str
    body: str
    params: list[Param]
    returns: str
    who: str
    read_only: bool
    curl: str
    ckanapi: str


def _fields(doc: str) -> tuple[str, list[Param], str]:
    """The prose of a docstring, its parameters and its ``:returns:`` text."""
    prose: list[str] = []
    params: dict[str, Param] = {}
    returns = ""
    current: tuple[str, Any] | None = None
    for line in doc.splitlines():
        stripped = line.strip()
        match = _FIELD.match(stripped)
        if match:
            kind, name, text = match.groups()
            param = params.setdefault(name, Param(name))
            if kind == "param":
                param.description = text
                current = ("param", param)
            else:
                param.type = text
                current = None
        elif stripped.startswith(":returns:"):
            returns = stripped[len(":returns:") :].strip()
            current = ("returns", None)
        elif stripped.startswith(":"):
            current = None
        elif current and stripped and line[:1].isspace():
            if current[0] == "param":
                current[1].description += " " + stripped
            else:
                returns += " " + stripped
        elif not params and not returns:
            prose.append(line)
    return "\n".join(prose).strip(), list(params.values()), returns


def _examples(name: str, params: list[Param], read_only: bool, site_url: str) -> tuple[str, str]:
    """A curl and a ckanapi command calling ``name`` with sample values of its parameters
    (a read by GET, a change by POST with a JSON body; ckanapi: ``KEY=text``, ``KEY:json``)."""
    values = {p.name: SAMPLES[p.name] for p in params if p.name in SAMPLES}
    if not values and params:
        values = {params[0].name: f"<{params[0].name}>"}
    url = f"{site_url.rstrip('/')}/api/3/action/{name}"
    if read_only:
        query = urlencode(
            {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
        )
        address = f"{url}?{query}" if query else url
        curl = f'curl -H "Authorization: $CKAN_API_TOKEN" {shlex.quote(address)}'
    else:
        body = shlex.quote(json.dumps(values, ensure_ascii=False))
        curl = (
            'curl -X POST -H "Authorization: $CKAN_API_TOKEN" '
            f'-H "Content-Type: application/json" -d {body} {url}'
        )
    pairs = [
        f"{k}={shlex.quote(v)}" if isinstance(v, str) else f"{k}:{json.dumps(v)}"
        for k, v in values.items()
    ]
    ckanapi = " ".join(
        ["ckanapi", "action", name, *pairs, "-r", site_url, "-a", "$CKAN_API_TOKEN"]
    )
    return curl, ckanapi


def _original(function: Any) -> Any:
    """The function that documents an action or auth function: CKAN wraps each one it returns,
    and a chained one as ``functools.partial(outer, previous)``; the original ends the chain."""
    while True:
        if isinstance(function, functools.partial) and function.args:
            function = function.args[0]
        elif getattr(function, "__wrapped__", None) is not None:
            function = function.__wrapped__
        else:
            return function


def _who(name: str) -> str:
    auth = authz._AuthFunctions.get(name)
    doc = inspect.getdoc(_original(auth)) if auth is not None else None
    return (doc or WHO.get(name, "")).strip()


def action_names() -> list[str]:
    """Every registered action of ours."""
    logic.get_action("package_show")  # fills the registry
    return sorted(name for name in logic._actions if name.startswith(PREFIX))


def actions(site_url: str = "") -> list[ActionDoc]:
    from ckan.plugins import toolkit as tk

    site_url = site_url or tk.config.get("ckan.site_url", "")
    docs = []
    for name in action_names():
        function = logic.get_action(name)
        doc = inspect.getdoc(_original(function)) or ""
        body, params, returns = _fields(doc)
        read_only = bool(getattr(function, "side_effect_free", False))
        curl, ckanapi = _examples(name, params, read_only, site_url)
        docs.append(
            ActionDoc(
                name=name,
                summary=body.split("\n\n", 1)[0].replace("\n", " "),
                body=body,
                params=params,
                returns=returns,
                who=_who(name),
                read_only=read_only,
                curl=curl,
                ckanapi=ckanapi,
            )
        )
    return docs
