"""What each row of 附件3 would do, decided before anything is written.

A row matches an entry by 信息资源代码, else by unit and title. A new row is checked as
``package_create`` checks it, a changed row as ``package_update`` would check the entry with the
row's values (``catalog.validation``), with the user's rights in the unit; a row equal to the
stored entry (or to the waiting change of a published one) is unchanged and will not be
written at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.yiyang.catalog import codes
from ckanext.yiyang.catalog.schema import field_label
from ckanext.yiyang.catalog.validation import DATASET_TYPE, validate
from ckanext.yiyang.imports.common import Planned, Units, check_lengths, messages
from ckanext.yiyang.imports.entries.parse import SHEET, entry_data, item
from ckanext.yiyang.imports.reader import Row, Sheet
from ckanext.yiyang.imports.report import ImportReport, Problem
from ckanext.yiyang.review import diff, workflow


def plan(
    sheet: Sheet,
    items_sheet: Sheet,
    user: str,
    report: ImportReport,
    progress: Callable[[int], None],
) -> list[Planned]:
    """The rows without problems, each with what it will do (create, update, unchanged)."""
    units = Units()
    by_key: dict[str, Row] = {}
    bad_keys: set[str] = set()
    for row in sheet.rows:
        key = row.values.get("row", "")
        if key and key in by_key:
            report.add(
                sheet.name,
                row.number,
                sheet.label("row"),
                tk._("Row number “{key}” appears more than once in this sheet").format(key=key),
            )
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
                tk._("Row number “{key}” does not exist in the sheet “{sheet}”").format(
                    key=key, sheet=SHEET
                )
                if key
                else tk._("Fill in the row number of the entry this item belongs to"),
            )
            continue
        items_of.setdefault(key, []).append(item_row)

    rows = _Rows(sheet, items_sheet, user, units, report)
    planned: list[Planned] = []
    for index, row in enumerate(sheet.rows, start=1):
        progress(index)
        key = row.values.get("row", "")
        item_rows = items_of.get(key, []) if key else []
        result = rows.plan(row, item_rows, key in bad_keys)
        if result is not None:
            planned.append(result)
    return planned


class _Rows:
    """The rows of one file, planned one by one (an entry may appear once per file)."""

    def __init__(
        self, sheet: Sheet, items_sheet: Sheet, user: str, units: Units, report: ImportReport
    ) -> None:
        self.sheet = sheet
        self.items_sheet = items_sheet
        self.user = user
        self.units = units
        self.report = report
        self.seen: dict[str, int] = {}

    def plan(self, row: Row, item_rows: list[Row], bad_key: bool) -> Planned | None:
        sheet, items_sheet, report = self.sheet, self.items_sheet, self.report
        before = len(report.problems)
        ok = check_lengths(sheet, row, report) and not bad_key
        for item_row in item_rows:
            ok = check_lengths(items_sheet, item_row, report) and ok
        data, read = entry_data(sheet, row, self.units, report)
        items = [item(items_sheet, r, data["disclosure_scope"], report) for r in item_rows]
        data["data_items"] = [values for values, _read in items]
        if not (ok and read and all(item_read for _values, item_read in items)):
            # Every problem of the row, not only its cells': the schema's rules on the others.
            errors = validate(self._context(), data)
            if not data.get("owner_org"):
                errors.pop("owner_org", None)  # the unit is the problem, said once
            self._place_errors(row, item_rows, errors, report.problems[before:])
            return None

        package, problem = self._match(row, data)
        if problem:
            report.add(sheet.name, row.number, *problem)
            return None
        if not self._first_time(row, package, data):
            return None

        if not self._may_write(row, package, data):
            return None

        if package is None:
            errors = validate(self._context(), data)
            action = "create"
        else:
            stored = _compare_base(package)
            if not changes(stored, data):
                return Planned(
                    sheet.name,
                    row.number,
                    data["title"],
                    "unchanged",
                    data,
                    package.id,
                    package.name,
                )
            revision = workflow.revision_of(package.id)
            if revision is not None and revision.status == workflow.SUBMITTED:
                report.add(
                    sheet.name,
                    row.number,
                    "",
                    tk._(
                        "A change of this entry is being reviewed: it cannot be changed again "
                        "until it is approved or returned"
                    ),
                )
                return None
            errors = validate(self._context(), merged(package, data), package)
            action = "update"
        if errors:
            self._place_errors(row, item_rows, errors)
        if len(report.problems) > before:
            return None
        return Planned(
            sheet.name, row.number, data["title"], action, data, package.id if package else None
        )

    def _first_time(self, row: Row, package: model.Package | None, data: dict[str, Any]) -> bool:
        """Whether this row's entry did not appear on an earlier row of the file."""
        identity = (package.id if package else "", data["owner_org"] + "\n" + data["title"])
        for seen_key in (identity[0], identity[1]) if package else (identity[1],):
            if seen_key in self.seen:
                self.report.add(
                    self.sheet.name,
                    row.number,
                    self.sheet.label("resource_code" if package else "title"),
                    tk._(
                        "The same entry as row {row}: an entry may appear only once in a file"
                    ).format(row=self.seen[seen_key]),
                )
                return False
        for seen_key in identity:
            if seen_key:
                self.seen[seen_key] = row.number
        return True

    def _context(self) -> Context:
        return {"user": self.user, "model": model, "session": model.Session}

    def _may_write(self, row: Row, package: model.Package | None, data: dict[str, Any]) -> bool:
        try:
            if package is None:
                tk.check_access("package_create", self._context(), {**data, "type": DATASET_TYPE})
            else:
                tk.check_access("package_update", self._context(), {"id": package.id})
        except tk.NotAuthorized:
            unit = model.Group.get(data["owner_org"])
            title = unit.title if unit else ""
            message = (
                tk._(
                    "You are not an editor or admin of the unit “{unit}”: you cannot register "
                    "entries for it"
                )
                if package is None
                else tk._(
                    "You are not an editor or admin of the unit “{unit}”: you cannot change "
                    "its entries"
                )
            )
            self.report.add(
                self.sheet.name,
                row.number,
                self.sheet.label("owner_org"),
                message.format(unit=title),
            )
            return False
        return True

    def _match(
        self, row: Row, data: dict[str, Any]
    ) -> tuple[model.Package | None, tuple[str, str] | None]:
        """The stored entry the row is, or a problem (column, message)."""
        code = row.values.get("resource_code", "")
        if code:
            package_id = codes.package_id_by_code(code) if codes.is_resource_code(code) else None
            package = model.Package.get(package_id) if package_id else None
            if package is None or package.state == "deleted" or package.type != DATASET_TYPE:
                return None, (
                    self.sheet.label("resource_code"),
                    tk._(
                        "No entry has the resource code “{code}”; leave the code blank for a "
                        "new entry"
                    ).format(code=code),
                )
            return package, None
        found = (
            model.Session.query(model.Package)
            .filter(
                model.Package.type == DATASET_TYPE,
                model.Package.owner_org == data["owner_org"],
                model.Package.title == data["title"],
                model.Package.state != "deleted",
            )
            .all()
        )
        if len(found) > 1:
            return None, (
                self.sheet.label("title"),
                tk._(
                    "The unit has {count} entries titled “{title}”: fill in the resource code "
                    "to say which one to change"
                ).format(count=len(found), title=data["title"]),
            )
        return (found[0] if found else None), None

    def _place_errors(
        self,
        row: Row,
        item_rows: list[Row],
        errors: dict[str, Any],
        known: list[Problem] | None = None,
    ) -> None:
        """The schema's errors on the cells they are about (not on a cell of ``known``, whose
        value could not be read and so was left out)."""
        sheet, items_sheet = self.sheet, self.items_sheet
        taken = {(p.sheet, p.row, p.column) for p in known or []}

        def add(sheet_name: str, number: int, column: str, message: str) -> None:
            if (sheet_name, number, column) not in taken:
                self.report.add(sheet_name, number, column, message)

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
                            add(
                                items_sheet.name,
                                item_rows[index].number,
                                items_sheet.label(item_field),
                                message,
                            )
                continue
            key = {"tags": "tag_string", "name": "title"}.get(field, field)
            column = field_label("data_items") if field == "data_items" else sheet.label(key)
            for message in messages(value):
                add(sheet.name, row.number, column, message)


