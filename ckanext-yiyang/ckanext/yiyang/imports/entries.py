"""附件3 数据提供调查表: catalog entries and their 信息项, through the catalog's own actions.

A new row becomes an entry by ``package_create`` (review state 草稿: the unit submits it); a
row that matches an entry (by 信息资源代码, else by unit and title) updates it by
``package_update`` — for a published entry that is a working copy waiting for review, as in
the form — unless its values equal the stored ones, then nothing is called at all.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import plugins as lib_plugins

from ckanext.yiyang.catalog import categories, codes
from ckanext.yiyang.imports import mapping
from ckanext.yiyang.imports.common import (
    LIST_SPLIT,
    TAG_SPLIT,
    Planned,
    Units,
    check_lengths,
    fold_title,
    messages,
)
from ckanext.yiyang.imports.reader import Row, Sheet, read_sheet
from ckanext.yiyang.imports.report import ImportReport
from ckanext.yiyang.review import diff
from ckanext.yiyang.survey.layout import ENTRY_COLUMNS, ITEM_COLUMNS

SHEET = "信息资源"
ITEM_SHEET = "信息项"
DATASET = "dataset"
CHOICE_FIELDS = (
    "format_class",
    "share_type",
    "share_method",
    "open_to_public",
    "update_cycle",
    "disclosure_scope",
    "management_mode",
)
TEXT_FIELDS = (
    "title",
    "notes",
    "provider_department",
    "format_type",
    "share_condition",
    "open_condition",
    "online_url",
    "service_url",
    "service_type",
)
ITEM_FIELDS = ("name", "description", "data_type", "length", "unit", "disclosure_scope")
_LEADING_CODE = re.compile(r"^\s*([0-9]+)(?:\s+(.*))?$", re.S)
_WHOLE_NUMBER = re.compile(r"^\s*([0-9]+)(?:\.0*)?\s*$")


def read(book: Any, max_rows: int, on_row: Any = None) -> tuple[Sheet, Sheet]:
    entries = read_sheet(book, SHEET, ENTRY_COLUMNS, max_rows, ("row", "title"), on_row)
    items = read_sheet(book, ITEM_SHEET, ITEM_COLUMNS, max_rows, ("row", "name"))
    return entries, items


def _category(
    sheet: Sheet, row: Row, key: str, nodes: dict[str, Any], report: ImportReport
) -> str | None:
    value = row.values.get(key, "")
    if not value:
        return ""
    match = _LEADING_CODE.match(value)
    code = None
    if match and match.group(1) in nodes:
        code = match.group(1)
        title = (match.group(2) or "").strip()
        if title and fold_title(title) != fold_title(nodes[code].title):
            code = None
    if code is None:
        by_title = [c for c, n in nodes.items() if fold_title(n.title) == fold_title(value)]
        if len(by_title) == 1:
            code = by_title[0]
    if code is None:
        report.add(
            sheet.name,
            row.number,
            sheet.label(key),
            f"“{value}”不是{sheet.label(key)}中的一项，请从下拉列表中选择（如“"
            + next(
                f"{c} {n.title}"
                for c, n in nodes.items()
                if n.parent is not None or key == "subject_category"
            )
            + "”）",
        )
        return None
    canonical = f"{code} {nodes[code].title}"
    if value != canonical:
        report.map(sheet.name, row.number, sheet.label(key), value, code, canonical)
    return code


def choice(sheet: Sheet, row: Row, key: str, field: str, report: ImportReport) -> str | None:
    """The code of a choice cell ("" when blank, None when unknown: a problem is added)."""
    value = row.values.get(key, "")
    if not value:
        return ""
    choices = mapping.choices(field)
    code, mapped = choices.read(value)
    if code is None:
        report.add(
            sheet.name,
            row.number,
            sheet.label(key),
            f"“{value}”不是可选的值；可选：{choices.allowed()}",
        )
        return None
    if mapped:
        report.map(sheet.name, row.number, sheet.label(key), value, code, choices.labels[code])
    return code


def _entry_data(
    sheet: Sheet, row: Row, units: Units, report: ImportReport
) -> dict[str, Any] | None:
    ok = True
    data: dict[str, Any] = {key: row.values.get(key, "") for key in TEXT_FIELDS}
    owner_text = row.values.get("owner_org") or sheet.unit
    owner = units.get(owner_text) if owner_text else None
    if owner is None:
        if row.values.get("owner_org"):
            report.add(
                sheet.name,
                row.number,
                sheet.label("owner_org"),
                f"没有名为“{owner_text}”的单位，请从下拉列表中选择",
            )
        elif sheet.unit:
            report.add(
                sheet.name, 2, "填表单位", f"没有名为“{sheet.unit}”的单位，请从下拉列表中选择"
            )
        else:
            report.add(
                sheet.name,
                row.number,
                sheet.label("owner_org"),
                "请填写信息资源提供方，或在第2行选择填表单位",
            )
        ok = False
    else:
        data["owner_org"] = owner.id
    for key, nodes in (
        ("catalog_category", {c: n for c, n in categories.catalog_nodes().items() if n.parent}),
        ("subject_category", categories.subject_classes()),
    ):
        code = _category(sheet, row, key, nodes, report)
        ok = ok and code is not None
        data[key] = code or ""
    for field in CHOICE_FIELDS:
        code = choice(sheet, row, field, field, report)
        ok = ok and code is not None
        data[field] = code or ""
    if data["share_type"] == "none":
        data["share_method"] = ""  # not shared: the schema drops the method too
    tags = [t.strip() for t in TAG_SPLIT.split(row.values.get("tag_string", "")) if t.strip()]
    data["tag_string"] = ",".join(dict.fromkeys(tags))
    related = [c for c in LIST_SPLIT.split(row.values.get("related_resource_codes", "")) if c]
    data["related_resource_codes"] = list(dict.fromkeys(related))
    return data if ok else None


def _item(sheet: Sheet, row: Row, entry_scope: str, report: ImportReport) -> dict[str, Any] | None:
    ok = True
    item: dict[str, Any] = {
        "name": row.values.get("name", ""),
        "description": row.values.get("description", ""),
        "unit": row.values.get("unit", ""),
    }
    for key in ("data_type", "disclosure_scope"):
        code = choice(sheet, row, key, key, report)
        ok = ok and code is not None
        item[key] = code or ""
    if not item["disclosure_scope"]:
        item["disclosure_scope"] = entry_scope  # 不填则同所属信息资源
    length = row.values.get("length", "")
    whole = _WHOLE_NUMBER.match(length)
    item["length"] = whole.group(1) if whole else length
    return item if ok else None


class Entries:
    kind = "entries"
    sheets = (SHEET, ITEM_SHEET)

    def __init__(self, book: Any, max_rows: int, on_row: Any = None) -> None:
        self.sheet, self.items = read(book, max_rows, on_row)

    @property
    def rows(self) -> int:
        return len(self.sheet.rows)

    def plan(self, user: str, report: ImportReport, progress: Any) -> list[Planned]:
        units = Units()
        sheet, items_sheet = self.sheet, self.items
        by_key: dict[str, Row] = {}
        bad_keys: set[str] = set()
        for row in sheet.rows:
            key = row.values.get("row", "")
            if key and key in by_key:
                report.add(sheet.name, row.number, sheet.label("row"), f"行号“{key}”在本表中重复")
                bad_keys.add(key)
            by_key.setdefault(key, row)
        items_of: dict[str, list[Row]] = {}
        for item_row in items_sheet.rows:
            key = item_row.values.get("row", "")
            if not key or key not in by_key:
                report.add(
                    items_sheet.name,
                    item_row.number,
                    items_sheet.label("row"),
                    f"行号“{key}”在“{SHEET}”表中不存在" if key else "请填写所属信息资源的行号",
                )
                continue
            items_of.setdefault(key, []).append(item_row)

        planned: list[Planned] = []
        seen: dict[str, int] = {}
        for index, row in enumerate(sheet.rows, start=1):
            progress(index)
            key = row.values.get("row", "")
            item_rows = items_of.get(key, []) if key else []
            result = self._plan_row(user, row, item_rows, units, report, seen, key in bad_keys)
            if result is not None:
                planned.append(result)
        return planned

    def _plan_row(
        self,
        user: str,
        row: Row,
        item_rows: list[Row],
        units: Units,
        report: ImportReport,
        seen: dict[str, int],
        bad_key: bool,
    ) -> Planned | None:
        sheet, items_sheet = self.sheet, self.items
        before = len(report.problems)
        ok = check_lengths(sheet, row, report) and not bad_key
        for item_row in item_rows:
            ok = check_lengths(items_sheet, item_row, report) and ok
        data = _entry_data(sheet, row, units, report)
        scope = data["disclosure_scope"] if data else ""
        items = [_item(items_sheet, r, scope, report) for r in item_rows]
        if data is None or not ok or any(i is None for i in items):
            return None
        data["data_items"] = items

        package, problem = self._match(row, data)
        if problem:
            report.add(sheet.name, row.number, *problem)
            return None
        identity = (package.id if package else "", data["owner_org"] + "\n" + data["title"])
        for seen_key in (identity[0], identity[1]) if package else (identity[1],):
            if seen_key in seen:
                report.add(
                    sheet.name,
                    row.number,
                    sheet.label("resource_code" if package else "title"),
                    f"与第{seen[seen_key]}行是同一条信息资源，一个文件中只能出现一次",
                )
                return None
        for seen_key in identity:
            if seen_key:
                seen[seen_key] = row.number

        context = {"user": user, "model": model, "session": model.Session}
        try:
            if package is None:
                tk.check_access("package_create", dict(context), {**data, "type": DATASET})
            else:
                tk.check_access("package_update", dict(context), {"id": package.id})
        except tk.NotAuthorized:
            unit = model.Group.get(data["owner_org"])
            verb = "登记" if package is None else "修改"
            report.add(
                sheet.name,
                row.number,
                sheet.label("owner_org"),
                f"您不是单位“{unit.title if unit else ''}”的编辑或管理员，不能为它{verb}信息资源",
            )
            return None

        if package is None:
            errors = _validate_new(context, data)
            action = "create"
        else:
            stored = _compare_base(package)
            if not _changes(stored, data):
                return Planned(
                    sheet.name,
                    row.number,
                    data["title"],
                    "unchanged",
                    data,
                    package.id,
                    package.name,
                )
            revision = _revision(package)
            if revision is not None and revision.status == "submitted":
                report.add(
                    sheet.name,
                    row.number,
                    "",
                    "这条信息资源的修改正在审核中，审核完成（或退回）前不能再修改",
                )
                return None
            errors = _validate_update(context, package, data)
            action = "update"
        if errors:
            self._place_errors(row, item_rows, errors, report)
        if len(report.problems) > before:
            return None
        return Planned(
            sheet.name, row.number, data["title"], action, data, package.id if package else None
        )

    def _match(self, row: Row, data: dict[str, Any]) -> tuple[Any, tuple[str, str] | None]:
        code = row.values.get("resource_code", "")
        label = self.sheet.label("resource_code")
        if code:
            package_id = codes.package_id_by_code(code) if codes.is_resource_code(code) else None
            package = model.Package.get(package_id) if package_id else None
            if package is None or package.state == "deleted" or package.type != DATASET:
                return None, (
                    label,
                    f"没有信息资源代码为“{code}”的信息资源；新登记的信息资源不填代码",
                )
            return package, None
        found = (
            model.Session.query(model.Package)
            .filter(
                model.Package.type == DATASET,
                model.Package.owner_org == data["owner_org"],
                model.Package.title == data["title"],
                model.Package.state != "deleted",
            )
            .all()
        )
        if len(found) > 1:
            return None, (
                self.sheet.label("title"),
                f"本单位已有 {len(found)} 条名为“{data['title']}”的信息资源，请填写信息资源代码以指明修改哪一条",
            )
        return (found[0] if found else None), None

    def _place_errors(
        self, row: Row, item_rows: list[Row], errors: dict[str, Any], report: ImportReport
    ) -> None:
        sheet, items_sheet = self.sheet, self.items
        for field, value in errors.items():
            if (
                field == "data_items"
                and isinstance(value, list)
                and any(isinstance(v, dict) for v in value)
            ):
                for index, item_errors in enumerate(value):
                    if not isinstance(item_errors, dict) or index >= len(item_rows):
                        continue
                    for item_field, item_messages in item_errors.items():
                        for message in messages(item_messages):
                            report.add(
                                items_sheet.name,
                                item_rows[index].number,
                                items_sheet.label(item_field),
                                message,
                            )
                continue
            key = {"tags": "tag_string", "name": "title"}.get(field, field)
            column = "信息项" if field == "data_items" else sheet.label(key)
            for message in messages(value):
                report.add(sheet.name, row.number, column, message)

    def write(self, user: str, planned: Planned, journal: list[Any]) -> str:
        context = {"user": user}
        if planned.action == "create":
            entry = tk.get_action("package_create")(context, {**planned.data, "type": DATASET})
            journal.append(("entry_created", entry["id"]))
            return entry["name"]
        package = model.Package.get(planned.target or "")
        assert package is not None
        published = (package.extras or {}).get("review_status") == "published"
        if published:
            revision = _revision(package)
            journal.append(("revision_saved", package.id, _revision_state(revision)))
        else:
            before = _show(package.id)
            journal.append(("entry_updated", package.id, before, datetime.datetime.utcnow()))
        full = _show(package.id)
        full.pop("tags", None)
        full.update(planned.data)
        tk.get_action("package_update")(context, full)
        return package.name


def _show(package_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": package_id}
    )


def _revision(package: model.Package) -> Any:
    from ckanext.yiyang.review import workflow

    return workflow.revision_of(package.id)


def _revision_state(revision: Any) -> dict[str, Any] | None:
    if revision is None:
        return None
    return {
        "data": revision.data,
        "status": revision.status,
        "modified": revision.modified,
        "submitted_at": getattr(revision, "submitted_at", None),
    }


def _compare_base(package: model.Package) -> dict[str, Any]:
    """What the row is compared with: the pending change of a published entry if there is
    one (the unit's latest version), else the entry."""
    stored = _show(package.id)
    revision = _revision(package)
    if revision is not None:
        return {**stored, **revision.data}
    return stored


def _changes(stored: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    proposed = {**stored, **data}
    proposed.pop("tags", None)
    base = dict(stored)
    for version in (base, proposed):
        scope = version.get("disclosure_scope")
        version["data_items"] = [
            {**item, "disclosure_scope": item.get("disclosure_scope") or scope}
            for item in version.get("data_items") or []
        ]
        if version.get("share_type") == "none":
            version["share_method"] = ""
    return diff.changes(base, proposed)


def _validate_new(context: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The check ``package_create`` makes before the entry takes a code."""
    plugin = lib_plugins.lookup_package_plugin(DATASET)
    trial = {**context, "yiyang_system": {"metadata_id": "-", "review_status": "draft"}}
    trial_data = {**data, "type": DATASET, "name": codes.name_placeholder()}
    _data, errors = lib_plugins.plugin_validate(
        plugin, trial, trial_data, plugin.create_package_schema(), "package_create"
    )
    return errors


def _validate_update(
    context: dict[str, Any], package: model.Package, data: dict[str, Any]
) -> dict[str, Any]:
    """The check ``package_update`` makes (every rule: the entry stays or becomes active)."""
    plugin = lib_plugins.lookup_package_plugin(DATASET)
    full = _show(package.id)
    full.pop("tags", None)
    full.update(data)
    trial = {**context, "package": package, "yiyang_system": _system_of(package)}
    _data, errors = lib_plugins.plugin_validate(
        plugin,
        trial,
        {**full, "type": DATASET, "state": "active"},
        plugin.update_package_schema(),
        "package_update",
    )
    return errors


def _system_of(package: model.Package) -> dict[str, Any]:
    extras = package.extras or {}
    return {
        k: extras.get(k)
        for k in ("resource_code", "metadata_id", "release_date", "review_status")
        if extras.get(k)
    }


def undo(step: tuple[Any, ...]) -> None:
    """Take back one write of an import that failed on the way."""
    from ckanext.yiyang.review.model import Revision

    if step[0] == "entry_created":
        _forget_activities(step[1], None)
        tk.get_action("dataset_purge")(
            {"ignore_auth": True, "user": _site_user()}, {"id": step[1]}
        )
    elif step[0] == "entry_updated":
        _kind, package_id, before, since = step
        before = dict(before)
        tk.get_action("package_update")(
            {"ignore_auth": True, "user": _site_user(), "yiyang_review_applying": True},
            before,
        )
        _forget_activities(package_id, since)
    elif step[0] == "revision_saved":
        _kind, package_id, state = step
        revision = model.Session.get(Revision, package_id)
        if state is None:
            if revision is not None:
                model.Session.delete(revision)
        elif revision is not None:
            revision.data = state["data"]
            revision.status = state["status"]
            revision.modified = state["modified"]
        model.Session.commit()


def _forget_activities(object_id: str, since: datetime.datetime | None) -> None:
    """The activities an undone write left (the entry is as it was; its stream is too)."""
    import sqlalchemy as sa

    sql = "DELETE FROM activity WHERE object_id = :id"
    params: dict[str, Any] = {"id": object_id}
    if since is not None:
        sql += " AND timestamp >= :since"
        params["since"] = since
    model.Session.execute(sa.text(sql), params)
    model.Session.commit()


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
