"""Real catalog rows (../shared/data/real-catalogs/catalog_all.jsonl.gz) mapped onto our schema:
shared by benchmarks/search_quality.py (entries loaded through the action API) and
benchmarks/real_workbook.py (entries written as the 附件3 workbook). benchmarks/README.md states
every decision; whatever cannot be mapped is skipped or defaulted with a counted reason
(``Stats``), never guessed silently.
"""

from __future__ import annotations

import collections
import dataclasses
import gzip
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_ENV = "YIYANG_REAL_CATALOGS"
DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "real-catalogs" / "catalog_all.jsonl.gz"


# --- mapping: the documented defaults and placeholders ---------------------

# The sources have no 共享类型 (they are open-data catalogs); the benchmark needs a valid value
# and takes one that adds no text to the index. Not derived from 开放属性.
SHARE_TYPE = "unconditional"
SHARE_METHOD = "platform_file"
# Names only are known of the 信息项: each is a string of this nominal length.
ITEM_TYPE = "string"
ITEM_LENGTH = 255
OPEN_CONDITION_UNKNOWN = "来源目录未注明开放条件"
UPDATE_CYCLE_DEFAULT = "irregular"
SUBJECT_DEFAULT = "01"
# Rows whose category names none of the 基础/主题 items are 部门信息资源 of their unit's group.
DEPARTMENT_CLASS = "3"

EMPTY_VALUES = frozenset(
    {"", "null", "none", "暂无", "无", "[]", "其他", "其它", "默认主题", "默认行业", "-", "/"}
)
PLACEHOLDER_TITLE = re.compile(r"^(?:[xX×＊*?？.\-—_ 0-9]+|测试|test|null|暂无|无)$")

# The keyword tables keep several pairs a line, grouped by code: easier to read and check.
# fmt: off
# Keywords of 类别/国家主题 → 资源属性分类 项 (first match wins, so specific before general).
CATALOG_KEYWORDS: list[tuple[str, str]] = [
    ("电子证照", "105"), ("证照", "105"),
    ("人口", "101"), ("户籍", "101"),
    ("法人", "102"), ("企业登记", "102"), ("市场主体", "102"), ("机构团体", "102"),
    ("地理空间", "103"), ("自然资源", "103"), ("国土", "103"), ("测绘", "103"),
    ("社会信用", "104"),
    ("信用", "208"),
    ("食品", "204"), ("药品", "204"), ("药监", "204"),
    ("安全生产", "205"), ("安全监管", "205"),
    ("物价", "206"), ("价格", "206"),
    ("能源", "207"), ("电力", "207"), ("石油", "207"),
    ("医疗", "202"), ("卫生", "202"), ("健康", "202"),
    ("社保", "203"), ("就业", "203"), ("社会保障", "203"), ("社会救助", "203"), ("人社", "203"),
    ("生态", "211"), ("环境", "211"), ("环保", "211"),
    ("城建", "209"), ("住房", "209"), ("城乡建设", "209"), ("城市建设", "209"), ("规划", "209"),
    ("社区", "210"), ("民政", "210"),
    ("公共安全", "212"), ("应急", "212"), ("公安", "212"),
    ("生活服务", "201"), ("民生服务", "201"), ("公共服务", "201"), ("教育", "201"),
    ("文化", "201"), ("旅游", "201"), ("交通", "201"), ("气象服务", "201"),
]