def show(package_id: str) -> dict[str, Any]:
    """The stored entry as the actions give it (never a cached copy)."""
    return tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": package_id}
    )


def merged(package: model.Package, data: dict[str, Any]) -> dict[str, Any]:
    """The stored entry with the row's values: what ``package_update`` is given."""
    full = show(package.id)
    full.pop("tags", None)  # the row's tag_string replaces them
    full.update(data)
    return full


def _compare_base(package: model.Package) -> dict[str, Any]:
    """What the row is compared with: the pending change of a published entry if there is
    one (the unit's latest version), else the entry."""
    stored = show(package.id)
    revision = workflow.revision_of(package.id)
    if revision is not None:
        return {**stored, **revision.data}
    return stored


def changes(stored: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """The differences the row makes, read as the form would save them (an item's blank scope
    is the entry's, a method of an entry that is not shared is none)."""
    proposed = {**stored, **data}
    proposed.pop("tags", None)
    base = dict(stored)
    for version in (base, proposed):
        scope = version.get("disclosure_scope")
        version["data_items"] = [
            {**entry_item, "disclosure_scope": entry_item.get("disclosure_scope") or scope}
            for entry_item in version.get("data_items") or []
        ]
        if version.get("share_type") == "none":
            version["share_method"] = ""
    return diff.changes(base, proposed)
