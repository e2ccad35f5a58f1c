"""The decisions every data path asks: may the caller read this resource's data at all
(``entry_of``, ``refusal``), and which of its columns (``Columns``), with the parameters of a
search checked against those columns (``restrict``)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import authz, model
from ckan.types import Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.visibility import columns as rule
from ckanext.yiyang.visibility import grants, guard

_ = tk._


def not_found() -> tk.ObjectNotFound:
    return tk.ObjectNotFound(_("The data was not found"))


def shared_on_application() -> str:
    return _("The data of this entry is shared on application: apply to use it")


def kept_in_unit() -> str:
    return _("The data of an entry that is not shared stays with its unit")


def trusted(context: Context) -> bool:
    user = context.get("user")
    return bool(context.get("ignore_auth")) or bool(user and authz.is_sysadmin(user))


def entry_of(resource_id: str) -> tuple[model.Resource, model.Package] | None:
    """The active resource ``resource_id`` and its entry, None if there is none."""
    resource = model.Resource.get(resource_id) if resource_id else None
    if resource is None or resource.state != model.State.ACTIVE:
        return None
    package = resource.package
    if package is None or package.state == model.State.DELETED:
        return None
    return resource, package


def refusal(context: Context, resource_id: str) -> tk.ObjectNotFound | tk.NotAuthorized | None:
    """Why the caller may not read the data of ``resource_id`` at all: not found (no such
    resource, or one of an entry the caller may not see: the same answer), not authorized (an
    entry the caller sees whose data is not the caller's); None when the caller may."""
    if trusted(context):
        return None
    found = entry_of(resource_id)
    if found is None:
        return not_found()
    _resource, package = found
    if not guard.visible_ids(context, [package.id]):
        return not_found()
    user = context.get("user")
    if not grants.may_see_data(user, package):
        return tk.NotAuthorized(shared_on_application())
    # 不予共享: the data never leaves the owning unit (issue 13.4). The office's reviewers see
    # the entry and its resources' descriptions to review them, not the data itself.
    if (package.extras or {}).get("share_type") == "none" and (
        package.owner_org not in roles.units_of(user)
    ):
        return tk.NotAuthorized(kept_in_unit())
    return None


@dataclasses.dataclass(frozen=True)
class Columns:
    """The columns of a table that the caller may read (``allowed``) among all (``all``)."""

    all: tuple[str, ...]
    allowed: tuple[str, ...]

    @property
    def limited(self) -> bool:
        return len(self.allowed) < len(self.all)


def table_columns(resource_id: str) -> list[str]:
    """The columns of the DataStore table of ``resource_id`` (``_id`` first), [] if none: read
    from PostgreSQL's catalog by the read role, one light query (``datastore_info`` also sizes
    the table, and fails under a threaded server)."""
    from ckanext.datastore.backend.postgres import get_read_engine, identifier

    query = sa.text(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:table) "
        "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
    )
    with get_read_engine().connect() as connection:
        names = [row[0] for row in connection.execute(query, {"table": identifier(resource_id)})]
    return [rule.ROW_ID] + [n for n in names if not n.startswith("_")]


def columns_for(context: Context, resource_id: str, names: Iterable[str] | None = None) -> Columns:
    """The columns (of the table, or ``names``) of ``resource_id`` the caller may read."""
    every = list(names) if names is not None else table_columns(resource_id)
    found = entry_of(resource_id)
    if trusted(context) or found is None:
        return Columns(tuple(every), tuple(every))
    allowed = rule.readable(context.get("user"), found[1])
    hidden = set(rule.hidden(allowed, every))
    return Columns(tuple(every), tuple(c for c in every if c not in hidden))


def no_such_column(name: str) -> tk.ValidationError:
    """The answer for a column the caller may not read: the same as for one that does not
    exist, so it tells nothing of hidden columns."""
    return tk.ValidationError(
        {"fields": [_('"{name}" is not a column of this data').format(name=name)]}
    )


def _filter_fields(filters: Any) -> set[str]:
    """The column names a ``filters`` value (with CKAN 2.12's ``$and``/``$or``) names."""
    found: set[str] = set()
    if isinstance(filters, list):
        for inner in filters:
            found |= _filter_fields(inner)
    elif isinstance(filters, dict):
        for key, value in filters.items():
            if str(key).startswith("$"):
                found |= _filter_fields(value)
            else:
                found.add(str(key))
    return found


_SORT = re.compile(
    r'^\s*(?:"(?P<quoted>(?:[^"]|"")+)"|(?P<plain>.+?))(?:\s+(?:asc|desc))?\s*$', re.I
)


def _sort_fields(sort: Any) -> set[str]:
    clauses = sort if isinstance(sort, list) else str(sort or "").split(",")
    found: set[str] = set()
    for clause in clauses:
        match = _SORT.match(str(clause))
        if not str(clause).strip():
            continue
        if match is None:
            found.add(str(clause).strip())
            continue
        name = match.group("quoted")
        found.add(name.replace('""', '"') if name is not None else match.group("plain").strip())
    return found


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def full_text_refused() -> tk.ValidationError:
    return tk.ValidationError(
        {
            "q": [
                _(
                    "Full-text search is not offered on this data to you: search by column, "
                    'with q as {"column": "text"}'
                )
            ]
        }
    )


def restrict(cols: Columns, data_dict: DataDict) -> DataDict:
    """``data_dict`` of ``datastore_search`` (or of a dump) made to name only the columns
    the caller may read: ``fields`` defaults to those; a field, filter, sort or column search
    on any other column is refused as one that does not exist; a full-text search (``q`` as
    text, ``full_text``), which searches every column, is refused to a caller with hidden
    columns."""
    if not cols.limited:
        return data_dict
    allowed = set(cols.allowed) | {rule.ROW_ID}
    data = dict(data_dict)
    fields = _as_list(data.get("fields")) if data.get("fields") not in (None, "", []) else None
    named: list[str] = list(fields or [])
    named += sorted(_filter_fields(data.get("filters")))
    named += sorted(_sort_fields(data.get("sort")) - {"rank"})
    q = data.get("q")
    if isinstance(q, str) and q.strip().startswith("{"):
        with contextlib.suppress(ValueError):
            q = json.loads(q)
    if isinstance(q, dict):
        named += [str(k) for k in q]
    elif q not in (None, ""):
        raise full_text_refused()
    if data.get("full_text"):
        raise full_text_refused()
    for name in named:
        if name not in allowed:
            raise no_such_column(name)
    if fields is None:
        data["fields"] = list(cols.allowed)
    return data
