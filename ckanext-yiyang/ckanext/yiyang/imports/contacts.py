"""附件4 分管负责人及联络人名单: the three contacts of the unit named in row 2, written by
``organization_patch`` (the unit's fields ``leader``, ``business_contact``, ``it_contact``,
checked by the same validator as the unit's form). A role whose row is left blank keeps what
the unit has."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang.imports.common import (
    Planned,
    Units,
    check_lengths,
    messages,
    no_unit_named,
    write_context,
)
from ckanext.yiyang.imports.reader import Sheet, read_sheet
from ckanext.yiyang.imports.report import ImportReport
from ckanext.yiyang.survey.layout import CONTACT_COLUMNS, CONTACT_FIELDS, contact_roles

SHEET = "分管负责人及联络人名单"
PARTS = ("name", "position", "office_phone", "mobile", "email")


def _stored(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            value = {}
    if not isinstance(value, dict):
        return {}
    return {k: str(v) for k, v in value.items() if k in PARTS and v}


class Contacts:
    kind = "contacts"
    sheets = (SHEET,)

    def __init__(self, book: Any, max_rows: int, on_row: Any = None) -> None:
        self.sheet: Sheet = read_sheet(book, SHEET, CONTACT_COLUMNS, max_rows, ("role",), on_row)

    @property
    def rows(self) -> int:
        return len([r for r in self.sheet.rows if r.values.keys() - {"role"}])

    def plan(self, user: str, report: ImportReport, progress: Any) -> list[Planned]:
        sheet = self.sheet
        unit = Units().get(sheet.unit) if sheet.unit else None
        if unit is None:
            report.add(
                sheet.name,
                2,
                "单位名称",
                no_unit_named(sheet.unit) if sheet.unit else tk._("Choose the unit in row 2"),
            )
            return []
        context = {"user": user, "model": model, "session": model.Session}
        try:
            tk.check_access("organization_patch", dict(context), {"id": unit.id})
        except tk.NotAuthorized:
            report.add(
                sheet.name,
                2,
                "单位名称",
                tk._(
                    "You are not an admin of the unit “{unit}”: you cannot change its contacts"
                ).format(unit=unit.title),
            )
            return []
        contacts: dict[str, dict[str, str]] = {}
        rows: dict[str, int] = {}
        for index, row in enumerate(sheet.rows, start=1):
            progress(index)
            role = self._role(row.number, row.values.get("role", ""))
            parts = {k: row.values[k] for k in PARTS if row.values.get(k)}
            if role is None:
                if parts:
                    report.add(
                        sheet.name,
                        row.number,
                        "",
                        tk._(
                            "Cannot tell which contact this row is: the first column must be "
                            "the leader in charge, the business contact or the IT contact"
                        ),
                    )
                continue
            if not check_lengths(sheet, row, report) or not parts:
                continue
            if role in contacts:
                report.add(
                    sheet.name,
                    row.number,
                    "",
                    tk._("“{role}” is filled in on two rows").format(
                        role=dict(contact_roles())[role]
                    ),
                )
                continue
            contacts[role] = parts
            rows[role] = row.number
        if not contacts:
            if not report.problems:
                report.add(sheet.name, 0, "", tk._("The sheet names no contact"))
            return []
        schema = {role: [tk.get_validator("yiyang_contact")] for role in contacts}
        validated, errors = tk.navl_validate(dict(contacts), schema, dict(context))
        for role, value in errors.items():
            for message in messages(value):
                report.add(
                    sheet.name, rows.get(role, 0), dict(contact_roles()).get(role, role), message
                )
        if errors:
            return []
        stored = tk.get_action("organization_show")(
            {"ignore_auth": True}, {"id": unit.id, "include_datasets": False}
        )
        changed = {
            role: contacts[role]
            for role in contacts
            if _stored(validated[role]) != _stored(stored.get(role))
        }
        action = "update" if changed else "unchanged"
        return [
            Planned(
                sheet.name, min(rows.values()), unit.title, action, changed, unit.id, unit.name
            )
        ]

    def _role(self, number: int, label: str) -> str | None:
        hidden = self.sheet.extra.get(number, {})
        for value in hidden.values():
            if value in CONTACT_FIELDS:
                return value
        by_label = {text: key for key, text in contact_roles()}
        return by_label.get(label.strip().rstrip("：:＊"))

    def write(self, user: str, planned: Planned) -> str:
        tk.get_action("organization_patch")(
            write_context(user), {"id": planned.target, **planned.data}
        )
        return planned.result