# Keywords → GB/T 21063.4 top class (data/subject_categories.yaml), first match wins.
SUBJECT_KEYWORDS: list[tuple[str, str]] = [
    ("综合政务", "01"), ("政府机构", "01"),
    ("气象", "11"), ("水文", "11"), ("测绘", "11"), ("地震", "11"),
    ("对外", "12"), ("外事", "12"),
    ("军事", "16"), ("国防", "16"),
    ("党团", "20"), ("党建", "20"),
    ("文秘", "19"),
    ("信息产业", "05"), ("信息传输", "05"), ("软件", "05"),
    ("城乡建设", "06"), ("城建", "06"), ("住房", "06"), ("城市建设", "06"), ("环境", "06"),
    ("生态", "06"), ("环保", "06"), ("市政", "06"), ("房地产", "06"), ("建筑", "06"),
    ("国土", "03"), ("资源", "03"), ("能源", "03"), ("地理", "03"), ("电力", "03"),
    ("采矿", "03"),
    ("农业", "07"), ("水利", "07"), ("林", "07"), ("渔", "07"), ("畜牧", "07"),
    ("工业", "04"), ("交通", "04"), ("邮政", "04"), ("制造", "04"),
    ("财政", "08"), ("财税", "08"), ("税务", "08"), ("金融", "08"),
    ("商贸", "09"), ("商业", "09"), ("贸易", "09"), ("批发", "09"), ("零售", "09"),
    ("旅游", "10"), ("服务业", "10"), ("生活服务", "10"), ("住宿", "10"), ("餐饮", "10"),
    ("休闲", "10"),
    ("公共安全", "13"), ("公安", "13"), ("法律", "13"), ("政法", "13"), ("监察", "13"),
    ("司法", "13"),
    ("科技", "14"), ("教育", "14"),
    ("文体", "15"), ("娱乐", "15"), ("文化", "15"), ("卫生", "15"), ("医疗", "15"),
    ("健康", "15"), ("体育", "15"),
    ("社保", "17"), ("就业", "17"), ("劳动", "17"), ("人事", "17"), ("人社", "17"),
    ("民政", "18"), ("社区", "18"), ("社会救助", "18"), ("社会保障", "18"), ("机构团体", "18"),
    ("房屋", "06"),
    ("经济", "02"), ("统计", "02"), ("市场监", "02"), ("质量", "02"), ("工商", "02"),
    ("企业", "02"), ("信用", "02"),
]

# 更新周期 as published → ours. Parenthesised notes ("不定期(更新说明:…)") are dropped first.
UPDATE_CYCLES: dict[str, str] = {
    "实时": "realtime", "即时": "realtime", "小时级": "realtime", "分钟级": "realtime",
    "每日": "daily", "每天": "daily", "日": "daily", "每1日": "daily",
    "每周": "weekly", "周": "weekly",
    "每月": "monthly", "月": "monthly", "每1月": "monthly",
    "每季度": "quarterly", "季度": "quarterly", "每3月": "quarterly",
    "每半年": "semiannual", "半年": "semiannual", "每6月": "semiannual",
    "每年": "annual", "年": "annual", "按年更新": "annual", "按年": "annual",
    "不定期": "irregular", "不定时": "irregular", "不定期更新": "irregular",
}

# Format words → format class. The first class (in FORMAT_PRIORITY) any word names wins.
FORMAT_WORDS: dict[str, str] = {
    **dict.fromkeys(["数据库", "mysql", "oracle", "sqlserver", "impala", "db", "table", "库表",
                     "postgresql", "达梦"], "database"),
    **dict.fromkeys(["xls", "xlsx", "csv", "excel", "电子表格", "表格", "et"], "spreadsheet"),
    **dict.fromkeys(["json", "xml", "rdf"], "self_describing"),
    **dict.fromkeys(["api", "接口", "服务接口", "http", "webservice", "service"],
                    "service_interface"),
    **dict.fromkeys(["doc", "docx", "pdf", "txt", "文本", "file", "ofd", "wps", "电子文件", "文件",
                     "zip", "rar"], "electronic_document"),
    **dict.fromkeys(["jpg", "jpeg", "png", "gif", "tif", "图片", "图像", "图形图像"], "image"),
    **dict.fromkeys(["mp4", "avi", "视频", "流媒体"], "streaming_media"),
}
FORMAT_PRIORITY = ["database", "spreadsheet", "self_describing", "service_interface",
                   "electronic_document", "image", "streaming_media"]
