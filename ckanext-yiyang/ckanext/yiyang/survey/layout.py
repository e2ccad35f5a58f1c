"""The columns of each survey workbook: one list, read by the template writer (and by the
importer and the exporter), so a column's key, label and choices are written once — the label
and the choices of a catalog field where the form has them, in the scheming schema.

Each data sheet has a title row, a 填表单位 row, the Chinese column labels and a hidden row with
the API field names (the importer reads columns by that row, not by position).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ckanext.yiyang.catalog import categories, schema, units


@dataclasses.dataclass(frozen=True)
class Column:
    """A column: ``key`` is the API field it holds. Its heading is the field's label in the
    scheming schema (``source``: ``entry``, ``item`` — a 信息项 field), or ``heading`` for a
    column that is no field of the schema."""

    key: str
    required: bool = False
    width: int = 16
    # the allowed values shown in a drop-down: a function, so trees are read when writing
    choices: Callable[[], list[str]] | None = None
    note: str = ""
    heading: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        if self.heading or not self.source:
            return self.heading
        return schema.field_label(self.key, item=self.source == "item")


def _entry(key: str, required: bool, width: int, **more: Any) -> Column:
    return Column(key, required, width, source="entry", **more)


def _item(key: str, required: bool, width: int, **more: Any) -> Column:
    return Column(key, required, width, source="item", **more)


def _labels(field: str) -> Callable[[], list[str]]:
    return lambda: [c["label"]["zh_Hans_CN"] for c in schema.CHOICES[field]]


def _catalog_categories() -> list[str]:
    return [node.coded for node in categories.catalog_nodes().values() if node.parent is not None]


def _unit_titles() -> list[str]:
    return [unit.title for unit in units.units_in_order()]


def _subjects() -> list[str]:
    return [c.coded for c in categories.subject_classes().values()]


ROW_KEY = Column(
    "row", True, 8, note="本表内唯一的编号，信息项表用它关联到信息资源", heading="行号"
)

ENTRY_COLUMNS = [
    ROW_KEY,
    _entry("title", True, 28),
    _entry("notes", True, 40),
    # a unit fills in its own entries; an exported search result spans several units
    _entry("owner_org", False, 22, choices=_unit_titles, note="不填则为填表单位"),
    _entry("provider_department", False, 16),
    _entry("catalog_category", True, 24, choices=_catalog_categories),
    _entry("subject_category", True, 20, choices=_subjects),
    _entry("tag_string", True, 18, note="多个关键字用逗号分隔"),
    _entry("format_class", True, 16, choices=_labels("format_class")),
    _entry("format_type", False, 14),
    _entry("share_type", True, 14, choices=_labels("share_type")),
    _entry("share_condition", False, 28),
    _entry("share_method", False, 18, choices=_labels("share_method")),
    _entry("open_to_public", True, 12, choices=_labels("open_to_public")),
    _entry("open_condition", False, 20),
    _entry("update_cycle", True, 10, choices=_labels("update_cycle")),
    _entry("disclosure_scope", True, 12, choices=_labels("disclosure_scope")),
    _entry("management_mode", True, 18, choices=_labels("management_mode")),
    _entry("related_resource_codes", False, 18, note="多个代码用逗号分隔"),
    _entry("online_url", False, 24),
    _entry("service_url", False, 24),
    _entry("service_type", False, 12),
    _entry("resource_code", False, 16, note="由系统生成；新登记的信息资源不填"),
]

ITEM_COLUMNS = [
    Column("row", True, 8, note="所属信息资源在“信息资源”表中的行号", heading="行号"),
    _item("name", True, 20),
    _item("description", False, 30),
    _item("data_type", True, 14, choices=_labels("data_type")),
    _item("length", False, 8, note="字符型、二进制数据型必填"),
    _item("unit", False, 10),
    _item(
        "disclosure_scope",
        False,
        12,
        choices=_labels("disclosure_scope"),
        note="不填则同所属信息资源",
    ),
]

# Demands and contacts are no fields of the entry's schema: their headings are the annexes'.
DEMAND_COLUMNS = [
    Column("row", True, 8, heading="序号"),
    Column("title", True, 28, heading="需求数据名称"),
    Column(
        "provider_org", False, 22, note="不清楚可不填，由市电子政务办协调", heading="数据提供单位"
    ),
    Column("content", True, 40, heading="数据需求内容"),
    Column("purpose", True, 28, heading="用途"),
    Column("update_frequency", True, 16, _labels("update_cycle"), heading="数据更新频率要求"),
]

# The unit's three contacts of 附件4: fields of the unit's schema.
CONTACT_FIELDS = ("leader", "business_contact", "it_contact")


def contact_roles() -> list[tuple[str, str]]:
    """``(field, label)`` of the unit's contacts, labelled as the unit's form labels them."""
    return [(key, schema.field_label(key, entity="organization")) for key in CONTACT_FIELDS]


CONTACT_COLUMNS = [
    Column("role", True, 16),
    Column("name", False, 12, heading="姓名"),
    Column("position", False, 16, heading="职务"),
    Column("office_phone", False, 16, heading="办公电话"),
    Column("mobile", False, 16, heading="手机"),
    Column("email", False, 26, heading="电子邮箱"),
]
