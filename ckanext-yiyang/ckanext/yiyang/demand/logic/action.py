"""Actions of demands (catalog-model §8). ``id`` is a demand's id.

Every action that changes a demand returns the demand (a comment: the comment); the notices
(``subscriptions.py``) are sent from that.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict, Schema

from ckanext.yiyang import roles
from ckanext.yiyang.demand import config, states, workflow
from ckanext.yiyang.demand.logic import schema
from ckanext.yiyang.demand.model import Demand, DemandComment
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.review import states as review_states
from ckanext.yiyang.review import workflow as review_workflow


def _user(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first"))
    return user


def _prepare(
    action: str, context: Context, data_dict: DataDict, schema: Schema
) -> tuple[Demand, dict[str, Any]]:
    """The demand and the validated data of ``action``, once the user may take it."""
    data = validate(data_dict, schema, context)
    demand = workflow.get_demand(data["id"])
    tk.check_access(f"yiyang_demand_{action}", context, data_dict)
    assert demand is not None
    return demand, data


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
    :returns: the demand
    :rtype: dict
    """
    tk.check_access("yiyang_demand_create", context, data_dict)
    data = validate(data_dict, schema.create(), context)
    user = _user(context)
    mine = roles.units_of(user.name)
    if data.get("requester_org"):
        requester = data["requester_org"]
        if requester not in mine and not roles.is_sysadmin(user.name):
            raise tk.ValidationError(
                {"requester_org": [tk._("You can raise demands only for your own unit")]}
            )
    elif len(mine) == 1:
        requester = mine[0]
    else:
        raise tk.ValidationError({"requester_org": [tk._("Choose the requesting unit")]})
    provider = data.get("provider_org")
    if provider == requester:
        raise tk.ValidationError(
            {"provider_org": [tk._("The providing unit is another unit than yours")]}
        )
    now = datetime.datetime.utcnow()
    demand = Demand(
        title=data["title"],
        provider_org=provider,
        requester_org=requester,
        requester_user=user.id,
        content=data["content"],
        purpose=data["purpose"],
        update_frequency=data["update_frequency"],
        status=states.SUBMITTED,
        created=now,
        modified=now,
        **workflow.due(now),
    )
    model.Session.add(demand)
    model.Session.flush()
    transaction.commit(context)
    return workflow.dictize(demand)


@tk.side_effect_free
def yiyang_demand_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A demand with its comments. The requesting and the providing unit's members,
    reviewers, sysadmins.

    :param id: the demand's id
    :type id: string
    :rtype: dict (``title, provider, requester, content, purpose, update_frequency, status,
        due_date, provisional_due, overdue, dataset, reason, comments`` …)
    """
    demand, _data = _prepare("show", context, data_dict, schema.demand())
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
    :rtype: ``{"count", "answer_days", "results": [demand, …]}`` (``count``: all that match)
    """
    tk.check_access("yiyang_demand_list", context, data_dict)
    data = validate(data_dict, schema.demand_list(), context)
    user = context.get("user")
    role, status = data["role"], data["status"]
    query = model.Session.query(Demand)
    reviewer = roles.is_reviewer(user)
    units = roles.units_of(user)
    if role == "requested":
        query = query.filter(Demand.requester_org.in_(units))
    elif role == "provided":
        query = query.filter(Demand.provider_org.in_(units))
    elif role == "unrouted":
        query = query.filter(Demand.provider_org.is_(None))
    if not reviewer:
        query = query.filter(Demand.requester_org.in_(units) | Demand.provider_org.in_(units))
    if status == states.OPEN_FILTER:
        query = query.filter(Demand.status.in_(states.OPEN))
    elif status != states.ALL:
        query = query.filter(Demand.status == status)
    count = query.count()
    rows = (
        query.order_by(Demand.created.desc(), Demand.id)
        .limit(data["limit"])
        .offset(data["offset"])
        .all()
    )
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
    :returns: the demand
    :rtype: dict
    """
    demand, data = _prepare("route", context, data_dict, schema.route())
    workflow.check(demand, "route")
    if data["provider_org"] == demand.requester_org:
        raise tk.ValidationError(
            {"provider_org": [tk._("The providing unit is another unit than yours")]}
        )
    workflow.transition(
        context,
        demand,
        "route",
        provider_org=data["provider_org"],
        **workflow.due(datetime.datetime.utcnow()),
    )
    return workflow.dictize(demand)


def yiyang_demand_accept(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept a submitted demand (受理). The providing unit's editors and admins.

    :param id: the demand's id
    :type id: string
    :returns: the demand
    :rtype: dict
    """
    demand, _data = _prepare("accept", context, data_dict, schema.demand())
    workflow.check(demand, "accept")
    return workflow.dictize(workflow.transition(context, demand, "accept"))