ITEMS_REQUIRED_FOR = frozenset({"spreadsheet", "database"})

# Words of a unit's name → its group of 附件1 (01 党委, 03 人大政协法检, 04 群团, 05 企业).
UNIT_GROUP_WORDS: list[tuple[str, str]] = [
    ("公司", "05"), ("集团", "05"), ("银行", "05"), ("供电", "05"), ("电网", "05"),
    ("总工会", "04"), ("工会", "04"), ("团委", "04"), ("共青团", "04"), ("妇联", "04"),
    ("妇女联合会", "04"), ("科协", "04"), ("科学技术协会", "04"), ("残联", "04"),
    ("残疾人联合会", "04"), ("侨联", "04"), ("文联", "04"), ("红十字会", "04"), ("工商联", "04"),
    ("人大", "03"), ("政协", "03"), ("法院", "03"), ("检察院", "03"),
    ("中共", "01"), ("党委", "01"), ("纪委", "01"), ("组织部", "01"), ("宣传部", "01"),
    ("统战部", "01"), ("政法委", "01"), ("编办", "01"), ("机构编制", "01"), ("档案", "01"),
    ("党史", "01"), ("老干部", "01"),
]
# fmt: on
UNIT_GROUPS = ["01", "02", "03", "04", "05"]
REGION_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


# --- reading -------------------------------------------------------------------------------


def data_path(option: str | None) -> Path:
    """The catalog file: --data, else $YIYANG_REAL_CATALOGS, else ../shared/data/…"""
    path = Path(option or os.environ.get(DATA_ENV) or DEFAULT_DATA)
    if not path.is_file():
        sys.exit(f"real catalog data not found at {path} (give --data or ${DATA_ENV})")
    return path


def portal_of(source_id: str) -> str:
    return source_id.rsplit("-", 1)[0]


