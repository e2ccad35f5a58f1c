"""Reading the values of choice columns: the Chinese labels of the templates, the API codes,
the guide's codes (数据类型 C, N, I, D, T …) and the spellings units commonly write.

A value is compared after NFKC (full-width letters and brackets become plain), case folding
and removing spaces and punctuation, so ``共享平台-库表``, ``共享平台·库表`` and ``共享平台 库表``
are one value. Every value read otherwise than as the template's own label is reported.
"""

from __future__ import annotations

import re
import unicodedata

from ckanext.yiyang.catalog import schema

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)

# Spellings besides the label and the API code, by field and code.
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "format_class": {
        "electronic_document": ["电子文档", "文件", "文档", "电子文本", "文本"],
        "spreadsheet": ["表格", "excel", "xls", "xlsx", "et", "电子表"],
        "database": ["数据库表", "库表", "db", "结构化数据"],
        "image": ["图像", "图片", "图形", "图形图象", "图象"],
        "streaming_media": ["音视频", "视频", "音频", "多媒体"],
        "self_describing": ["自描述", "自描述文件"],
        "service_interface": ["接口", "api", "服务", "webservice"],
        "paper": ["纸质文件", "纸质材料", "纸件"],
        "other": ["其它"],
    },
    "share_type": {
        "unconditional": ["无条件", "无条件共享类", "1"],
        "conditional": ["有条件", "有条件共享类", "2"],
        "none": ["不予共享类", "不共享", "不予", "不可共享", "3"],
    },
    "share_method": {
        "platform_table": ["库表", "数据库表", "共享平台库表交换", "库表交换", "数据交换"],
        "platform_api": ["接口", "共享平台接口调用", "接口调用", "api", "服务接口"],
        "platform_file": ["文件", "共享平台文件下载", "文件下载", "文件交换"],
        "offline_email": ["电子邮件", "email", "e-mail", "邮件发送"],
        "offline_media": ["介质", "拷盘", "光盘", "u盘", "移动介质", "离线介质"],
    },
    "open_to_public": {
        "yes": ["y", "true", "1", "开放", "向社会开放", "对社会开放", "是否向社会开放是"],
        "no": ["n", "false", "0", "不开放", "不向社会开放", "否不开放"],
    },
    "update_cycle": {
        "realtime": ["即时", "实时更新", "实时同步", "随时"],
        "daily": ["每天", "日", "按日", "天", "每日更新", "日更新"],
        "weekly": ["周", "按周", "每周更新"],
        "monthly": ["月", "按月", "每月更新", "月度"],
        "quarterly": ["季度", "每季", "按季", "按季度", "季", "每季度更新"],
        "semiannual": ["半年", "每半年更新", "按半年", "半年度"],
        "annual": ["年", "每年度", "按年", "年度", "每年更新", "一年"],
        "irregular": ["不定时", "不定期更新", "按需", "其他", "其它"],
    },
    "disclosure_scope": {
        "public": ["公开", "完全公开", "社会公开", "向社会公开"],
        "partial": ["部分", "部份公开"],
        "internal": ["内部公开", "政务内部公开", "对内", "内部"],
        "undisclosed": ["不予公开", "非公开", "保密"],
    },
    "management_mode": {
        "manual": ["人工", "纸质", "纸质表格", "手工", "人工纸质"],
        "computer": ["计算机", "电子表格", "电子", "信息系统", "计算机电子"],
    },
    # 2017 guide codes: 字符型C, 数值型N, 货币型Y, 日期型D, 日期时间型T, 逻辑型L, 备注型M,
    # 通用型G, 双精度型B, 整型I, 浮点型F (standards.md): I → 整数型; N, Y, B, F → 数值型;
    # D, T → 日期时间型; C, M → 字符型; G → 二进制数据型.
    "data_type": {
        "integer": ["i", "整数", "整型", "int", "bigint", "smallint", "number整数"],
        "numeric": [
            "n",
            "y",
            "b",
            "f",
            "数值",
            "数字",
            "数值类型",
            "货币型",
            "货币",
            "双精度型",
            "双精度",
            "浮点型",
            "浮点",
            "numeric",
            "number",
            "decimal",
            "float",
            "double",
        ],
        "datetime": [
            "d",
            "t",
            "dt",
            "日期",
            "日期型",
            "时间",
            "时间型",
            "日期时间",
            "date",
            "datetime",
            "timestamp",
            "time",
        ],
        "string": [
            "c",
            "m",
            "字符",
            "字符串",
            "字符型",
            "文本",
            "文本型",
            "备注型",
            "varchar",
            "varchar2",
            "nvarchar",
            "char",
            "string",
            "text",
        ],
        "binary": ["g", "二进制", "二进制型", "通用型", "blob", "binary", "bytea"],
    },
}


def fold(value: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", value).casefold())


class Choices:
    """The values one choice column accepts."""

    def __init__(self, field: str, choices: schema.Choices) -> None:
        self.field = field
        self.labels = {c["value"]: c["label"]["zh_Hans_CN"] for c in choices}
        self.exact = {label: code for code, label in self.labels.items()}
        self.folded: dict[str, str] = {}
        for code, label in self.labels.items():
            for spelling in (label, code, c_label_en(choices, code)):
                self.folded.setdefault(fold(spelling), code)
        for code, spellings in SYNONYMS.get(field, {}).items():
            for spelling in spellings:
                self.folded.setdefault(fold(spelling), code)

    def read(self, value: str) -> tuple[str | None, bool]:
        """``(code, mapped)``: the code (None if unknown) and whether it was read otherwise
        than as the template's label."""
        if value in self.exact:
            return self.exact[value], False
        code = self.folded.get(fold(value))
        return code, code is not None

    def allowed(self) -> str:
        return "、".join(self.labels.values())


def c_label_en(choices: schema.Choices, code: str) -> str:
    for choice in choices:
        if choice["value"] == code:
            return str(choice["label"]["en"])
    return code


_CACHE: dict[str, Choices] = {}


def choices(field: str) -> Choices:
    if field not in _CACHE:
        _CACHE[field] = Choices(field, schema.CHOICES[field])
    return _CACHE[field]
