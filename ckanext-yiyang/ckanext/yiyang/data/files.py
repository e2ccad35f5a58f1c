"""Reading a resource's file before anything touches the DataStore: its encoding, its shape, its
columns. Every problem is a :class:`FileProblem` with a Chinese message that names it and the line,
raised before the previous table is touched (a failed load leaves it as it was).

Why not leave the encoding to xloader: it asks chardet, which gives GBK/GB18030 files a confidence
below xloader's 0.7 threshold (0.25–0.3 for a table of Chinese names), so xloader falls back to
tabulator's guess and then to cp1252 — Chinese headers and values come out as mojibake. Here the
file is decoded strictly (BOM, then UTF-8, then GB18030, which contains GBK and GB2312) and handed to
xloader as UTF-8.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk

#: Formats loaded by xloader's CSV path, by its tabulator path, and by our JSON job.
CSV_FORMATS = frozenset({"csv", "text/csv", "tsv"})
SHEET_FORMATS = frozenset({"xlsx", "xls"})
JSON_FORMATS = frozenset({"json", "application/json"})

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMERIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DATETIME = re.compile(r"^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?([ T]\d{1,2}:\d{2}(:\d{2})?)?$")


class FileProblem(Exception):
    """A file that cannot be loaded; ``str()`` is the Chinese message shown on the pages."""


@dataclasses.dataclass
class Column:
    """A column as found: its header, the catalog data type of its values (``integer``,
    ``numeric``, ``datetime``, ``string``) and the length of its longest value."""

    id: str
    type: str = "string"
    length: int = 0
    _seen: set[str] = dataclasses.field(default_factory=lambda: {"integer", "numeric", "datetime"})
    _any: bool = False

    def see(self, value: Any) -> None:
        text = "" if value is None else str(value).strip()
        if not text:
            return
        self._any = True
        self.length = max(self.length, len(text))
        if isinstance(value, bool):
            self._seen.clear()
            return
        if isinstance(value, int):
            self._seen &= {"integer", "numeric"}
        elif isinstance(value, float):
            self._seen &= {"numeric"}
        elif isinstance(value, (datetime.date, datetime.datetime)):
            self._seen &= {"datetime"}
        elif self._seen:
            self._seen = {
                kind
                for kind, pattern in (
                    ("integer", _INTEGER),
                    ("numeric", _NUMERIC),
                    ("datetime", _DATETIME),
                )
                if kind in self._seen and pattern.match(text)
            }

    def finish(self) -> dict[str, Any]:
        if self._any:
            for kind in ("integer", "numeric", "datetime"):
                if kind in self._seen:
                    self.type = kind
                    break
        return {"id": self.id, "type": self.type, "length": self.length}


@dataclasses.dataclass
class Profile:
    """A file that may be loaded: its kind (``csv``, ``sheet``, ``json``), its encoding, its
    rows, its columns, and (for JSON) its records."""

    kind: str
    encoding: str | None
    rows: int
    columns: list[dict[str, Any]]
    text: str | None = None
    records: list[dict[str, Any]] | None = None


def kind_of(resource: dict[str, Any]) -> str | None:
    """How a resource's data loads: ``csv``, ``sheet``, ``json`` or ``None`` (not tabular)."""
    fmt = (resource.get("format") or "").strip().lower()
    url = (resource.get("url") or "").lower().split("?")[0]
    if fmt in CSV_FORMATS or (not fmt and url.endswith((".csv", ".tsv"))):
        return "csv"
    if fmt in SHEET_FORMATS or (not fmt and url.endswith((".xlsx", ".xls"))):
        return "sheet"
    if fmt in JSON_FORMATS or (not fmt and url.endswith(".json")):
        return "json"
    return None


def max_bytes() -> int:
    from ckanext.yiyang import config

    return int(config.data_max_load_mb()) * 1024 * 1024


