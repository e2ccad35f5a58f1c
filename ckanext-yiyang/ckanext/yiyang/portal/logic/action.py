"""Actions of the portal: the home page's statistics and the office's notices."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.yiyang.logic import schema as common
from ckanext.yiyang.logic.transaction import commit
from ckanext.yiyang.portal import stats
from ckanext.yiyang.portal.logic import schema
from ckanext.yiyang.portal.model import ACTIVE, DELETED, Notice


def _lang() -> str:
    try:
        return tk.h.lang() or tk.config["ckan.locale_default"]
    except (RuntimeError, AttributeError):  # outside a request
        return tk.config["ckan.locale_default"]


@tk.side_effect_free
def yiyang_portal_stats_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The statistics of the home page: published entries the caller may see (catalog-model
    §6; an anonymous visitor's figures count what the public sees), kept for
    ``ckanext.yiyang.portal.stats_cache_seconds`` seconds per viewer.

    Takes no parameters.

    :rtype: ``{"total", "by_class": [{code, label, count, children: [{code, label, count}]}],
        "by_unit": [{name, title, count}] (the ten with most entries), "units_with_entries",
        "shared", "unconditional", "conditional", "open": {count, percent}, "month" (YYYY-MM),
        "published_this_month", "latest": [entry], "most_applied": [entry + applications]}``;
        an entry is ``{id, name, title, resource_code, release_date, unit, unit_name}``
    """
    tk.check_access("yiyang_portal_stats_show", context, data_dict)
    user = context.get("user") or None
    lang = _lang()
    return stats.kept(user, lang, lambda: stats.compute(user, lang))


@tk.side_effect_free
def yiyang_notice_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The office's notices, newest first.

    :param limit: how many (default 5, at most 100)
    :type limit: int
    :param offset: how many to skip (default 0)
    :type offset: int
    :rtype: ``{"count", "results": [{id, title, body, author_id, author, state, created}]}``
    """
    tk.check_access("yiyang_notice_list", context, data_dict)
    data = common.validate(data_dict, schema.notice_list(), context)
    query = model.Session.query(Notice).filter(Notice.state == ACTIVE)
    count = query.count()
    found = (
        query.order_by(Notice.created.desc(), Notice.id)
        .offset(data["offset"])
        .limit(data["limit"])
        .all()
    )
    authors = {
        user.id: user.fullname or user.name
        for user in model.Session.query(model.User).filter(
            model.User.id.in_({n.author_id for n in found})
        )
    }
    return {
        "count": count,
        "results": [{**n.as_dict(), "author": authors.get(n.author_id, "")} for n in found],
    }


def yiyang_notice_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a notice of the e-government office on the home page.

    :param title: the notice's title
    :type title: string
    :param body: its text (plain text; paragraphs by blank lines)
    :type body: string
    :rtype: the notice
    """
    tk.check_access("yiyang_notice_create", context, data_dict)
    data = common.validate(data_dict, schema.notice_create(), context)
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("Only the e-government office publishes notices"))
    notice = Notice(title=data["title"], body=data["body"], author_id=user.id)
    model.Session.add(notice)
    model.Session.flush()
    commit(context)
    return {**notice.as_dict(), "author": user.fullname or user.name}


def yiyang_notice_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a notice off the home page (it is kept, marked deleted).

    :param id: the notice's id
    :type id: string
    :rtype: ``{"id", "state": "deleted"}``
    """
    tk.check_access("yiyang_notice_delete", context, data_dict)
    data = common.validate(data_dict, schema.notice_delete(), context)
    # one conditional UPDATE: of two deletions at once, one deletes and the other is told
    done = model.Session.execute(
        sa.update(Notice)
        .where(Notice.id == data["id"], Notice.state == ACTIVE)
        .values(state=DELETED)
    )
    if not done.rowcount:
        raise tk.ObjectNotFound(tk._("No such notice, or it was deleted already"))
    commit(context)
    return {"id": data["id"], "state": DELETED}
