"""The action of the progress view (督促检查, catalog-model §10)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict
from sqlalchemy.dialects.postgresql import insert

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.logic.transaction import commit
from ckanext.yiyang.progress import config, phases, report
from ckanext.yiyang.progress.logic import schema
from ckanext.yiyang.progress.model import ProgressPhase


@tk.side_effect_free
def yiyang_progress_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The progress of each unit against the notice's schedule, and the city's totals.

    Reviewers (the e-government office) and sysadmins get every unit of 附件1 (the office
    itself left out); a unit's admins get their own unit's row only (``scope`` ``own``).

    Per unit: ``entries`` (registered, any state), ``draft``, ``submitted``, ``returned``,
    ``published``, ``withdrawn`` (by review state), ``changes_submitted`` (changes of
    published entries waiting for review), ``review_overdue`` (submissions and changes waiting
    longer than ``ckanext.yiyang.review_overdue_days`` working days), ``demands_pending`` /
    ``demands_overdue`` (open demands addressed to the unit / past their due date),
    ``demands_filed`` (open demands the unit filed), ``applications_pending`` /
    ``applications_overdue`` (applications for its entries waiting for its decision / past
    their due date), ``last_activity`` (the latest change to its entries, their review, its
    demands and applications, either side; UTC) and ``last_activity_date`` (its Chinese date),
    ``contacts_missing`` (roles of 附件4 not named), ``milestones`` (one per phase that judges
    units: ``phase``, ``deadline``, ``status`` ``met`` / ``missed`` / ``upcoming``,
    ``problems``, ``reason``), ``behind`` (a milestone missed), ``missed``, ``behind_reasons``
    and ``overdue`` (some work is overdue).

    :param behind: only the units behind schedule (default false)
    :type behind: bool
    :param limit: how many rows (default 500, at most 10,000)
    :type limit: int
    :param offset: how many rows to skip (default 0)
    :type offset: int
    :param sort: ``order`` (the notice's order of 附件1, default), ``title`` (pinyin order),
        one of the counts above, ``last_activity`` or ``behind`` (missed milestones)
    :type sort: string
    :param dir: ``asc`` (default) or ``desc``; ties keep the notice's order
    :type dir: string
    :rtype: ``{"today", "scope", "sort", "dir", "overdue_after", "phases": [{key, title,
        deadline, status, rule, judges_units}], "current_phase", "count" (the rows that match),
        "results": [row, …] (those of the page),
        "groups": [{code, title, units, units_behind, <counts>}], "totals": {<counts>,
        units, units_behind, units_on_schedule, last_activity, demands_unrouted?,
        demands_unrouted_overdue?}}``
    """
    tk.check_access("yiyang_progress_list", context, data_dict)
    data = validate(data_dict, schema.progress_list(), context)
    built = report.build(
        units=roles.visible_units(context.get("user"), "admin"),
        today=workdays.today(),
        sort=data.get("sort") or "order",
        direction=data.get("dir") or "asc",
    )
    rows = built.pop("units")
    if data["behind"]:
        rows = [row for row in rows if row["behind"]]
    start = data["offset"]
    built.update(
        behind_only=data["behind"],
        count=len(rows),
        results=rows[start : start + data["limit"]],
    )
    return built


def yiyang_progress_phase_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set the deadlines of the current round's phases (the notice's 时间安排 for a new round:
    the 2015–16 dates of the configuration make every unit behind schedule today).

    A phase not given keeps its deadline; an empty one leaves the phase out of the schedule.
    The deadlines given must follow the phases' order.

    :param preparation: last day of 准备阶段 (YYYY-MM-DD)
    :type preparation: string
    :param report: last day of 填报调查表报送
    :type report: string
    :param review: last day of 会审意见反馈
    :type review: string
    :param sorting: last day of 目录梳理
    :type sorting: string
    :param platform: last day of 共享平台建设
    :type platform: string
    :param launch: last day of 上线与目录出版
    :type launch: string
    :rtype: ``{"phases": [{key, title, deadline}]}``, the schedule now
    """
    tk.check_access("yiyang_progress_phase_update", context, data_dict)
    # the stored dates first, so that the order is checked against the whole schedule
    current: dict[str, Any] = {key: day for key, day in phases.deadlines().items()}
    given = {key: data_dict[key] for key in config.PHASES if key in data_dict}
    merged = {**{k: v.isoformat() for k, v in current.items()}, **given}
    data = validate(merged, schema.phase_update(), context)
    user = model.User.get(context.get("user") or "")
    now = datetime.datetime.utcnow()
    rows = [
        {
            "phase": key,
            "deadline": data.get(key),
            "modified": now,
            "modified_by": user.id if user else "",
        }
        for key in given
    ]
    if rows:
        # one statement: of two offices saving at once, each phase keeps one of the two dates
        statement = insert(ProgressPhase).values(rows)
        model.Session.execute(
            statement.on_conflict_do_update(
                index_elements=[ProgressPhase.phase],
                set_={
                    key: statement.excluded[key] for key in ("deadline", "modified", "modified_by")
                },
            )
        )
    commit(context)
    return {
        "phases": [
            {
                "key": phase.key,
                "title": phases.phase_title(phase.key),
                "deadline": phase.deadline.isoformat(),
            }
            for phase in phases.schedule()
        ]
    }
