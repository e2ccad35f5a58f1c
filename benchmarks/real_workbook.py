"""An entries workbook (附件3 数据提供调查表) of thousands of real catalog entries, for trying the
importer and the exporter at scale on material we did not write.

    .venv/bin/python benchmarks/real_workbook.py -o var/real-entries.xlsx            # 5,000
    .venv/bin/python benchmarks/real_workbook.py -o var/real-entries.xlsx -n 20000 --without-items
    .venv/bin/python benchmarks/real_workbook.py -o var/real-entries.xlsx --both     # two files

Rows of ../shared/data/real-catalogs/catalog_all.jsonl.gz are mapped onto our schema by the
same rules as benchmarks/search_quality.py (``real_data.py``), spread over our 88 units and
written by the portal's own exporter (``ckanext.yiyang.survey.exports``), so the layout is the
template's. No CKAN, database or Solr is needed. Nothing of the real data enters the
repository: write the workbook under var/ or /tmp. benchmarks/README.md states every rule.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from real_data import (
    DATA_ENV,
    DEPARTMENT_CLASS,
    ITEM_LENGTH,
    SHARE_METHOD,
    SHARE_TYPE,
    Candidate,
    Stats,
    data_path,
    map_row,
    read_rows,
)

SEED = "yiyang-real-workbook-1"

# Words of a provider's name → our unit (附件1), first match wins: specific before general
# (交警 before 公安, 工商联 before 工商, 公积金 before 住房). A provider none of them names is
# given a unit by a stable hash of its name, so one provider's entries stay together.
# fmt: off
UNIT_WORDS: list[tuple[str, str]] = [
    ("纪委", "市纪委（市监察局）"), ("纪律检查", "市纪委（市监察局）"), ("监察委", "市纪委（市监察局）"),
    ("组织部", "市委组织部"), ("宣传部", "市委宣传部"), ("统战部", "市委统战部"),
    ("政法委", "市委政法委"), ("机关工委", "市直机关工委"), ("机构编制", "市编办"), ("编办", "市编办"),
    ("党史", "市党史办"), ("老干部", "市委老干局"), ("档案", "市档案局"),
    ("人民政府办公", "市政府办"), ("政府办公", "市政府办"),
    ("发展和改革", "市发改委"), ("发展改革", "市发改委"), ("发改", "市发改委"),
    ("工商联", "市工商联"), ("工商业联合会", "市工商联"),
    ("科学技术协会", "市科协"), ("科协", "市科协"),
    ("教育", "市教育局"), ("科学技术", "市科技局"), ("科技", "市科技局"),
    ("经济和信息化", "市经信委"), ("工业和信息化", "市经信委"), ("经信", "市经信委"),
    ("交通警察", "市交警支队"), ("交警", "市交警支队"), ("消防", "市消防支队"),
    ("公安", "市公安局"), ("民政", "市民政局"), ("司法", "市司法局"), ("财政", "市财政局"),
    ("人力资源", "市人力资源社会保障局"), ("人社", "市人力资源社会保障局"),
    ("社会保险", "市人力资源社会保障局"), ("医疗保障", "市人力资源社会保障局"),
    ("自然资源", "市国土资源局"), ("国土", "市国土资源局"),
    ("生态环境", "市环保局"), ("环境保护", "市环保局"), ("环保", "市环保局"),
    ("规划", "市规划局"),
    ("公积金", "市公积金中心"), ("房产", "市房管局"), ("房屋", "市房管局"),
    ("住房和城乡建设", "市住房城乡建设局"), ("住房城乡建设", "市住房城乡建设局"), ("住建", "市住房城乡建设局"),
    ("城市管理", "市城管执法局"), ("城管", "市城管执法局"), ("综合执法", "市城管执法局"),
    ("海事", "市地方海事局"), ("公路", "市公路局"), ("交通运输", "市交通运输局"), ("交通", "市交通运输局"),
    ("畜牧", "市畜牧水产局"), ("水产", "市畜牧水产局"), ("渔业", "市畜牧水产局"),
    ("农业机械", "市农机局"), ("农机", "市农机局"), ("农业", "市农委"), ("农村", "市农委"),
    ("水务", "市水务局"), ("水利", "市水务局"), ("供水", "自来水公司"), ("自来水", "自来水公司"),
    ("林业", "市林业局"), ("园林", "市林业局"), ("商务", "市商务局"),
    ("文化", "市文体广新局"), ("体育", "市文体广新局"), ("广播电视", "市文体广新局"),
    ("新闻出版", "市文体广新局"), ("旅游", "市旅游局"),
    ("卫生", "市卫生计生委"), ("健康", "市卫生计生委"), ("计划生育", "市卫生计生委"),
    ("审计", "市审计局"),
    ("食品药品", "市食品药品监管局"), ("药品监督", "市食品药品监管局"),
    ("质量技术监督", "市质监局"), ("质监", "市质监局"),
    ("市场监督", "市工商局"), ("市场监管", "市工商局"), ("工商", "市工商局"),
    ("应急管理", "市安监局"), ("安全生产", "市安监局"), ("安监", "市安监局"),
    ("调查队", "国调队"), ("统计", "市统计局"), ("粮食", "市粮食局"), ("法制", "市法制办"),
    ("国有资产", "市国资委"), ("国资", "市国资委"), ("人民防空", "市人防办"), ("人防", "市人防办"),
    ("信访", "市信访局"), ("地方志", "市地方志"), ("供销", "市供销社"), ("移民", "市移民局"),
    ("政务服务", "市政务中心"), ("行政审批", "市政务中心"), ("大数据", "市政务中心"),
    ("公共资源交易", "市交易中心"), ("地震", "市地震局"),
    ("人大", "市人大办公室"), ("政协", "市政协办公室"), ("法院", "市中级人民法院"),
    ("检察", "市人民检察院"), ("总工会", "市总工会"), ("共青团", "团市委"), ("团委", "团市委"),
    ("妇女联合会", "市妇联"), ("妇联", "市妇联"), ("文学艺术", "市文联"), ("文联", "市文联"),
    ("残疾人", "市残联"), ("残联", "市残联"), ("社会科学", "市社科联"), ("社科联", "市社科联"),
    ("贸促", "市贸促会"), ("国际贸易促进", "市贸促会"), ("红十字", "红十字会"),
    ("税务", "市国税局"), ("国税", "市国税局"), ("地税", "市地税局"), ("气象", "市气象局"),
    ("烟草", "市烟草局"), ("盐务", "市盐务局"), ("邮政", "市邮政管理局"),
    ("供电", "国网益阳供电公司"), ("电网", "国网益阳供电公司"), ("电力", "国网益阳供电公司"),
    ("人民银行", "人民银行益阳分行"), ("银保监", "市银监局"), ("银监", "市银监局"),
]
# fmt: on


def our_units() -> list[Any]:
    from ckanext.yiyang.catalog import units

    return units.units_in_order()


def assign_unit(provider: str, titles: list[str]) -> tuple[str, str]:
    """The unit of 附件1 a provider's entries go to (see UNIT_WORDS), and how it was found."""
    for word, title in UNIT_WORDS:
        if word in provider:
            return title, "owner_org ← unit named by the provider's name"
    by_hash = titles[zlib.crc32(provider.encode("utf-8")) % len(titles)]
    return by_hash, "owner_org ← unit by a stable hash of the provider's name"


