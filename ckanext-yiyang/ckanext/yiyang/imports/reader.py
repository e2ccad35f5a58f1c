"""Reading a filled survey workbook: its format, sheets, the key row and the data rows.

openpyxl in read-only mode streams each sheet's XML, so memory stays bounded whatever the
number of rows; values are the ones Excel stored (``data_only``): a formula gives its cached
result and is never evaluated, and a formula without one is a problem naming the cell. A
string cell whose text begins with ``=`` is data. Merged cells are read from the same stream
(they come after the rows in the sheet's XML).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import ckan.plugins.toolkit as tk
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from ckanext.yiyang.survey.layout import Column
from ckanext.yiyang.survey.workbooks import EXAMPLE_KEY, FIRST_DATA_ROW, KEY_ROW, UNIT_ROW

# Excel's own limit of a cell is 32,767 characters.
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file cannot be read as a survey workbook at all (format, sheets, size)."""

    def __init__(self, message: str, sheet: str = "", row: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column


@dataclasses.dataclass
class Cell:
    """Where a value was found, for the report."""

    sheet: str
    row: int
    column: str  # the Chinese label
    letter: str


@dataclasses.dataclass
class Row:
    number: int
    values: dict[str, str]
    # cells that could not be read (formula without a stored result, an error value)
    bad: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Sheet:
    name: str
    columns: dict[str, Column]  # by key, the ones found in the key row
    letters: dict[str, str]  # key → column letter
    unit: str  # the 填表单位 / 单位名称 of row 2
    rows: list[Row]
    extra: dict[
        int, dict[int, str]
    ]  # cells right of the known columns, by row (contacts' role keys)

    def label(self, key: str) -> str:
        column = self.columns.get(key)
        return column.label if column is not None else key


def check_format(path: str) -> None:
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as error:
        raise FileProblem(
            tk._("Cannot open the file: {error}").format(error=error.strerror)
        ) from None
    if not head:
        raise FileProblem(tk._("The file is empty: upload a filled-in Excel workbook (.xlsx)"))
    if head.startswith(XLS_MAGIC):
        raise FileProblem(
            tk._(
                "This is an old Excel 97-2003 workbook (.xls): save it as .xlsx in Excel or WPS, "
                "then import it"
            )
        )
    if not head.startswith(ZIP_MAGIC):
        raise FileProblem(
            tk._(
                "The file is not an Excel workbook (.xlsx), perhaps a CSV, text or other file "
                "renamed: fill in the downloaded template and save it as .xlsx"
            )
        )
    if not zipfile.is_zipfile(path):
        raise FileProblem(_damaged())


def open_book(path: str) -> Any:
    check_format(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise FileProblem(_damaged()) from None
    except Exception as error:  # openpyxl raises many kinds on a broken package
        raise FileProblem(
            tk._(
                "Cannot read this Excel workbook ({error}): open it in Excel or WPS and save it "
                "as .xlsx"
            ).format(error=type(error).__name__)
        ) from None


def _damaged() -> str:
    return tk._("The file is damaged (not a complete .xlsx package): save it again and import it")


class _Parser(WorkSheetParser):
    """openpyxl's own sheet parser, telling a formula without a stored result from a blank."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["data_type"] = "formula"
        return cell


_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Columns whose text is a code or a number, never read as a date.
NOT_DATES = frozenset(
    {
        "row",
        "resource_code",
        "related_resource_codes",
        "catalog_category",
        "subject_category",
        "length",
        "mobile",
        "office_phone",
        "email",
        "online_url",
        "service_url",
        "role",
    }
)


def date_text(text: str) -> str | None:
    """ISO text of a date written as in real catalogs (``2023/06/12 17:33:10``,
    ``2020年12月30日``, ``2020-07-20``, ``20200720``, with stray line breaks), or None."""
    squeezed = " ".join(text.split())
    match = _DATE_RE.match(squeezed)
    parts: Sequence[str | None]
    if match:
        parts = match.groups()
    else:
        compact = _COMPACT_DATE_RE.match(squeezed)
        if not compact:
            return None
        parts = (*compact.groups(), None, None, None)
    try:
        year, month, day = (int(p or 0) for p in parts[:3])
        if not 1900 <= year <= 2100:
            return None
        date = datetime.date(year, month, day)
        if parts[3] is None:
            return date.isoformat()
        moment = datetime.datetime(
            year, month, day, int(parts[3] or 0), int(parts[4] or 0), int(parts[5] or 0)
        )
    except ValueError:
        return None
    return moment.isoformat(sep=" ")


def text_of(value: Any) -> str:
    """The cell's value as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_sheet(
    book: Any,
    name: str,
    columns: Sequence[Column],
    max_rows: int,
    required_keys: Sequence[str] = (),
    on_row: Callable[[int], None] | None = None,
) -> Sheet:
    """Stream the rows of ``name``: the key row gives the columns, data from row 6 (the example
    row, 行号 示例, and blank rows are skipped). Raises FileProblem on a structural problem."""
    worksheet = book[name]
    known = {c.key: c for c in columns}
    keys: dict[int, str] = {}
    unit = ""
    rows: list[Row] = []
    extra: dict[int, dict[int, str]] = {}
    source = worksheet._get_source()
    parser = _Parser(
        source,
        worksheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    try:
        for number, cells in parser.parse():
            if number == UNIT_ROW:
                unit = next(
                    (text_of(c["value"]) for c in cells if c["column"] == 2 and c["value"]), ""
                )
            elif number == KEY_ROW:
                keys = {
                    c["column"]: str(c["value"]).strip()
                    for c in cells
                    if isinstance(c["value"], str) and str(c["value"]).strip() in known
                }
                missing = [k for k in required_keys if k not in keys.values()]
                if missing:
                    raise FileProblem(
                        tk._(
                            "Row {row} (hidden) of the sheet “{sheet}” lacks the field names of "
                            "the columns {keys}: use the downloaded template and do not delete "
                            "or change its hidden row"
                        ).format(
                            sheet=name,
                            row=KEY_ROW,
                            keys="、".join(f"{known[k].label or k}（{k}）" for k in missing),
                        ),
                        sheet=name,
                        row=KEY_ROW,
                    )
            elif number >= FIRST_DATA_ROW - 1:
                if not keys:
                    raise _no_key_row(name)
                row = _row(number, cells, keys, name, extra)
                if row is None:
                    continue
                if row.values.get("row") == EXAMPLE_KEY:
                    continue
                if len(rows) >= max_rows:
                    raise FileProblem(
                        tk._(
                            "The sheet “{sheet}” has more than {max_rows} rows of data, more "
                            "than one import may hold: split it into several files (the limit "
                            "is the option ckanext.yiyang.import.max_rows)"
                        ).format(sheet=name, max_rows=max_rows),
                        sheet=name,
                    )
                rows.append(row)
                if on_row is not None:
                    on_row(len(rows))
        if not keys:
            raise _no_key_row(name)
        merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    finally:
        source.close()
    for merge in merged:
        min_col, min_row, _max_col, max_row = range_boundaries(merge.ref)
        if max_row <= UNIT_ROW:
            continue  # the title and unit rows of the template are merged on purpose
        label = known[keys[min_col]].label if min_col in keys else get_column_letter(min_col)
        raise FileProblem(
            tk._(
                "The sheet “{sheet}” has merged cells {cells}; an import needs every cell "
                "filled in on its own: unmerge them and fill in each row's value"
            ).format(sheet=name, cells=merge.ref),
            sheet=name,
            row=min_row,
            column=label,
        )
    return Sheet(
        name=name,
        columns={k: known[k] for k in keys.values()},
        letters={k: get_column_letter(i) for i, k in keys.items()},
        unit=unit,
        rows=rows,
        extra=extra,
    )


def _no_key_row(name: str) -> FileProblem:
    return FileProblem(
        tk._(
            "Row {row} (hidden) of the sheet “{sheet}” has no field names, so its columns "
            "cannot be told: fill in the downloaded template and do not delete or change its "
            "hidden row"
        ).format(sheet=name, row=KEY_ROW),
        sheet=name,
        row=KEY_ROW,
    )


def _row(
    number: int,
    cells: list[dict[str, Any]],
    keys: dict[int, str],
    sheet: str,
    extra: dict[int, dict[int, str]],
) -> Row | None:
    values: dict[str, str] = {}
    bad: dict[str, str] = {}
    for cell in cells:
        key = keys.get(cell["column"])
        if key is None:
            if cell["value"] is not None and cell["column"] > max(keys):
                extra.setdefault(number, {})[cell["column"]] = text_of(cell["value"])
            continue
        if cell["data_type"] == "formula":
            bad[key] = tk._(
                "The cell {cell} is a formula whose result the file does not hold: open and "
                "save the file in Excel before importing it, or fill in the value"
            ).format(cell=f"{get_column_letter(cell['column'])}{number}")
            continue
        if cell["data_type"] == "e":
            bad[key] = tk._("The cell holds the error value {value}: correct it").format(
                value=cell["value"]
            )
            continue
        text = text_of(cell["value"])
        if text and isinstance(cell["value"], str) and key not in NOT_DATES:
            text = date_text(text) or text
        if text:
            values[key] = text
    if not values and not bad:
        return None if number not in extra else Row(number, {}, {})
    return Row(number, values, bad)
