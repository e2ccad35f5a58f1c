"""Actions of the data service accounts: ``yiyang_service_account_create``, ``…_list``,
``…_revoke``; and core's ``user_autocomplete`` and ``member_list`` without service accounts
(they are systems, not people to pick, mail or list among a unit's staff).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import api_token
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.services import MARK, PREFIX, counter
from ckanext.yiyang.services.logic import schema
from ckanext.yiyang.services.model import ServiceAccount

__all__ = [
    "member_list",
    "user_autocomplete",
    "yiyang_service_account_create",
    "yiyang_service_account_list",
    "yiyang_service_account_revoke",
]

#: Days of calls the list returns per account (today last).
CALL_DAYS = 7


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _as_dict(
    row: ServiceAccount,
    user_name: str | None,
    org_name: str | None,
    calls: list[dict[str, Any]],
    last_used: str | None,
    now: datetime.datetime,
) -> dict[str, Any]:
    state = "revoked" if row.revoked_at else ("expired" if row.expired(now) else "active")
    return {
        "id": row.id,
        "name": row.name,
        "title": row.title,
        "user_name": user_name,
        "org_id": row.org_id,
        "org_name": org_name,
        "created": _iso(row.created),
        "expires": _iso(row.expires_at),
        "expired": row.expired(now),
        "revoked": row.revoked_at is not None,
        "revoked_at": _iso(row.revoked_at),
        "state": state,
        "last_used": last_used,
        "calls_today": calls[-1]["calls"] if calls else 0,
        "calls_per_day": calls,
    }


def _caller(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("You must be logged in"))
    return user


def yiyang_service_account_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a data service account of a unit for one of its systems: a user of the unit (in
    the capacity ``member``, so it reads what a member reads, grants included) that cannot log
    in on the web, and its API token. The token is in this answer only: it is never shown
    again. Use it in the ``Authorization`` header of API calls.

    :param org_id: id or name of the unit
    :type org_id: string
    :param name: a short name, unique in the unit (lower-case letters, digits, ``-``, ``_``);
        the account's user name is ``svc-<unit>-<name>``
    :type name: string
    :param title: what system it is (e.g. 不动产登记系统)
    :type title: string
    :param expires_in_days: days the token is valid (optional; default
        ``ckanext.yiyang.services.default_days``, at most ``…max_days``)
    :type expires_in_days: int
    :param expires_at: or the last day it is valid, ``YYYY-MM-DD`` (China time; optional)
    :type expires_at: string

    :returns: the account, as in ``yiyang_service_account_list``, and ``token``
    :rtype: dict
    """
    tk.check_access("yiyang_service_account_create", context, data_dict)
    data = validate(data_dict, schema.account_create_schema(), context)
    caller = _caller(context)
    org = model.Group.get(data["org_id"])
    assert org is not None  # the schema found it
    user_name = f"{PREFIX}{org.name}-{data['name']}"[:100]
    taken = tk._("Name of the service account: the unit has an account of this name already")
    if model.User.get(user_name) is not None:
        raise tk.ValidationError({"name": [taken]})

    inner: Context = {"user": caller.name, "ignore_auth": True, "defer_commit": True}
    try:
        created = tk.get_action("user_create")(
            dict(inner),
            {
                "name": user_name,
                "email": f"{user_name}@service.invalid",
                # never shown to anyone: the account has no password login (see gate)
                "password": secrets.token_urlsafe(32),
                "fullname": data["title"],
            },
        )
        user = model.User.get(created["id"])
        assert user is not None
        row = ServiceAccount(
            user_id=user.id,
            org_id=org.id,
            name=data["name"],
            title=data["title"],
            created_by=caller.id,
            expires_at=data["expires"],
        )
        model.Session.add(row)
        model.Session.flush()
        user.plugin_extras = {**(user.plugin_extras or {}), MARK: row.id}
        tk.get_action("organization_member_create")(
            dict(inner),
            {"id": org.id, "username": user.name, "role": "member"},
        )
        # core's api_token_create commits: the account, its user and membership with it
        token = tk.get_action("api_token_create")(
            {"user": caller.name, "ignore_auth": True},
            {"user": user.name, "name": data["name"]},
        )["token"]
    except sa.exc.IntegrityError:
        model.Session.rollback()
        raise tk.ValidationError({"name": [taken]}) from None
    except Exception:
        model.Session.rollback()
        raise
    decoded = api_token.decode(token) or {}
    row.token_id = decoded.get("jti")
    model.repo.commit()
    result = _as_dict(
        row, user.name, org.name, counter.calls([row.id], CALL_DAYS)[row.id], None, row.created
    )
    result["token"] = token
    return result