def select(
    rows: dict[str, list[dict[str, Any]]], count: int, with_items: bool, stats: Stats
) -> list[tuple[Candidate, str]]:
    """``count`` mapped entries with their unit: the rows that name 信息项 first (when items are
    wanted), then a seeded shuffle of all the others. Skipped, counted: what ``map_row`` skips,
    a second (unit, title) (the import takes it for the same entry twice), and a row left with
    no keyword once the keywords with a space are dropped (the import splits keywords at
    spaces, so such a keyword would come back as two)."""
    titles = [u.title for u in our_units()]
    everything = [row for portal in sorted(rows) for row in rows[portal]]
    rng = random.Random(SEED)
    rng.shuffle(everything)
    if with_items:
        everything.sort(key=lambda row: not row.get("data_items_from_summary"))  # stable
    chosen: list[tuple[Candidate, str]] = []
    seen: set[tuple[str, str]] = set()
    for row in everything:
        if len(chosen) >= count:
            break
        if not with_items and row.get("data_items_from_summary"):
            row = {**row, "data_items_from_summary": None}
        candidate = map_row(row, stats)
        if candidate is None:
            continue
        tags = candidate.dataset["tag_string"].split(",")
        kept = [t for t in tags if " " not in t]
        if len(kept) < len(tags):
            stats.default("keywords with a space dropped", f"{len(tags) - len(kept)}")
        if not kept:
            stats.skip("no keyword without a space", candidate.source_id)
            continue
        candidate.dataset["tag_string"] = ",".join(kept)
        unit, how = assign_unit(candidate.unit, titles)
        key = (unit, candidate.dataset["title"])
        if key in seen:
            stats.skip("duplicate of a chosen (unit, title)", candidate.source_id)
            continue
        seen.add(key)
        stats.default(how)
        chosen.append((candidate, unit))
    return chosen