def _line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was in: a UTF-8 BOM, else strict UTF-8, else
    strict GB18030 (GBK and GB2312 are subsets); otherwise the line where neither works."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise FileProblem(
                tk._(
                    "Wrong encoding: line {line} is not valid UTF-8 (the file starts with a UTF-8 BOM)."
                ).format(line=_line(raw, error.start + 3))
            ) from error
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as error:
            line = _line(raw, max(error.start, utf8_error.start))
            raise FileProblem(
                tk._(
                    "Wrong encoding: line {line} is neither UTF-8 nor GBK/GB18030. Save the file as UTF-8 or GBK."
                ).format(line=line)
            ) from error


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise FileProblem(
            tk._("The file is too big: {size} MB, at most {limit} MB can be loaded.").format(
                size=round(size / 1024 / 1024, 1), limit=limit // 1024 // 1024
            )
        )


def read(raw: bytes, kind: str) -> Profile:
    """Check a whole file and describe it, or raise :class:`FileProblem`."""
    check_size(len(raw))
    if not raw.strip():
        raise FileProblem(tk._("The file is empty."))
    if kind == "csv":
        return _read_csv(raw)
    if kind == "sheet":
        return _read_sheet(raw)
    return _read_json(raw)


def _read_csv(raw: bytes) -> Profile:
    text, encoding = decode(raw)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:20000], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise FileProblem(tk._("The file has no header line (line 1 is empty)."))
        names = [cell.strip() for cell in header]
        _check_names(names)
        columns = [Column(name) for name in names]
        rows = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise FileProblem(
                    tk._(
                        "Malformed CSV: line {line} has {found} fields, the header has {expected}."
                    ).format(line=reader.line_num, found=len(row), expected=len(names))
                )
            for column, cell in zip(columns, row, strict=True):
                column.see(cell)
            rows += 1
    except csv.Error as error:
        raise FileProblem(
            tk._("Malformed CSV: line {line}: {problem}.").format(
                line=reader.line_num, problem=error
            )
        ) from error
    if not rows:
        raise FileProblem(tk._("The file has a header but no data lines."))
    return Profile("csv", encoding, rows, [column.finish() for column in columns], text=text)


def _read_sheet(raw: bytes) -> Profile:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        raise FileProblem(
            tk._("The spreadsheet cannot be opened: it is not a valid XLSX file.")
        ) from error
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    if not header or not any(cell not in (None, "") for cell in header):
        raise FileProblem(tk._("The file has no header line (line 1 is empty)."))
    names = [str(cell).strip() if cell is not None else "" for cell in header]
    while names and not names[-1]:
        names.pop()
    _check_names(names)
    columns = [Column(name) for name in names]
    rows = 0
    for row in lines:
        if not any(cell not in (None, "") for cell in row):
            continue
        # A sheet's row may be wider than its header (cells formatted, not filled).
        for column, cell in zip(columns, row, strict=False):
            column.see(cell)
        rows += 1
    book.close()
    if not rows:
        raise FileProblem(tk._("The file has a header but no data lines."))
    return Profile("sheet", None, rows, [column.finish() for column in columns])


def _read_json(raw: bytes) -> Profile:
    text, encoding = decode(raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(
            tk._("Malformed JSON: line {line}, column {column}: {problem}.").format(
                line=error.lineno, column=error.colno, problem=error.msg
            )
        ) from error
    if not isinstance(data, list):
        raise FileProblem(tk._("The JSON file must be an array of records (objects)."))
    if not data:
        raise FileProblem(tk._("The file has no records."))
    names: dict[str, Column] = {}
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise FileProblem(
                tk._("Record {number} of the JSON array is not an object.").format(number=number)
            )
        for key, value in record.items():
            if isinstance(value, (dict, list)):
                raise FileProblem(
                    tk._(
                        "Record {number}: the value of “{field}” is nested; only flat records can be loaded."
                    ).format(number=number, field=key)
                )
            names.setdefault(key, Column(key)).see(value)
    _check_names(list(names))
    return Profile(
        "json",
        encoding,
        len(data),
        [column.finish() for column in names.values()],
        records=data,
    )


def _check_names(names: list[str]) -> None:
    seen: set[str] = set()
    for number, name in enumerate(names, start=1):
        if not name:
            raise FileProblem(
                tk._("Column {number} of the header has no name.").format(number=number)
            )
        if name in seen:
            raise FileProblem(
                tk._("The column “{name}” appears twice in the header.").format(name=name)
            )
        if name.startswith("_"):
            raise FileProblem(
                tk._("The column name “{name}” may not start with “_”.").format(name=name)
            )
        seen.add(name)
