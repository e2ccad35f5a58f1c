"""The action of the access log: ``yiyang_access_log_list``. The log is written by
:func:`ckanext.yiyang.audit.record` from the data paths, never through an action, and no
action edits or deletes it (the table's trigger refuses it too)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.audit.logic import schema
from ckanext.yiyang.audit.model import access_log
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.visibility import guard


def _china_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=workdays.SHANGHAI)


def _scope(user_name: str | None) -> tuple[bool, list[str], str | None]:
    """(sees everything, the viewer's units, the viewer's id)."""
    if roles.is_reviewer(user_name):
        return True, [], None
    who = roles.person(user_name)
    return False, roles.units_of(user_name), who.id


def _dataset(ref: str) -> str:
    package = model.Package.get(ref)
    return package.id if package is not None else ref


def _user(ref: str) -> tuple[str, str]:
    user = model.User.get(ref)
    return (user.id, user.name) if user is not None else (ref, ref)


@tk.side_effect_free
def yiyang_access_log_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The access log (使用记录): reads of data, newest first.

    The office (reviewers) and sysadmins see every read; a unit's members (any capacity) the
    reads of their unit's data (the providing unit) and the reads by their unit's users (the
    applicant unit); anyone their own reads. Where the caller is only the reader and may not
    see the entry itself (a refused read of a hidden entry), the entry is not named.

    :param dataset_id: the entry (id or name) read
    :type dataset_id: string
    :param resource_id: the resource read
    :type resource_id: string
    :param org: the providing unit (id or name): reads of its entries
    :type org: string
    :param reader_org: the reading unit (id or name): reads by its users
    :type reader_org: string
    :param user: the reader (id or name)
    :type user: string
    :param since: first day (YYYY-MM-DD, China time), inclusive
    :type since: string
    :param until: last day (YYYY-MM-DD, China time), inclusive
    :type until: string
    :param outcome: ``served`` or ``refused``
    :type outcome: string
    :param how: ``download``, ``dump``, ``datastore_search``, ``datastore_search_sql``,
        ``datastore_info``, ``preview`` or ``api``
    :type how: string
    :param limit: how many to return (default 50, at most 500)
    :type limit: int
    :param offset: how many of the newest to skip (default 0)
    :type offset: int

    :returns: ``count`` (how many match) and ``results``, each with ``id``, ``at`` (ISO 8601,
        UTC), ``user_id``, ``user_name``, ``user_units`` (ids of the reader's units then) and
        ``user_unit_titles``, ``token_name`` (the API token used, if any), ``dataset_id``,
        ``dataset_name``, ``dataset_title``, ``dataset_org`` (the providing unit) and
        ``dataset_org_title``, ``resource_id``, ``columns`` (null: the whole file), ``rows``
        (null: not counted), ``how``, ``client`` (address), ``outcome``, ``reason``
    :rtype: dict
    """
    tk.check_access("yiyang_access_log_list", context, data_dict)
    data = validate(data_dict, schema.access_log_list(), context)
    everything, units, viewer_id = _scope(context.get("user"))

    log = access_log
    package = model.package_table.alias("entry")
    provider = model.group_table.alias("provider")
    reader_unit = model.group_table.alias("reader_unit")
    reader_titles = sa.func.array(
        sa.select(reader_unit.c.title)
        .where(reader_unit.c.id == sa.func.any(log.c.user_units))
        .order_by(reader_unit.c.title)
        .scalar_subquery()
    )
    where: list[Any] = []
    if not everything:
        where.append(
            sa.or_(
                log.c.dataset_org.in_(units or [""]),
                log.c.user_units.overlap(sa.cast(units, log.c.user_units.type)),
                log.c.user_id == (viewer_id or ""),
            )
        )
    if data.get("dataset_id"):
        where.append(log.c.dataset_id == _dataset(data["dataset_id"]))
    if data.get("resource_id"):
        where.append(log.c.resource_id == data["resource_id"])
    if data.get("org"):
        where.append(log.c.dataset_org == data["org"])
    if data.get("reader_org"):
        where.append(
            log.c.user_units.contains(sa.cast([data["reader_org"]], log.c.user_units.type))
        )
    if data.get("user"):
        user_id, user_name = _user(data["user"])
        where.append(sa.or_(log.c.user_id == user_id, log.c.user_name == user_name))
    if data.get("since"):
        where.append(log.c.at >= _china_midnight(data["since"]))
    if data.get("until"):
        where.append(log.c.at < _china_midnight(data["until"] + datetime.timedelta(days=1)))
    if data.get("outcome"):
        where.append(log.c.outcome == data["outcome"])
    if data.get("how"):
        where.append(log.c.how == data["how"])

    query = (
        sa.select(
            log,
            package.c.name.label("dataset_name"),
            package.c.title.label("dataset_title"),
            provider.c.title.label("dataset_org_title"),
            reader_titles.label("user_unit_titles"),
            sa.func.count().over().label("total"),
        )
        .select_from(
            log.outerjoin(package, package.c.id == log.c.dataset_id).outerjoin(
                provider, provider.c.id == log.c.dataset_org
            )
        )
        .where(*where)
        .order_by(log.c.at.desc(), log.c.id.desc())
        .limit(data["limit"])
        .offset(data["offset"])
    )
    rows = [dict(row._mapping) for row in model.Session.execute(query)] if data["limit"] else []
    if rows:
        count = rows[0]["total"]
    else:  # past the last page (or limit 0): count alone
        count = model.Session.execute(
            sa.select(sa.func.count()).select_from(log).where(*where)
        ).scalar_one()
    return {"count": count, "results": _shown(context, rows, everything, units)}


def _shown(
    context: Context, rows: list[dict[str, Any]], everything: bool, units: list[str]
) -> list[dict[str, Any]]:
    """The rows as results; entries the caller reads about only as the reader, and may not
    see, are not named."""
    if everything:
        hidden: set[str] = set()
    else:
        asked = {
            r["dataset_id"] for r in rows if r["dataset_id"] and r["dataset_org"] not in units
        }
        hidden = asked - guard.visible_ids(context, asked)
    results = []
    for row in rows:
        row.pop("total", None)
        if row["dataset_id"] in hidden:
            row.update(
                dataset_id=None,
                dataset_name=None,
                dataset_title=None,
                dataset_org=None,
                dataset_org_title=None,
            )
        row["at"] = row["at"].astimezone(datetime.timezone.utc).isoformat()
        row["columns"] = list(row["columns"]) if row["columns"] is not None else None
        row["user_unit_titles"] = list(row["user_unit_titles"] or [])
        results.append(row)
    return results