def entries(
    chosen: list[tuple[Candidate, str]], spread: collections.Counter[str]
) -> Iterator[dict[str, Any]]:
    """The candidates as entry dicts in the shape the exporter reads (``package_show``'s)."""
    unit_codes = {u.title: DEPARTMENT_CLASS + u.group + u.code for u in our_units()}
    for candidate, unit in chosen:
        dataset = dict(candidate.dataset)
        spread[unit] += 1
        if dataset["catalog_category"].startswith(DEPARTMENT_CLASS):
            # 部门信息资源: the unit's own item of the tree (302011 市国土资源局)
            dataset["catalog_category"] = unit_codes[unit]
        dataset["organization"] = {"title": unit}
        dataset["provider_department"] = candidate.unit  # the publishing body, as published
        dataset["tags"] = [{"name": t} for t in dataset.pop("tag_string").split(",") if t]
        yield dataset


def build(
    path: Path,
    chosen: list[tuple[Candidate, str]],
    with_items: bool,
    spread: collections.Counter[str],
) -> Any:
    from ckanext.yiyang.catalog import categories
    from ckanext.yiyang.survey import exports

    # Outside the portal there is no database: the 资源属性分类 drop-down offers the shipped
    # tree (the levels the office adds live in the portal's database).
    categories._added = dict  # type: ignore[assignment]
    notes = [
        "本表由真实目录数据生成（../shared/data/real-catalogs/catalog_all.jsonl.gz），"
        "仅供测试导入和导出；共享类型、共享方式为占位值，来源数据没有这两项。",
    ]
    if with_items:
        notes.append(
            f"信息项只有名称（由摘要拆分），数据类型一律为字符型、长度 {ITEM_LENGTH}（名义值）。"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return exports.write_workbook(
        str(path), entries(chosen, spread), total=len(chosen), notes=notes
    )


def report(path: Path, written: Any, stats: Stats, seconds: float) -> None:
    print(f"\n{path}: {written.entries} entries, {written.items} 信息项 rows ({seconds:.1f} s)")
    summary = stats.as_dict()
    print("rows skipped, by reason:")
    for reason, number in summary["skipped"].items():
        print(f"  {number:7d}  {reason}")
    print(f"  {sum(summary['skipped'].values()):7d}  total")
    print("values defaulted or substituted (entries still written):")
    for what, number in summary["defaulted"].items():
        print(f"  {number:7d}  {what}")
    print(
        f"placeholders (the sources have no 共享类型): share_type={SHARE_TYPE}, "
        f"share_method={SHARE_METHOD}"
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", required=True, help="the .xlsx to write (var/ or /tmp)")
    parser.add_argument("-n", "--count", type=int, default=5000, help="entries (default 5000)")
    items = parser.add_mutually_exclusive_group()
    items.add_argument(
        "--with-items",
        dest="items",
        action="store_const",
        const="with",
        help="信息项 rows where the source names them (default)",
    )
    items.add_argument(
        "--without-items", dest="items", action="store_const", const="without", help="no 信息项"
    )
    items.add_argument(
        "--both",
        dest="items",
        action="store_const",
        const="both",
        help="both workbooks: FILE with items, FILE-without-items.xlsx without",
    )
    parser.add_argument(
        "--data",
        help=f"catalog_all.jsonl.gz (default ${DATA_ENV}, else "
        "../shared/data/real-catalogs/catalog_all.jsonl.gz)",
    )
    parser.set_defaults(items="with")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.count < 1:
        sys.exit("-n must be at least 1")
    output = Path(args.output)
    rows = read_rows(data_path(args.data))
    print(f"read {sum(len(r) for r in rows.values())} rows of {len(rows)} portals")
    runs = {"with": [(output, True)], "without": [(output, False)]}.get(args.items) or [
        (output, True),
        (output.with_name(f"{output.stem}-without-items{output.suffix}"), False),
    ]
    for path, with_items in runs:
        started = time.monotonic()
        stats = Stats()
        chosen = select(rows, args.count, with_items, stats)
        if len(chosen) < args.count:
            print(f"only {len(chosen)} entries could be mapped (asked for {args.count})")
        spread: collections.Counter[str] = collections.Counter()
        written = build(path, chosen, with_items, spread)
        report(path, written, stats, time.monotonic() - started)
        providers = len({c.unit for c, _unit in chosen})
        low, high = min(spread.values()), max(spread.values())
        print(
            f"{providers} source providers → {len(spread)} of our {len(our_units())} units "
            f"({low}–{high} entries each)"
        )


if __name__ == "__main__":
    main()
