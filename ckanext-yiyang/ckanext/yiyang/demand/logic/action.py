"""Actions of demands (catalog-model §8). ``id`` is a demand's id.

Every action that changes a demand returns ``{"demand": the demand, "actor": the user's id}``:
the notices (``subscriptions.py``) are sent from that.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.demand import config, helpers, workflow
from ckanext.yiyang.demand.logic import schema as demand_schema
from ckanext.yiyang.demand.model import Demand, DemandComment


def _text(data_dict: DataDict, key: str) -> str:
    return str(data_dict.get(key) or "").strip()


def _user(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first"))
    return user


def _unit(name_or_id: str, field: str) -> model.Group:
    group = model.Group.get(name_or_id)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError({field: [tk._("Unknown unit")]})
    return group


def _result(context: Context, demand: Demand) -> dict[str, Any]:
    return {"demand": workflow.dictize(demand), "actor": _user(context).id}


def _save(demand: Demand) -> None:
    demand.modified = datetime.datetime.utcnow()
    model.Session.add(demand)
    model.Session.commit()


def _require_state(demand: Demand, allowed: tuple[str, ...]) -> None:
    if demand.status not in allowed:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("Not possible while the demand is: {status}").format(
                        status=helpers.yiyang_demand_status_label(demand.status)
                    )
                ]
            }
        )


def yiyang_demand_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Raise a demand (填写数据需求调研表) on behalf of one's unit. Without ``provider_org`` the
    e-government office routes it. The answer is due ``ckanext.yiyang.demand.answer_days``
    working days later. Members of a unit.

    :param title: 需求数据名称
    :type title: string
    :param provider_org: 数据提供单位, a unit's id or name (optional)
    :type provider_org: string
    :param content: 数据需求内容
    :type content: string
    :param purpose: 用途
    :type purpose: string
    :param update_frequency: 数据更新频率要求, one of the catalog's update cycles
        (``realtime``, ``daily``, ``weekly``, ``monthly``, ``quarterly``, ``semiannual``,
        ``annual``, ``irregular``)
    :type update_frequency: string
    :param requester_org: the requesting unit (optional when the user belongs to one unit only)
    :type requester_org: string
    :returns: ``{"demand": …, "actor": …}``
    :rtype: dict
    """
    tk.check_access("yiyang_demand_create", context, data_dict)
    data, errors = tk.navl_validate(dict(data_dict), demand_schema.create(), context)
    if errors:
        raise tk.ValidationError(errors)
    user = _user(context)
    mine = workflow.units_of(user.name)
    if data.get("requester_org"):
        requester = _unit(data["requester_org"], "requester_org")
        if requester.id not in mine and not user.sysadmin:
            raise tk.ValidationError(
                {"requester_org": [tk._("You can raise demands only for your own unit")]}
            )
    elif len(mine) == 1:
        requester = _unit(mine[0], "requester_org")
    else:
        raise tk.ValidationError({"requester_org": [tk._("Choose the requesting unit")]})
    provider = _unit(data["provider_org"], "provider_org") if data.get("provider_org") else None
    if provider is not None and provider.id == requester.id:
        raise tk.ValidationError(
            {"provider_org": [tk._("The providing unit is another unit than yours")]}
        )
    now = datetime.datetime.utcnow()
    demand = Demand(
        title=data["title"],
        provider_org=provider.id if provider else None,
        requester_org=requester.id,
        requester_user=user.id,
        content=data["content"],
        purpose=data["purpose"],
        update_frequency=data["update_frequency"],
        status=workflow.SUBMITTED,
        created=now,
        modified=now,
    )
    workflow.set_due(demand, now)
    _save(demand)
    return _result(context, demand)


@tk.side_effect_free
def yiyang_demand_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A demand with its comments. The requesting and the providing unit's members,
    reviewers, sysadmins.

    :param id: the demand's id
    :type id: string
    :rtype: dict (``title, provider, requester, content, purpose, update_frequency, status,
        due_date, provisional_due, overdue, dataset, reason, comments`` …)
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_show", context, data_dict)
    assert demand is not None
    return workflow.dictize(demand, comments=True)