@tk.side_effect_free
def yiyang_service_account_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The data service accounts of a unit (of all units: the office's reviewers), newest
    first. Never their tokens.

    :param org_id: id or name of the unit (optional for reviewers: all units)
    :type org_id: string
    :param limit: how many to return (optional, default 50, at most 500)
    :type limit: int
    :param offset: how many to skip (optional, default 0)
    :type offset: int

    :returns: ``count`` and ``results``, each with ``id``, ``name``, ``title``,
        ``user_name``, ``org_id``, ``org_name``, ``created``, ``expires`` (UTC), ``expired``,
        ``revoked``, ``revoked_at``, ``state`` (``active``, ``expired``, ``revoked``),
        ``last_used``, ``calls_today`` and ``calls_per_day`` (the last 7 days, China's dates,
        ``[{"date", "calls"}]``)
    :rtype: dict
    """
    tk.check_access("yiyang_service_account_list", context, data_dict)
    data = validate(data_dict, schema.account_list_schema(), context)
    query = model.Session.query(ServiceAccount)
    if data.get("org_id"):
        query = query.filter(ServiceAccount.org_id == data["org_id"])
    count = query.count()
    rows = (
        query.order_by(ServiceAccount.created.desc(), ServiceAccount.id)
        .offset(data["offset"])
        .limit(data["limit"])
        .all()
        if data["limit"]
        else []
    )
    users = dict(
        model.Session.query(model.User.id, model.User.name).filter(
            model.User.id.in_([r.user_id for r in rows])
        )
    )
    orgs = dict(
        model.Session.query(model.Group.id, model.Group.name).filter(
            model.Group.id.in_({r.org_id for r in rows})
        )
    )
    ids = [r.id for r in rows]
    calls = counter.calls(ids, CALL_DAYS)
    last = counter.last_used(ids)
    now = datetime.datetime.utcnow()
    return {
        "count": count,
        "results": [
            _as_dict(r, users.get(r.user_id), orgs.get(r.org_id), calls[r.id], last[r.id], now)
            for r in rows
        ],
    }


def yiyang_service_account_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Revoke a data service account: its tokens are revoked (core ``api_token_revoke``) and
    its user disabled, at once; calls with its token are refused (403) from then on. An account
    is revoked once: a second revocation (two admins at the same time) is refused.

    :param id: the id of the account
    :type id: string

    :returns: the account, as in ``yiyang_service_account_list``
    :rtype: dict
    """
    tk.check_access("yiyang_service_account_revoke", context, data_dict)
    data = validate(data_dict, schema.account_revoke_schema(), context)
    row = model.Session.get(ServiceAccount, data["id"])
    if row is None:
        raise tk.ObjectNotFound(tk._("Service account not found"))
    caller = _caller(context)
    now = datetime.datetime.utcnow()
    try:
        changed = model.Session.execute(
            sa.update(ServiceAccount)
            .where(ServiceAccount.id == row.id, ServiceAccount.revoked_at.is_(None))
            .values(revoked_at=now, revoked_by=caller.id)
        ).rowcount
        if not changed:
            raise tk.ValidationError(
                {"id": [tk._("Service account: it has been revoked already")]}
            )
        user = model.User.get(row.user_id)
        if user is not None:
            user.state = model.State.DELETED
        model.Session.flush()
        tokens = [
            jti
            for (jti,) in model.Session.query(model.ApiToken.id).filter(
                model.ApiToken.user_id == row.user_id
            )
        ]
        # core's api_token_revoke commits: the first one commits the revocation with it
        for jti in tokens:
            tk.get_action("api_token_revoke")(
                {"user": caller.name, "ignore_auth": True},
                {"jti": jti},
            )
        if not tokens:
            model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    model.Session.refresh(row)
    ids = [row.id]
    return _as_dict(
        row,
        user.name if user else None,
        model.Group.get(row.org_id).name if model.Group.get(row.org_id) else None,
        counter.calls(ids, CALL_DAYS)[row.id],
        counter.last_used(ids)[row.id],
        now,
    )


def _service_user_ids(ids: list[str]) -> set[str]:
    if not ids:
        return set()
    rows = model.Session.query(ServiceAccount.user_id).filter(ServiceAccount.user_id.in_(ids))
    return {user_id for (user_id,) in rows}


@tk.chained_action
@tk.side_effect_free
def user_autocomplete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, without service accounts: they are no people to add to a unit."""
    result = up_func(context, data_dict)
    hidden = _service_user_ids([u["id"] for u in result if isinstance(u, dict) and "id" in u])
    return [u for u in result if not (isinstance(u, dict) and u.get("id") in hidden)]


@tk.chained_action
@tk.side_effect_free
def member_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, without service accounts among a unit's users: they are listed (and revoked)
    on the unit's 数据服务 page, not managed as staff."""
    result = up_func(context, data_dict)
    hidden = _service_user_ids([m[0] for m in result if m[1] == "user"])
    return [m for m in result if not (m[1] == "user" and m[0] in hidden)]
