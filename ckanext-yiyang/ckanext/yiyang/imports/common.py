"""What the three kinds of workbook share: units by title, choice cells, cell limits, validation
errors placed on cells, the context of the writes, the request context that translates messages."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.yiyang.imports import mapping
from ckanext.yiyang.imports.reader import Row, Sheet
from ckanext.yiyang.imports.report import ImportReport

# Longest text one cell may hold (Excel allows 32,767 characters): long descriptions, and
# everything else (names, codes, phone numbers).
LONG_TEXT = frozenset(
    {"notes", "share_condition", "open_condition", "description", "content", "purpose"}
)
LONG_TEXT_MAX = 8000
SHORT_TEXT_MAX = 500
LIST_SPLIT = re.compile(r"[,，、;；\s]+")
# A keyword may hold a space (CKAN allows it, and an export writes it so): split on the
# separators people type between keywords, never on a space.
TAG_SPLIT = re.compile(r"\s*[,，、;；\n]+\s*")


@dataclasses.dataclass
class Planned:
    """One row (with its 信息项) as it will be written."""

    sheet: str
    row: int
    label: str
    action: str  # create, update, unchanged
    data: dict[str, Any]
    target: str | None = None  # id of the entry / demand / unit it updates (or created)
    result: str = ""  # id or name written


def fold_title(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


class Units:
    """Active units (organizations) by title, URL name and id."""

    def __init__(self) -> None:
        self.by_key: dict[str, model.Group] = {}
        groups = (
            model.Session.query(model.Group)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .all()
        )
        for group in groups:
            for key in (group.id, group.name, fold_title(group.title or "")):
                if key:
                    self.by_key.setdefault(key, group)

    def get(self, text: str) -> model.Group | None:
        text = text.strip()
        return self.by_key.get(text) or self.by_key.get(fold_title(text))


def check_lengths(sheet: Sheet, row: Row, report: ImportReport) -> bool:
    ok = True
    for key, value in row.values.items():
        limit = LONG_TEXT_MAX if key in LONG_TEXT else SHORT_TEXT_MAX
        if len(value) > limit:
            report.add(
                sheet.name,
                row.number,
                sheet.label(key),
                tk._(
                    "Too long ({length} characters): this column holds at most {limit} characters"
                ).format(length=len(value), limit=limit),
            )
            ok = False
    for key, message in row.bad.items():
        report.add(sheet.name, row.number, sheet.label(key), message)
        ok = False
    return ok


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
            tk._("“{value}” is not one of the choices; choose from: {allowed}").format(
                value=value, allowed=choices.allowed()
            ),
        )
        return None
    if mapped:
        report.map(sheet.name, row.number, sheet.label(key), value, code, choices.labels[code])
    return code


def no_unit_named(title: str) -> str:
    return tk._("There is no unit named “{unit}”: choose one from the drop-down list").format(
        unit=title
    )


def write_context(user: str) -> Context:
    """The context of one write: the import commits once, after its last row."""
    return {"user": user, "defer_commit": True}


def messages(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [m for v in value for m in messages(v)]
    if isinstance(value, dict):
        return [m for v in value.values() for m in messages(v)]
    return [str(value)]


@contextlib.contextmanager
def request_context(lang: str | None = None) -> Iterator[None]:
    """A request context in ``lang`` (default: the portal's default language), for code run
    by the CLI or a background job: validators, actions and the import translate their
    messages through it. Inside a request, that request's language."""
    import flask

    if flask.has_request_context():
        yield
        return
    app = None
    try:
        import click

        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            app = ctx.meta.get("flask_app")
    except RuntimeError:
        app = None
    if app is None:
        from ckan.config import middleware

        if middleware._internal_test_request_context is not None:
            app = middleware._internal_test_request_context.app
    if app is None:
        yield
        return
    # CKAN's locale selector reads the language its i18n middleware put in the environ
    with app.test_request_context("/", environ_overrides={"CKAN_LANG": lang} if lang else None):
        yield