@tk.side_effect_free
def yiyang_demand_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Demands the user may see, newest first, with their due dates and overdue marking.
    Logged-in users (the demands of their units; reviewers: all).

    :param role: ``requested`` (raised by the user's units), ``provided`` (to be answered by
        them: the providing unit's queue), ``unrouted`` (without a provider: the office's
        queue) or ``all`` (default)
    :type role: string
    :param status: one state (``submitted``, ``accepted``, ``fulfilled``, ``rejected``,
        ``closed``), ``open`` (submitted or accepted) or ``all`` (default)
    :type status: string
    :param limit: at most this many (default 50, at most 500)
    :type limit: int
    :param offset: skip this many (default 0)
    :type offset: int
    :rtype: ``{"count", "answer_days", "results": [demand, …]}``
    """
    tk.check_access("yiyang_demand_list", context, data_dict)
    user = context.get("user")
    role = _text(data_dict, "role") or "all"
    status = _text(data_dict, "status") or "all"
    if role not in ("requested", "provided", "unrouted", "all"):
        raise tk.ValidationError({"role": [tk._("Unknown role")]})
    if status not in (*workflow.STATES, "open", "all"):
        raise tk.ValidationError({"status": [tk._("Unknown state")]})
    try:
        limit = min(int(data_dict.get("limit") or 50), 500)
        offset = max(int(data_dict.get("offset") or 0), 0)
    except ValueError:
        raise tk.ValidationError({"limit": [tk._("Must be a whole number")]}) from None
    query = model.Session.query(Demand)
    reviewer = roles.is_reviewer(user)
    units = workflow.units_of(user)
    if role == "requested":
        query = query.filter(Demand.requester_org.in_(units))
    elif role == "provided":
        query = query.filter(Demand.provider_org.in_(units))
    elif role == "unrouted":
        query = query.filter(Demand.provider_org.is_(None))
    if not reviewer:
        query = query.filter(Demand.requester_org.in_(units) | Demand.provider_org.in_(units))
    if status == "open":
        query = query.filter(Demand.status.in_(workflow.OPEN))
    elif status != "all":
        query = query.filter(Demand.status == status)
    count = query.count()
    rows = query.order_by(Demand.created.desc()).limit(limit).offset(offset).all()
    return {
        "count": count,
        "answer_days": config.answer_days(),
        "results": [workflow.dictize(d) for d in rows],
    }


def yiyang_demand_route(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Name the providing unit of a demand that has none (or change it, while it waits to be
    accepted); the due date runs again from now. Reviewers only.

    :param id: the demand's id
    :type id: string
    :param provider_org: the providing unit's id or name
    :type provider_org: string
    :returns: ``{"demand": …, "actor": …}``
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_route", context, data_dict)
    assert demand is not None
    _require_state(demand, (workflow.SUBMITTED,))
    if not _text(data_dict, "provider_org"):
        raise tk.ValidationError({"provider_org": [tk._("Missing value")]})
    provider = _unit(_text(data_dict, "provider_org"), "provider_org")
    if provider.id == demand.requester_org:
        raise tk.ValidationError(
            {"provider_org": [tk._("The providing unit is another unit than yours")]}
        )
    demand.provider_org = provider.id
    workflow.set_due(demand, datetime.datetime.utcnow())
    _save(demand)
    return _result(context, demand)


def yiyang_demand_accept(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept a submitted demand (受理). The providing unit's editors and admins.

    :param id: the demand's id
    :type id: string
    :returns: ``{"demand": …, "actor": …}``
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_accept", context, data_dict)
    assert demand is not None
    _require_state(demand, (workflow.SUBMITTED,))
    demand.status = workflow.ACCEPTED
    _save(demand)
    return _result(context, demand)


def yiyang_demand_fulfil(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Fulfil an accepted demand with an existing catalog entry. The entry must be one the
    requesting user may see (a published entry open to government, or one of the requester's
    unit): a demand is not met by what the requester cannot open. The providing unit's editors
    and admins.

    :param id: the demand's id
    :type id: string
    :param dataset_id: the entry's id or name
    :type dataset_id: string
    :returns: ``{"demand": …, "actor": …}``
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_fulfil", context, data_dict)
    assert demand is not None
    _require_state(demand, (workflow.ACCEPTED,))
    wanted = _text(data_dict, "dataset_id")
    if not wanted:
        raise tk.ValidationError({"dataset_id": [tk._("Name the entry that meets the demand")]})
    package = model.Package.get(wanted)
    if package is None or package.state != "active" or package.type != "dataset":
        raise tk.ValidationError({"dataset_id": [tk._("Catalog entry not found")]})
    requester = model.User.get(demand.requester_user)
    try:
        tk.check_access(
            "package_show", {"user": requester.name if requester else None}, {"id": package.id}
        )
    except tk.NotAuthorized:
        raise tk.ValidationError(
            {"dataset_id": [tk._("The requester cannot see this entry: publish it first")]}
        ) from None
    demand.dataset_id = package.id
    demand.status = workflow.FULFILLED
    _save(demand)
    return _result(context, demand)


def yiyang_demand_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answer that the demand cannot be met (不予满足), with the reason; from submitted or
    accepted. The providing unit's editors and admins.

    :param id: the demand's id
    :type id: string
    :param reason: why (required)
    :type reason: string
    :returns: ``{"demand": …, "actor": …}``
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_reject", context, data_dict)
    assert demand is not None
    _require_state(demand, workflow.OPEN)
    reason = _text(data_dict, "reason")
    if not reason:
        raise tk.ValidationError(
            {"reason": [tk._("Give the reason why the demand cannot be met")]}
        )
    demand.reason = reason
    demand.status = workflow.REJECTED
    _save(demand)
    return _result(context, demand)


def yiyang_demand_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Close a demand in any state but closed. The requesting unit's members, reviewers.

    :param id: the demand's id
    :type id: string
    :param reason: why (optional)
    :type reason: string
    :returns: ``{"demand": …, "actor": …}``
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_close", context, data_dict)
    assert demand is not None
    _require_state(demand, tuple(s for s in workflow.STATES if s != workflow.CLOSED))
    if _text(data_dict, "reason"):
        demand.reason = _text(data_dict, "reason")
    demand.status = workflow.CLOSED
    _save(demand)
    return _result(context, demand)


def yiyang_demand_comment(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comment on a demand. The requesting and the providing unit's members, reviewers.

    :param id: the demand's id
    :type id: string
    :param body: the comment (required)
    :type body: string
    :returns: ``{"demand": …, "actor": …, "comment": {id, user, body, created}}``
    """
    demand = workflow.get_demand(_text(data_dict, "id"))
    tk.check_access("yiyang_demand_comment", context, data_dict)
    assert demand is not None
    body = _text(data_dict, "body")
    if not body:
        raise tk.ValidationError({"body": [tk._("Missing value")]})
    user = _user(context)
    comment = DemandComment(demand_id=demand.id, user_id=user.id, body=body)
    model.Session.add(comment)
    model.Session.flush()
    _save(demand)
    return {
        **_result(context, demand),
        "comment": {
            "id": comment.id,
            "user": user.name,
            "body": body,
            "created": comment.created.isoformat(),
        },
    }