def yiyang_demand_fulfil(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Fulfil an accepted demand with an existing catalog entry. The entry must be published,
    one the fulfilling user may see (else it is "not found", as one that does not exist) and
    one the requesting user may see: a demand is not met by what the requester cannot open.
    The providing unit's editors and admins.

    :param id: the demand's id
    :type id: string
    :param dataset_id: the entry's id or name
    :type dataset_id: string
    :returns: the demand
    :rtype: dict
    """
    demand, data = _prepare("fulfil", context, data_dict, schema.fulfil())
    workflow.check(demand, "fulfil")
    package = _nameable_entry(context, data["dataset_id"])
    if review_workflow.status_of(package) != review_states.PUBLISHED:
        raise tk.ValidationError(
            {"dataset_id": [tk._("Only a published entry meets a demand: publish it first")]}
        )
    requester = model.User.get(demand.requester_user)
    try:
        tk.check_access(
            "package_show", {"user": requester.name if requester else None}, {"id": package.id}
        )
    except tk.NotAuthorized:
        raise tk.ValidationError(
            {"dataset_id": [tk._("The requester cannot see this entry: publish it first")]}
        ) from None
    workflow.transition(context, demand, "fulfil", dataset_id=package.id)
    return workflow.dictize(demand)


def _nameable_entry(context: Context, id_or_name: str) -> model.Package:
    """The entry ``id_or_name`` if the acting user may see it. An entry that does not exist
    and one the user may not see get the same answer: a guessed id, name or code tells
    nothing of another unit's unpublished entries."""
    package = model.Package.get(id_or_name)
    missing = tk.ValidationError({"dataset_id": [tk._("Catalog entry not found")]})
    if package is None or package.state != "active" or package.type != "dataset":
        raise missing
    try:
        tk.check_access("package_show", {"user": context.get("user")}, {"id": package.id})
    except tk.NotAuthorized:
        raise missing from None
    return package


def yiyang_demand_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Answer that the demand cannot be met (不予满足), with the reason; from submitted or
    accepted. The providing unit's editors and admins.

    :param id: the demand's id
    :type id: string
    :param reason: why (required)
    :type reason: string
    :returns: the demand
    :rtype: dict
    """
    demand, data = _prepare("reject", context, data_dict, schema.reject())
    workflow.check(demand, "reject")
    workflow.transition(context, demand, "reject", reason=data["reason"])
    return workflow.dictize(demand)


def yiyang_demand_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Close a demand in any state but closed. The requesting unit's members, reviewers.

    :param id: the demand's id
    :type id: string
    :param reason: why (optional)
    :type reason: string
    :returns: the demand
    :rtype: dict
    """
    demand, data = _prepare("close", context, data_dict, schema.close())
    workflow.check(demand, "close")
    reason = {"reason": data["reason"]} if data.get("reason") else {}
    workflow.transition(context, demand, "close", **reason)
    return workflow.dictize(demand)


def yiyang_demand_comment(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comment on a demand. The requesting and the providing unit's members, reviewers.

    :param id: the demand's id
    :type id: string
    :param body: the comment (required)
    :type body: string
    :returns: the comment: ``{id, demand_id, user, body, created}``
    :rtype: dict
    """
    demand, data = _prepare("comment", context, data_dict, schema.comment())
    user = _user(context)
    comment = DemandComment(demand_id=demand.id, user_id=user.id, body=data["body"])
    model.Session.add(comment)
    demand.modified = datetime.datetime.utcnow()
    model.Session.flush()
    transaction.commit(context)
    return {
        "id": comment.id,
        "demand_id": demand.id,
        "user": user.name,
        "body": comment.body,
        "created": comment.created.isoformat(),
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
    data = validate(data_dict, schema.suggest(), context)
    q, limit = " ".join(data["q"].split()), data["limit"]
    if not q:
        return []
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
        if entry.get("review_status") != review_states.PUBLISHED:
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
