"""What an import found and did: problems by sheet, row and column, the rows created, updated
or unchanged, and the values mapped to codes.

What is stored (``as_dict``) is bounded whatever the workbook holds: a small file of repeated
long cells must not become a report of megabytes. Every text is cut at ``MAX_TEXT`` characters,
every list keeps its first ``MAX_ITEMS`` items, and the lists are shortened further until the
whole report is under ``MAX_BYTES`` of JSON; ``counts`` keeps the full numbers and
``truncated`` says that something was left out.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

# At most this many rows are listed for one mapping (the count says how many there were).
MAPPING_ROWS_SHOWN = 20
#: Longest text (a message, a value, a title) a stored report keeps, in characters.
MAX_TEXT = 300
#: Most items a stored report keeps of each list (problems, entries, mappings).
MAX_ITEMS = 500
#: Largest stored report, in bytes of JSON.
MAX_BYTES = 512 * 1024
_LISTS = (
    "problems",
    "created",
    "updated",
    "unchanged",
    "mapped",
    "planned_create",
    "planned_update",
)


def clip(text: str, most: int = MAX_TEXT) -> str:
    """``text`` cut at ``most`` characters (marked with …)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _clipped(value: Any) -> Any:
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, dict):
        return {k: _clipped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clipped(v) for v in value]
    return value


def _size(data: dict[str, Any]) -> int:
    return len(json.dumps(data, ensure_ascii=False).encode("utf-8"))


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem: ``sheet`` and ``row`` (the row number Excel shows; 0 = the whole sheet or
    file), ``column`` (the Chinese label, "" when the problem is not about one column) and
    the message, in the language of the import's request (the portal's default)."""

    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Mapping:
    """A value of the workbook read as one of the choices: ``value`` → ``code`` (``label``)."""

    sheet: str
    column: str
    value: str
    code: str
    label: str
    count: int = 0
    rows: list[int] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class ImportReport:
    kind: str = ""
    file_name: str = ""
    dry_run: bool = False
    valid_only: bool = False
    problems: list[Problem] = dataclasses.field(default_factory=list)
    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    mapped: list[Mapping] = dataclasses.field(default_factory=list)
    # rows that would be (dry run) or were written, and rows left out for their problems
    rows_total: int = 0
    rows_valid: int = 0
    rows_skipped: int = 0
    # a problem of the file itself (format, sheets, merged cells, size): nothing can be imported
    fatal: bool = False
    # whether anything was written (False for dry runs and refused imports)
    written: bool = False
    # the rows a dry run would create / update (as "sheet row: title")
    planned_create: list[str] = dataclasses.field(default_factory=list)
    planned_update: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))

    def map(self, sheet: str, row: int, column: str, value: str, code: str, label: str) -> None:
        for mapping in self.mapped:
            if (mapping.sheet, mapping.column, mapping.value) == (sheet, column, value):
                break
        else:
            mapping = Mapping(sheet, column, value, code, label)
            self.mapped.append(mapping)
        mapping.count += 1
        if len(mapping.rows) < MAPPING_ROWS_SHOWN:
            mapping.rows.append(row)

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.sheet, p.row, p.column))

    def as_dict(self) -> dict[str, Any]:
        """The report to store and show, bounded (see the module's docstring)."""
        full = self._full_dict()
        counts = {name: len(full[name]) for name in _LISTS}
        kept = {k: (v[:MAX_ITEMS] if k in _LISTS else v) for k, v in full.items()}
        bounded = _clipped(kept)
        clipped = bounded != kept
        most = MAX_ITEMS
        while True:
            for name in _LISTS:
                bounded[name] = bounded[name][:most]
            if _size(bounded) <= MAX_BYTES or most == 1:
                break
            most //= 2
        bounded["counts"] = counts
        bounded["truncated"] = clipped or any(len(bounded[name]) < counts[name] for name in _LISTS)
        return bounded

    def _full_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "valid_only": self.valid_only,
            "ok": self.ok,
            "fatal": self.fatal,
            "written": self.written,
            "problems": [p.as_dict() for p in self.sorted_problems()],
            "created": list(self.created),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "mapped": [m.as_dict() for m in self.mapped],
            "rows_total": self.rows_total,
            "rows_valid": self.rows_valid,
            "rows_skipped": self.rows_skipped,
            "planned_create": list(self.planned_create),
            "planned_update": list(self.planned_update),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        report = cls(
            kind=data.get("kind", ""),
            file_name=data.get("file_name", ""),
            dry_run=bool(data.get("dry_run")),
            valid_only=bool(data.get("valid_only")),
            fatal=bool(data.get("fatal")),
            written=bool(data.get("written")),
            rows_total=int(data.get("rows_total") or 0),
            rows_valid=int(data.get("rows_valid") or 0),
            rows_skipped=int(data.get("rows_skipped") or 0),
        )
        report.problems = [Problem(**p) for p in data.get("problems") or []]
        report.mapped = [Mapping(**m) for m in data.get("mapped") or []]
        for key in ("created", "updated", "unchanged", "planned_create", "planned_update"):
            setattr(report, key, list(data.get(key) or []))
        return report
