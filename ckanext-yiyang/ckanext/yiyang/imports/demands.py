"""附件2 数据需求调研表: demands of the 填表单位, through ``yiyang_demand_create``.

A row whose requesting unit and 需求数据名称 match a demand already raised is that demand: when
its values are the same it is left as it is; a demand cannot be changed once raised (there is
no action for it), so a changed row is a problem that says so.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import authz, model

from ckanext.yiyang.demand.logic import schema as demand_schema
from ckanext.yiyang.demand.model import Demand, DemandComment
from ckanext.yiyang.imports.common import Planned, Units, check_lengths, messages
from ckanext.yiyang.imports.entries import choice
from ckanext.yiyang.imports.reader import Sheet, read_sheet
from ckanext.yiyang.imports.report import ImportReport
from ckanext.yiyang.survey.layout import DEMAND_COLUMNS

SHEET = "数据需求调研表"
FIELDS = ("title", "provider_org", "content", "purpose", "update_frequency")


class Demands:
    kind = "demands"
    sheets = (SHEET,)

    def __init__(self, book: Any, max_rows: int, on_row: Any = None) -> None:
        self.sheet: Sheet = read_sheet(book, SHEET, DEMAND_COLUMNS, max_rows, ("title",), on_row)

    @property
    def rows(self) -> int:
        return len(self.sheet.rows)

    def plan(self, user: str, report: ImportReport, progress: Any) -> list[Planned]:
        sheet = self.sheet
        units = Units()
        requester = units.get(sheet.unit) if sheet.unit else None
        if requester is None:
            report.add(
                sheet.name,
                2,
                "填表单位",
                f"没有名为“{sheet.unit}”的单位，请从下拉列表中选择"
                if sheet.unit
                else "请在第2行选择填表单位（提出需求的单位）",
            )
            return []
        user_obj = model.User.get(user)
        mine = user_obj.get_group_ids(group_type="organization", capacity=None) if user_obj else []
        context = {"user": user, "model": model, "session": model.Session}
        try:
            tk.check_access("yiyang_demand_create", dict(context), {})
            allowed = requester.id in mine or authz.is_sysadmin(user)
        except tk.NotAuthorized:
            allowed = False
        if not allowed:
            report.add(
                sheet.name,
                2,
                "填表单位",
                f"您不是单位“{requester.title}”的用户，不能以它的名义提出数据需求",
            )
            return []
        planned: list[Planned] = []
        seen: dict[str, int] = {}
        for index, row in enumerate(sheet.rows, start=1):
            progress(index)
            before = len(report.problems)
            check_lengths(sheet, row, report)
            data: dict[str, Any] = {k: row.values.get(k, "") for k in FIELDS}
            frequency = choice(sheet, row, "update_frequency", "update_cycle", report)
            data["update_frequency"] = frequency or ""
            provider = None
            if data["provider_org"]:
                provider = units.get(data["provider_org"])
                if provider is None:
                    report.add(
                        sheet.name,
                        row.number,
                        sheet.label("provider_org"),
                        f"没有名为“{data['provider_org']}”的单位，请从下拉列表中选择或不填",
                    )
                elif provider.id == requester.id:
                    report.add(
                        sheet.name,
                        row.number,
                        sheet.label("provider_org"),
                        "数据提供单位应是填表单位以外的单位",
                    )
            data["provider_org"] = provider.id if provider else ""
            data["requester_org"] = requester.id
            _valid, errors = tk.navl_validate(
                {k: v for k, v in data.items() if v}, demand_schema.create(), dict(context)
            )
            for field, value in errors.items():
                for message in messages(value):
                    report.add(sheet.name, row.number, sheet.label(field), message)
            if data["title"] in seen:
                report.add(
                    sheet.name,
                    row.number,
                    sheet.label("title"),
                    f"与第{seen[data['title']]}行的需求数据名称相同，一个文件中只能出现一次",
                )
            seen.setdefault(data["title"], row.number)
            if len(report.problems) > before:
                continue
            existing = (
                model.Session.query(Demand)
                .filter(Demand.requester_org == requester.id, Demand.title == data["title"])
                .order_by(Demand.created.desc())
                .first()
            )
            if existing is None:
                planned.append(Planned(sheet.name, row.number, data["title"], "create", data))
            elif all(
                (getattr(existing, k) or "") == (data[k] or "")
                for k in ("provider_org", "content", "purpose", "update_frequency")
            ):
                planned.append(
                    Planned(
                        sheet.name,
                        row.number,
                        data["title"],
                        "unchanged",
                        data,
                        existing.id,
                        existing.id,
                    )
                )
            else:
                report.add(
                    sheet.name,
                    row.number,
                    sheet.label("title"),
                    "本单位已提出过同名的数据需求，已提出的需求不能通过导入修改；"
                    "请在“资源需求”页面中处理，或改用新的需求数据名称",
                )
        return planned

    def write(self, user: str, planned: Planned, journal: list[Any]) -> str:
        data = {k: v for k, v in planned.data.items() if v}
        result = tk.get_action("yiyang_demand_create")({"user": user}, data)
        demand_id = result["demand"]["id"]
        journal.append(("demand_created", demand_id))
        return demand_id


def undo(step: tuple[Any, ...]) -> None:
    if step[0] != "demand_created":
        return
    demand_id = step[1]
    model.Session.query(DemandComment).filter(DemandComment.demand_id == demand_id).delete()
    model.Session.query(Demand).filter(Demand.id == demand_id).delete()
    # its notices: the demand they point at does not exist any more
    model.Session.execute(
        sa.text("DELETE FROM yiyang_notification WHERE object_id = :id"), {"id": demand_id}
    )
    model.Session.commit()
