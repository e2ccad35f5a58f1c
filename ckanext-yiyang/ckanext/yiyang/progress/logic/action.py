"""The action of the progress view (督促检查, catalog-model §10)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.progress import report
from ckanext.yiyang.progress.logic import schema


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

    :param sort: ``order`` (the notice's order of 附件1, default), ``title`` (pinyin order),
        one of the counts above, ``last_activity`` or ``behind`` (missed milestones)
    :type sort: string
    :param dir: ``asc`` (default) or ``desc``; ties keep the notice's order
    :type dir: string
    :rtype: ``{"today", "scope", "sort", "dir", "overdue_after", "phases": [{key, title,
        deadline, status, rule, judges_units}], "current_phase", "count", "units": [row, …],
        "groups": [{code, title, units, units_behind, <counts>}], "totals": {<counts>,
        units, units_behind, units_on_schedule, last_activity, demands_unrouted?,
        demands_unrouted_overdue?}}``
    """
    tk.check_access("yiyang_progress_list", context, data_dict)
    data, errors = tk.navl_validate(dict(data_dict), schema.progress_list(), context)
    if errors:
        raise tk.ValidationError(errors)
    return report.build(
        units=roles.visible_units(context.get("user"), "admin"),
        today=workdays.today(),
        sort=data.get("sort") or "order",
        direction=data.get("dir") or "asc",
    )
