"""附件3 数据提供调查表: catalog entries and their 信息项, through the catalog's own actions.

``parse`` reads the two sheets into the actions' data, ``plan`` decides what each row does
(create, update, unchanged, or a problem), ``write`` calls the actions. Nothing is written
until every row is planned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.yiyang.imports.common import Planned
from ckanext.yiyang.imports.entries import parse
from ckanext.yiyang.imports.entries import plan as planning
from ckanext.yiyang.imports.entries import write as writing
from ckanext.yiyang.imports.entries.parse import ITEM_SHEET, SHEET
from ckanext.yiyang.imports.report import ImportReport

__all__ = ["ITEM_SHEET", "SHEET", "Entries"]


class Entries:
    kind = "entries"
    sheets = (SHEET, ITEM_SHEET)
    # the written rows are catalog entries, indexed once the import has committed
    indexed = True

    def __init__(self, book: Any, max_rows: int, on_row: Any = None) -> None:
        self.sheet, self.items = parse.read(book, max_rows, on_row)

    @property
    def rows(self) -> int:
        return len(self.sheet.rows)

    def plan(
        self, user: str, report: ImportReport, progress: Callable[[int], None]
    ) -> list[Planned]:
        return planning.plan(self.sheet, self.items, user, report, progress)

    def write(self, user: str, planned: Planned) -> str:
        return writing.write(user, planned)
