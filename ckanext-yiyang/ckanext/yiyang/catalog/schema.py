"""The choice lists of the catalog entry (catalog-model §1): values, Chinese and English labels.

The scheming YAML names these lists by ``choices_helper``; validators, facets, templates and
exports read the same lists, so a label is written once.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.review import states as review_states

Choices = list[dict[str, Any]]


def _c(value: str, zh: str, en: str) -> dict[str, Any]:
    return {"value": value, "label": {"zh_Hans_CN": zh, "en": en}}


FORMAT_CLASSES: Choices = [
    _c("electronic_document", "电子文件", "Electronic document"),
    _c("spreadsheet", "电子表格", "Spreadsheet"),
    _c("database", "数据库", "Database"),
    _c("image", "图形图像", "Image"),
    _c("streaming_media", "流媒体", "Streaming media"),
    _c("self_describing", "自描述格式", "Self-describing format"),
    _c("service_interface", "服务接口", "Service interface"),
    _c("paper", "纸质", "Paper"),
    _c("other", "其他", "Other"),
]
SHARE_TYPES: Choices = [
    _c("unconditional", "无条件共享", "Unconditional sharing"),
    _c("conditional", "有条件共享", "Conditional sharing"),
    _c("none", "不予共享", "Not shared"),
]
SHARE_METHODS: Choices = [
    _c("platform_table", "共享平台·库表", "Sharing platform: tables"),
    _c("platform_api", "共享平台·接口", "Sharing platform: API"),
    _c("platform_file", "共享平台·文件", "Sharing platform: files"),
    _c("offline_email", "邮件", "E-mail"),
    _c("offline_media", "介质交换", "Media exchange"),
]
YES_NO: Choices = [_c("yes", "是", "Yes"), _c("no", "否", "No")]
UPDATE_CYCLES: Choices = [
    _c("realtime", "实时", "Real time"),
    _c("daily", "每日", "Daily"),
    _c("weekly", "每周", "Weekly"),
    _c("monthly", "每月", "Monthly"),
    _c("quarterly", "每季度", "Quarterly"),
    _c("semiannual", "每半年", "Every six months"),
    _c("annual", "每年", "Yearly"),
    _c("irregular", "不定期", "Irregular"),
]
DISCLOSURE_SCOPES: Choices = [
    _c("public", "对外公开", "Public"),
    _c("partial", "部分公开", "Partly public"),
    _c("internal", "对内公开", "Government internal"),
    _c("undisclosed", "不公开", "Undisclosed"),
]
MANAGEMENT_MODES: Choices = [
    _c("manual", "人工（纸质表格）", "Manual (paper forms)"),
    _c("computer", "计算机（电子表格）", "Computer (spreadsheets)"),
]
DATA_TYPES: Choices = [
    _c("integer", "整数型", "Integer"),
    _c("numeric", "数值型", "Numeric"),
    _c("datetime", "日期时间型", "Date and time"),
    _c("string", "字符型", "String"),
    _c("binary", "二进制数据型", "Binary"),
]
# Declared with the review state machine.
REVIEW_STATUSES: Choices = review_states.ENTRY.choices()

CHOICES: dict[str, Choices] = {
    "format_class": FORMAT_CLASSES,
    "share_type": SHARE_TYPES,
    "share_method": SHARE_METHODS,
    "open_to_public": YES_NO,
    "update_cycle": UPDATE_CYCLES,
    "disclosure_scope": DISCLOSURE_SCOPES,
    "management_mode": MANAGEMENT_MODES,
    "data_type": DATA_TYPES,
    "review_status": REVIEW_STATUSES,
}

# Which entries must describe their data items (信息项).
ITEMS_REQUIRED_FOR = frozenset({"spreadsheet", "database"})
# Data types whose items need a length.
LENGTH_REQUIRED_FOR = frozenset({"string", "binary"})
SHARE_CONDITION_REQUIRED_FOR = frozenset({"conditional", "none"})


def values(field: str) -> list[str]:
    return [c["value"] for c in CHOICES[field]]


def label(field: str, value: str, lang: str | None = None) -> str:
    """The label of ``value`` of the choice list ``field`` in ``lang`` (default: request's)."""
    lang = lang or _current_lang()
    for choice in CHOICES.get(field, []):
        if choice["value"] == value:
            labels = choice["label"]
            return labels["en"] if lang == "en" else labels["zh_Hans_CN"]
    return value


def _current_lang() -> str:
    try:
        return tk.h.lang() or "zh_Hans_CN"
    except (RuntimeError, AttributeError):  # outside a request
        return "zh_Hans_CN"


ZH = "zh_Hans_CN"


def field_label(field: str, lang: str = ZH, *, item: bool = False, entity: str = "dataset") -> str:
    """The label of ``field`` in the scheming schema (``schemas/dataset.yaml``, or with
    ``entity="organization"`` ``schemas/organization.yaml``) in ``lang``: the workbooks, the
    book and the import's problems name a field as the form does. ``item``: a field of a
    信息项 (``data_items``' subfields)."""
    fields = _schema_fields(entity)
    if item:
        fields = {f["field_name"]: f for f in fields["data_items"].get("repeating_subfields", [])}
    label = fields[field]["label"]
    if isinstance(label, dict):
        return str(label.get(lang) or label[ZH])
    return str(label)


def _schema_fields(entity: str) -> dict[str, dict[str, Any]]:
    from ckanext.scheming import helpers as scheming

    if entity == "organization":
        found = scheming.scheming_get_organization_schema("organization")
        key = "fields"
    else:
        found = scheming.scheming_get_dataset_schema(entity)
        key = "dataset_fields"
    if not found:  # scheming not loaded (a script without the plugins): the packaged file
        found = _packaged_schema(entity)
    return {f["field_name"]: f for f in found[key]}


def _packaged_schema(entity: str) -> dict[str, Any]:
    import importlib.resources

    import yaml

    name = "organization.yaml" if entity == "organization" else "dataset.yaml"
    text = importlib.resources.files("ckanext.yiyang.schemas").joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)
