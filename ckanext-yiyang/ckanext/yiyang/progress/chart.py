"""The city's summary chart, drawn on the server as SVG (no script, no external library):
horizontal stacked bars, one per group of 附件1 and one for the city."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

STATE_COLOURS = {
    "draft": "#9e9e9e",
    "submitted": "#1f6fb2",
    "returned": "#e08a00",
    "published": "#2e7d32",
    "withdrawn": "#6d4c41",
}
SCHEDULE_COLOURS = {"units_on_schedule": "#2e7d32", "units_behind": "#c62828"}

LABEL_WIDTH = 260
BAR_WIDTH = 420
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LEGEND_HEIGHT = 28


@dataclasses.dataclass
class Segment:
    key: str
    label: str
    value: int
    x: float
    width: float
    colour: str


@dataclasses.dataclass
class Bar:
    label: str
    total: int
    y: float
    segments: list[Segment]
    strong: bool = False


@dataclasses.dataclass
class LegendItem:
    label: str
    colour: str
    x: float


@dataclasses.dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    legend: list[LegendItem]
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def text_width(text: str) -> int:
    """About how wide ``text`` is at 12px: CJK characters are square, Latin ones half."""
    return sum(13 if ord(ch) >= 0x2E80 else 7 for ch in text)


def stacked(
    title: str,
    rows: Sequence[tuple[str, dict[str, Any], bool]],
    keys: Sequence[tuple[str, str, str]],
) -> Chart:
    """``rows``: (label, figures, strong); ``keys``: (figure key, label, colour) of the
    segments, in order. Bars are scaled to the largest total."""
    largest = max((sum(int(f[k]) for k, _l, _c in keys) for _r, f, _s in rows), default=0)
    scale = BAR_WIDTH / largest if largest else 0.0
    bars = []
    for index, (label, found, strong) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for key, key_label, colour in keys:
            value = int(found[key])
            width = value * scale
            if value:
                segments.append(Segment(key, key_label, value, x, width, colour))
            x += width
        total = sum(int(found[k]) for k, _l, _c in keys)
        y = LEGEND_HEIGHT + index * ROW_HEIGHT
        bars.append(Bar(label, total, y, segments, strong))
    legend = []
    x = float(LABEL_WIDTH)
    for _key, key_label, colour in keys:
        legend.append(LegendItem(key_label, colour, x))
        x += 18 + text_width(key_label) + 16
    return Chart(
        title=title,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=LEGEND_HEIGHT + len(rows) * ROW_HEIGHT + 6,
        bars=bars,
        legend=legend,
    )
