"""A book's content built from real catalog rows without the portal's database or index: the
rows ``real_workbook.py`` chooses (信息项 first), grouped and ordered as ``book.source`` groups
published entries, for timing the PDF's layout alone (``book_render.py --sample N``)."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import real_workbook
from real_data import Stats, data_path, read_rows


def _chosen(count: int) -> list[dict[str, Any]]:
    """The ``count`` entries, chosen in a process of its own: reading all the real rows takes
    hundreds of megabytes that the book's process must not hold."""
    done = subprocess.run(
        [sys.executable, __file__, str(count)], check=True, capture_output=True, text=True
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line]


def sample(count: int, edition: str = "public") -> tuple[Any, list[tuple[str, Any]]]:
    """The plan and the blocks (``book.source.blocks``) of ``count`` real entries."""
    from ckanext.yiyang.book import source
    from ckanext.yiyang.catalog import units

    orgs = {
        u.title: {"id": u.title, "title": u.title, "unit_group": u.group, "unit_code": u.code}
        for u in units.units_in_order()
    }
    by_group: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for number, entry in enumerate(_chosen(count)):
        unit = entry["organization"]["title"]
        entry["resource_code"] = f"{entry['catalog_category']}-{number:05d}"
        entry["release_date"] = "2026-11-30"
        by_group[(entry["catalog_category"], unit)].append(entry)
    by_category: collections.Counter[str] = collections.Counter()
    for (code, _unit), found in by_group.items():
        by_category[code] += len(found)

    def units_of(code: str) -> dict[str, int]:
        return {unit: len(found) for (c, unit), found in by_group.items() if c == code}

    plan = source.plan_from_counts(edition, dict(by_category), units_of, orgs)

    def blocks() -> Iterator[tuple[str, Any]]:
        for group in plan.groups:
            yield ("group", group)
            for entry in by_group[(group.category, group.unit_id)]:
                yield ("entry", entry)

    return plan, list(blocks())


if __name__ == "__main__":
    rows = read_rows(data_path(None))
    chosen = real_workbook.select(rows, int(sys.argv[1]), True, Stats())
    for entry in real_workbook.entries(chosen, collections.Counter()):
        print(json.dumps(entry, ensure_ascii=False))
