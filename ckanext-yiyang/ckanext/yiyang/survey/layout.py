"""The columns of each survey workbook: one list, read by the template writer (and by the
importer and the exporter), so a column's key, label and choices are written once.

Each data sheet has a title row, a 填表单位 row, the Chinese column labels and a hidden row with
the API field names (the importer reads columns by that row, not by position).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ckanext.yiyang.catalog import categories, schema, units


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    width: int = 16
    # the allowed values shown in a drop-down: a function, so trees are read when writing
    choices: Callable[[], list[str]] | None = None
    note: str = ""


def _labels(field: str) -> Callable[[], list[str]]:
    return lambda: [c["label"]["zh_Hans_CN"] for c in schema.CHOICES[field]]


def _catalog_categories() -> list[str]:
    return [node.coded for node in categories.catalog_nodes().values() if node.parent is not None]


def _unit_titles() -> list[str]:
    return [unit.title for unit in units.units_in_order()]


def _subjects() -> list[str]:
    return [c.coded for c in categories.subject_classes().values()]


ROW_KEY = Column("row", "行号", True, 8, note="本表内唯一的编号，信息项表用它关联到信息资源")

ENTRY_COLUMNS = [
    ROW_KEY,
    Column("title", "信息资源名称", True, 28),
    Column("notes", "信息资源摘要", True, 40),
    # a unit fills in its own entries; an exported search result spans several units
    Column("owner_org", "信息资源提供方", False, 22, _unit_titles, note="不填则为填表单位"),
    Column("provider_department", "提供方内设机构", False, 16),
    Column("catalog_category", "资源属性分类", True, 24, _catalog_categories),
    Column("subject_category", "主题分类", True, 20, _subjects),
    Column("tag_string", "关键字", True, 18, note="多个关键字用逗号分隔"),
    Column("format_class", "信息资源格式分类", True, 16, _labels("format_class")),
    Column("format_type", "信息资源格式类型", False, 14),
    Column("share_type", "共享类型", True, 14, _labels("share_type")),
    Column("share_condition", "共享条件/不予共享依据", False, 28),
    Column("share_method", "共享方式", False, 18, _labels("share_method")),
    Column("open_to_public", "是否向社会开放", True, 12, _labels("open_to_public")),
    Column("open_condition", "开放条件", False, 20),
    Column("update_cycle", "更新周期", True, 10, _labels("update_cycle")),
    Column("disclosure_scope", "公开范围", True, 12, _labels("disclosure_scope")),
    Column("management_mode", "管理方式", True, 18, _labels("management_mode")),
    Column("related_resource_codes", "关联资源代码", False, 18, note="多个代码用逗号分隔"),
    Column("online_url", "在线资源链接地址", False, 24),
    Column("service_url", "服务地址", False, 24),
    Column("service_type", "服务类型", False, 12),
    Column("resource_code", "信息资源代码", False, 16, note="由系统生成；新登记的信息资源不填"),
]

ITEM_COLUMNS = [
    Column("row", "行号", True, 8, note="所属信息资源在“信息资源”表中的行号"),
    Column("name", "字段名称", True, 20),
    Column("description", "字段说明", False, 30),
    Column("data_type", "数据类型", True, 14, _labels("data_type")),
    Column("length", "长度", False, 8, note="字符型、二进制数据型必填"),
    Column("unit", "计量单位", False, 10),
    Column(
        "disclosure_scope",
        "公开范围",
        False,
        12,
        _labels("disclosure_scope"),
        note="不填则同所属信息资源",
    ),
]

DEMAND_COLUMNS = [
    Column("row", "序号", True, 8),
    Column("title", "需求数据名称", True, 28),
    Column("provider_org", "数据提供单位", False, 22, note="不清楚可不填，由市电子政务办协调"),
    Column("content", "数据需求内容", True, 40),
    Column("purpose", "用途", True, 28),
    Column("update_frequency", "数据更新频率要求", True, 16, _labels("update_cycle")),
]

CONTACT_ROLES = [
    ("leader", "分管负责人"),
    ("business_contact", "部门业务联络人"),
    ("it_contact", "信息技术联络人"),
]
CONTACT_COLUMNS = [
    Column("role", "", True, 16),
    Column("name", "姓名", False, 12),
    Column("position", "职务", False, 16),
    Column("office_phone", "办公电话", False, 16),
    Column("mobile", "手机", False, 16),
    Column("email", "电子邮箱", False, 26),
]