def read_rows(path: Path, portals: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows of the wanted portals (all when None), by portal, in file order, without their
    bulky ``raw`` copy."""
    wanted = None if portals is None else set(portals)
    rows: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            portal = portal_of(row["id"])
            if wanted is None or portal in wanted:
                row.pop("raw", None)
                rows[portal].append(row)
    return rows


# --- mapping ------------------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(text(v) for v in value)
    return re.sub(r"\s+", " ", str(value)).strip()


def present(value: Any) -> str:
    """The value as text, or "" when it is one of the sources' ways of saying nothing."""
    value_text = text(value)
    return "" if value_text.strip("'\"[] ").lower() in EMPTY_VALUES else value_text


def first_keyword(texts: Iterable[str], table: list[tuple[str, str]]) -> str | None:
    for value in texts:
        for word, code in table:
            if value and word in value:
                return code
    return None


def split_words(value: Any) -> list[str]:
    """Tags and formats are lists, list reprs ("['a', 'b']", "[a,b]") or delimited strings."""
    parts = [str(v) for v in value] if isinstance(value, list) else [str(value or "")]
    words: list[str] = []
    for part in parts:
        words.extend(re.split(r"[,，;；、|/\s\[\]'\"]+", part))
    return [w.strip() for w in words if w.strip()]


def clean_tag(word: str) -> str:
    # CKAN allows letters, digits, space, - _ . in tags: anything else becomes a space.
    return re.sub(r"\s+", " ", re.sub(r"[^\w \-.]", " ", word)).strip()


def map_tags(row: dict[str, Any]) -> tuple[list[str], str]:
    """关键字: the published tags, else the category, else the industry; and which it was."""
    for source in ("tags", "category", "industry"):
        tags: list[str] = []
        for word in split_words(row.get(source)):
            tag = clean_tag(word)
            if 2 <= len(tag) <= 100 and present(tag) and tag not in tags:
                tags.append(tag)
        if tags:
            return tags, source
    return [], "none"


def format_words(value: Any) -> list[str]:
    return [
        w.lower()
        for w in re.split(r"[-:：]", " ".join(split_words(value)))
        for w in w.split()
        if w
    ]


def map_format_class(row: dict[str, Any]) -> str:
    classes = {FORMAT_WORDS[w] for w in format_words(row.get("formats")) if w in FORMAT_WORDS}
    return next((c for c in FORMAT_PRIORITY if c in classes), "other")


def map_update_cycle(value: Any) -> str | None:
    raw = re.sub(r"[(（].*?[)）]", "", text(value)).strip("‘’'\" ")
    return UPDATE_CYCLES.get(raw.replace(" ", ""))


def map_items(row: dict[str, Any]) -> list[dict[str, Any]]:
    """信息项 from the names split out of the summary; a name given twice is kept once."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in row.get("data_items_from_summary") or []:
        name = text(name)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            items.append({"name": name, "data_type": ITEM_TYPE, "length": ITEM_LENGTH})
    return items


def short_region(region: str) -> str:
    for suffix in REGION_SUFFIXES:
        if region.endswith(suffix) and len(region) > len(suffix) + 1:
            return region[: -len(suffix)]
    return region


def unit_title(row: dict[str, Any]) -> str:
    """The unit's name: the provider, made absolute with the region (and the district of the
    hz- rows) where it is relative (省…厅, 市…局, 区…局) or carries no place name."""
    provider = present(row.get("provider"))
    region = text(row.get("region"))
    district = text(row.get("region_district"))
    if not provider:
        return ""
    if region in provider or short_region(region) in provider:
        return provider
    if provider[0] in "省市" and region.endswith(provider[0]):
        return region + provider[1:]
    if district and district not in provider:
        if provider[0] in "区县" and district.endswith(provider[0]):
            return region + district + provider[1:]
        return region + district + provider
    return short_region(region) + provider if region.endswith("自治区") else region + provider


def unit_group_of(title: str) -> str:
    return first_keyword([title], UNIT_GROUP_WORDS) or "02"


@dataclasses.dataclass
class Stats:
    """What the mapping skipped, defaulted and substituted, by reason (printed as tables)."""

    skipped: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    defaulted: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    unmapped: dict[str, collections.Counter[str]] = dataclasses.field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    examples: dict[str, list[str]] = dataclasses.field(
        default_factory=lambda: collections.defaultdict(list)
    )

    def skip(self, reason: str, source_id: str) -> None:
        self.skipped[reason] += 1
        if len(self.examples[reason]) < 5:
            self.examples[reason].append(source_id)

    def default(self, what: str, value: str = "") -> None:
        self.defaulted[what] += 1
        if value:
            self.unmapped[what][value[:40]] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "skipped": dict(self.skipped.most_common()),
            "skip_examples": dict(self.examples),
            "defaulted": dict(self.defaulted.most_common()),
            "unmapped_values": {k: dict(v.most_common(10)) for k, v in self.unmapped.items()},
        }


@dataclasses.dataclass
class Candidate:
    source_id: str
    portal: str
    dup_key: tuple[str, str]
    unit: str
    dataset: dict[str, Any]


def map_row(row: dict[str, Any], stats: Stats) -> Candidate | None:
    """One source row as our entry (owner_org still a unit title), or None with the reason."""
    source_id = row["id"]
    title = text(row.get("title"))
    if not title:
        stats.skip("no title", source_id)
        return None
    if PLACEHOLDER_TITLE.match(title):
        stats.skip("placeholder title (XX, digits, 测试…)", source_id)
        return None
    unit = unit_title(row)
    if not unit:
        stats.skip("no provider (信息资源提供方 is required)", source_id)
        return None

    notes = present(row.get("description"))
    if not notes:
        stats.default("notes ← title (no description)")
        notes = title
    tags, tag_source = map_tags(row)
    if tag_source in ("category", "industry"):
        stats.default(f"tags ← {tag_source} (no tags)")
    elif not tags:
        stats.skip("no keyword (no tags, category or industry)", source_id)
        return None

    themes = [
        present(row.get("national_theme")),
        present(row.get("category")),
        present(row.get("industry")),
    ]
    catalog = first_keyword(themes[:2], CATALOG_KEYWORDS)
    if catalog is None:
        stats.default("catalog_category ← 3<unit_group> (部门信息资源)", themes[1] or themes[0])
        catalog = DEPARTMENT_CLASS + unit_group_of(unit)
    subject = first_keyword(themes, SUBJECT_KEYWORDS)
    if subject is None:
        stats.default(f"subject_category ← {SUBJECT_DEFAULT}", " | ".join(filter(None, themes)))
        subject = SUBJECT_DEFAULT

    cycle_text = present(row.get("update_cycle"))
    cycle = map_update_cycle(cycle_text)
    if cycle is None:
        stats.default(f"update_cycle ← {UPDATE_CYCLE_DEFAULT}", cycle_text or "(empty)")
        cycle = UPDATE_CYCLE_DEFAULT

    open_condition = present(row.get("open_condition")) or present(row.get("open_type"))
    if not open_condition:
        stats.default("open_condition ← 来源目录未注明开放条件")
        open_condition = OPEN_CONDITION_UNKNOWN

    items = map_items(row)
    format_class = map_format_class(row)
    if format_class in ITEMS_REQUIRED_FOR and not items:
        # Our schema wants 信息项 for tables and databases; these sources give none.
        stats.default(f"format_class {format_class} → other (no 信息项 in the source)")
        format_class = "other"
    elif format_class == "other":
        stats.default(
            "format_class ← other (formats empty or unknown)",
            text(row.get("formats")) or "(empty)",
        )

    dataset: dict[str, Any] = {
        "type": "dataset",
        "title": title,
        "notes": notes,
        "catalog_category": catalog,
        "subject_category": subject,
        "tag_string": ",".join(tags),
        "format_class": format_class,
        "share_type": SHARE_TYPE,
        "share_method": SHARE_METHOD,
        "open_to_public": "yes",
        "open_condition": open_condition,
        "update_cycle": cycle,
        "disclosure_scope": "public",
        "management_mode": "computer",
    }
    format_type = ",".join(split_words(row.get("formats")))[:200]
    if format_type:
        dataset["format_type"] = format_type
    if items:
        dataset["data_items"] = items
    region = text(row.get("region"))
    return Candidate(source_id, portal_of(source_id), (region, title), unit, dataset)


def map_rows(rows: list[dict[str, Any]], stats: Stats) -> list[Candidate]:
    return [c for c in (map_row(r, stats) for r in rows) if c is not None]


#: codes of a unit group (``unit_code`` is three digits)
GROUP_CODES = 999


def assign_units(
    candidates: list[Candidate], stats: Stats | None = None
) -> dict[str, tuple[str, str]]:
    """Unit title → (unit_group, unit_code): the group from its name, codes in order of first
    appearance. A full group (999 units) spills into the next group with room. Once every
    group is full (the 128,929 rows name 5,522 providers of many regions, one city's catalog
    has room for 4,995), a unit shares the code of an earlier unit of its group, in turn:
    its entries go to that unit (counted in ``stats``)."""
    used = dict.fromkeys(UNIT_GROUPS, 0)
    shared = 0
    units: dict[str, tuple[str, str]] = {}
    for candidate in candidates:
        if candidate.unit in units:
            continue
        group = home = unit_group_of(candidate.unit)
        while used[group] >= GROUP_CODES:
            group = UNIT_GROUPS[(UNIT_GROUPS.index(group) + 1) % len(UNIT_GROUPS)]
            if group == home:  # every group full
                break
        if used[group] < GROUP_CODES:
            used[group] += 1
            units[candidate.unit] = (group, f"{used[group]:03d}")
            continue
        units[candidate.unit] = (home, f"{shared % GROUP_CODES + 1:03d}")
        shared += 1
        if stats is not None:
            stats.default("unit sharing an earlier unit's code (every group's 999 taken)")
    return units
