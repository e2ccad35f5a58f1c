"""附件2 数据需求调研表: demands of the 填表单位, through ``yiyang_demand_create``.

A row whose requesting unit and 需求数据名称 match a demand already raised is that demand: when
its values are the same it is left as it is; a demand cannot be changed once raised (there is
no action for it), so a changed row is a problem that says so.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang import roles
from ckanext.yiyang.demand.logic import schema as demand_schema
from ckanext.yiyang.demand.model import Demand
from ckanext.yiyang.imports.common import (
    Planned,
    Units,
    check_lengths,
    choice,
    messages,
    no_unit_named,
    write_context,
)
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
                no_unit_named(sheet.unit)
                if sheet.unit
                else tk._("Choose the filling unit (the unit raising the demands) in row 2"),
            )
            return []
        context = {"user": user, "model": model, "session": model.Session}
        try:
            tk.check_access("yiyang_demand_create", dict(context), {})
            allowed = requester.id in roles.units_of(user) or roles.is_sysadmin(user)
        except tk.NotAuthorized:
            allowed = False
        if not allowed:
            report.add(
                sheet.name,
                2,
                "填表单位",
                tk._(
                    "You are not a user of the unit “{unit}”: you cannot raise demands on its "
                    "behalf"
                ).format(unit=requester.title),
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
                        tk._(
                            "There is no unit named “{unit}”: choose one from the drop-down "
                            "list or leave it blank"
                        ).format(unit=data["provider_org"]),
                    )
                elif provider.id == requester.id:
                    report.add(
                        sheet.name,
                        row.number,
                        sheet.label("provider_org"),
                        tk._("The providing unit must be another unit than the filling unit"),
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
                    tk._(
                        "The same demanded data as row {row}: a demand may appear only once "
                        "in a file"
                    ).format(row=seen[data["title"]]),
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
                    tk._(
                        "The unit has raised a demand of this name already, and an import "
                        "cannot change a raised demand: handle it on the demands page, or give "
                        "the demand a new name"
                    ),
                )
        return planned

    def write(self, user: str, planned: Planned) -> str:
        data = {k: v for k, v in planned.data.items() if v}
        result = tk.get_action("yiyang_demand_create")(write_context(user), data)
        # the demand itself, or (before actions returned their object alone) under "demand"
        demand = result.get("demand", result)
        return demand["id"]
