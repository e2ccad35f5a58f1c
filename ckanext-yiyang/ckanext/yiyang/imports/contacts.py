"""附件4 分管负责人及联络人名单: the three contacts of the unit named in row 2, written by
``organization_patch`` (the unit's fields ``leader``, ``business_contact``, ``it_contact``,
checked by the same validator as the unit's form). A role whose row is left blank keeps what
the unit has."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang.imports.common import Planned, Units, check_lengths, messages
from ckanext.yiyang.imports.reader import Sheet, read_sheet
from ckanext.yiyang.imports.report import ImportReport
from ckanext.yiyang.survey.layout import CONTACT_COLUMNS, CONTACT_ROLES

SHEET = "分管负责人及联络人名单"
PARTS = ("name", "position", "office_phone", "mobile", "email")
ROLE_LABELS = {label: key for key, label in CONTACT_ROLES}
ROLE_KEYS = {key for key, _label in CONTACT_ROLES}


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
                f"没有名为“{sheet.unit}”的单位，请从下拉列表中选择"
                if sheet.unit
                else "请在第2行选择单位名称",
            )
            return []
        context = {"user": user, "model": model, "session": model.Session}
        try:
            tk.check_access("organization_patch", dict(context), {"id": unit.id})
        except tk.NotAuthorized:
            report.add(
                sheet.name, 2, "单位名称", f"您不是单位“{unit.title}”的管理员，不能修改它的联络人"
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
                        "无法识别这一行是哪位联络人；第一列应为分管负责人、部门业务联络人或信息技术联络人",
                    )
                continue
            if not check_lengths(sheet, row, report) or not parts:
                continue
            if role in contacts:
                report.add(sheet.name, row.number, "", f"“{dict(CONTACT_ROLES)[role]}”填了两行")
                continue
            contacts[role] = parts
            rows[role] = row.number
        if not contacts:
            if not report.problems:
                report.add(sheet.name, 0, "", "表中没有填写任何联络人")
            return []
        schema = {role: [tk.get_validator("yiyang_contact")] for role in contacts}
        validated, errors = tk.navl_validate(dict(contacts), schema, dict(context))
        for role, value in errors.items():
            for message in messages(value):
                report.add(
                    sheet.name, rows.get(role, 0), dict(CONTACT_ROLES).get(role, role), message
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
            if value in ROLE_KEYS:
                return value
        return ROLE_LABELS.get(label.strip().rstrip("：:＊"))

    def write(self, user: str, planned: Planned, journal: list[Any]) -> str:
        stored = tk.get_action("organization_show")(
            {"ignore_auth": True}, {"id": planned.target, "include_datasets": False}
        )
        before = {role: _stored(stored.get(role)) for role in planned.data}
        journal.append(("contacts_updated", planned.target, before))
        tk.get_action("organization_patch")({"user": user}, {"id": planned.target, **planned.data})
        return planned.result


def undo(step: tuple[Any, ...]) -> None:
    if step[0] != "contacts_updated":
        return
    _kind, unit_id, before = step
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("organization_patch")(
        {"ignore_auth": True, "user": site_user}, {"id": unit_id, **before}
    )
