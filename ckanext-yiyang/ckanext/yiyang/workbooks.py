"""Excel cells and workbooks of every export (the survey forms, the catalog book, the progress
table): text is always text — one that begins like a formula is stored with Excel's quote prefix,
characters XML cannot hold are dropped — and sheets are written row by row, so the same code
writes a small workbook and, in openpyxl's write-only mode, one of any size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# What a spreadsheet program would take for the start of a formula (or of a DDE command)
# when the text is typed or pasted in (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Any worksheet: normal (templates) or write-only (exports).
Sheet = Any


def cell(sheet: Sheet, value: Any, font: Font | None = None) -> Cell:
    """A cell to ``append`` (in either mode). Text is always text: one that begins like a
    formula (= + - @, tab, CR) is stored as a string with Excel's quote prefix, so no
    spreadsheet program evaluates it and it reads back unchanged; characters XML cannot hold
    are dropped."""
    target = WriteOnlyCell(sheet)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        target.value = value
        if value.startswith(_FORMULA_START):
            target.data_type = "s"
            target.quotePrefix = True
    else:
        target.value = value
    if font is not None:
        target.font = font
    return target


def append(sheet: Sheet, values: Iterable[Any], font: Font | None = None) -> None:
    """One row of values (None leaves a cell empty)."""
    sheet.append([None if v is None else cell(sheet, v, font) for v in values])


def new_book(write_only: bool = False) -> Workbook:
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    return book