def _search_terms(text: str, most: int = 40) -> list[str]:
    """The words of a text as search terms. A run of Chinese characters has no spaces: the
    search would take it as one phrase, so it is cut into its overlapping two-character words
    (户籍人口 → 户籍 籍人 人口). Solr's syntax characters are dropped."""
    terms: list[str] = []
    for chunk in re.findall(r"\w+", text):
        if _CJK.search(chunk) and len(chunk) > 2:
            terms.extend(chunk[i : i + 2] for i in range(len(chunk) - 1))
        else:
            terms.append(chunk)
    return list(dict.fromkeys(terms))[:most]


_CJK = re.compile(r"[\u4e00-\u9fff]")


@tk.side_effect_free
def yiyang_demand_suggest(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Published catalog entries that may already meet a demand, from the catalog's search run
    as the caller (so it never shows what the caller may not see). Logged-in users.

    :param q: the words of the demand (its title and content)
    :type q: string
    :param limit: at most this many (default ``ckanext.yiyang.demand.suggest_max``)
    :type limit: int
    :rtype: list of ``{id, name, title, organization, notes}``
    """
    tk.check_access("yiyang_demand_suggest", context, data_dict)
    q = " ".join(_text(data_dict, "q").split())
    if not q:
        return []
    try:
        limit = min(int(data_dict.get("limit") or config.suggest_max()), 20)
    except ValueError:
        raise tk.ValidationError({"limit": [tk._("Must be a whole number")]}) from None
    terms = _search_terms(q)
    if not terms:
        return []
    result = tk.get_action("package_search")(
        {"user": context.get("user")},
        {
            "q": " ".join(terms),
            # A demand's words are many and loosely put: a third of them is a match, best first.
            "mm": "30%",
            "fq": "+dataset_type:dataset",
            "rows": limit * 3,
            "include_private": True,
        },
    )
    found = []
    for entry in result["results"]:
        # Only what is in the catalog: a unit's own drafts do not meet a demand.
        if entry.get("review_status") != "published":
            continue
        found.append(
            {
                "id": entry["id"],
                "name": entry["name"],
                "title": entry["title"],
                "organization": (entry.get("organization") or {}).get("title", ""),
                "notes": (entry.get("notes") or "")[:200],
            }
        )
    return found[:limit]
