"""Page numbers stamped on the body's pages when its parts are joined.

The parts are laid out at the same time by different processes, so none knows on which page it
starts: the body's CSS leaves the footer empty and the numbers are drawn afterwards, in the same
place, font and size as WeasyPrint draws ``— counter(page) —``. WeasyPrint lays out one footer
holding every character a number needs (``— 1234567890 —``) on a page of the book's size; its PDF
gives the subset font (embedded once in the book), each character's glyph and advance, the
baseline and the line's centre. A page's number is then one short text object over the page's
own content (which is wrapped in ``q``/``Q`` so that its transformations do not leak).
"""

from __future__ import annotations

import dataclasses
import io
import pathlib
import tempfile
from decimal import Decimal
from typing import Any

SAMPLE = "— 1234567890 —"
FONT_NAME = "/YiyangPageNumber"


def _template_css(book_css: str) -> str:
    """The book's ``@page`` rule with the footer shown (the sample line instead of a number)."""
    return str(book_css) + (
        f"@page {{ @top-left {{ content: none; }} @top-right {{ content: none; }}"
        f' @bottom-center {{ content: "{SAMPLE}"; }} }}'
    )


@dataclasses.dataclass
class Stamp:
    font: Any  # the font dictionary (in the sample's PDF)
    glyphs: dict[str, bytes]
    advances: dict[str, float]  # in text space units (px of WeasyPrint's page)
    size: float
    baseline: float
    centre: float
    height: float  # the page height in points (WeasyPrint's first transformation)
    sample: Any  # the sample's pikepdf.Pdf, kept open while the font is copied

    def width(self, text: str) -> float:
        return sum(self.advances[c] for c in text)

    def content(self, number: int) -> bytes:
        text = f"— {number} —"
        x = self.centre - self.width(text) / 2
        glyphs = b"".join(self.glyphs[c] for c in text).hex()
        return (
            f"Q q 1 0 0 -1 0 {self.height:.6f} cm 0.75 0 0 0.75 0 0 cm 0 0 0 rg BT "
            f"1 0 0 -1 {x:.6f} {self.baseline:.6f} Tm {FONT_NAME} {self.size:.6f} Tf "
            f"<{glyphs}> Tj ET Q\n"
        ).encode("ascii")


def _widths(font: Any) -> tuple[dict[int, float], float]:
    descendant = font.DescendantFonts[0]
    default = float(descendant.get("/DW", 1000))
    widths: dict[int, float] = {}
    array = list(descendant.get("/W", []))
    index = 0
    while index < len(array):
        first = int(array[index])
        following = array[index + 1]
        if isinstance(following, (int, Decimal)) or not hasattr(following, "__iter__"):
            last, width = int(following), float(array[index + 2])
            for gid in range(first, last + 1):
                widths[gid] = width
            index += 3
        else:
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
    return widths, default


def stamp(book_css: str, base_url: str) -> Stamp:
    """Lay out the sample footer and read what the numbers need from its PDF."""
    import pikepdf
    from weasyprint import HTML

    html = f"<html><head><style>{_template_css(book_css)}</style></head><body></body></html>"
    with tempfile.TemporaryDirectory(prefix="yiyang-numbers-") as tmp:
        path = pathlib.Path(tmp) / "sample.pdf"
        HTML(string=html, base_url=base_url).write_pdf(path)
        sample = pikepdf.Pdf.open(io.BytesIO(path.read_bytes()))
    page = sample.pages[0]
    matrix: list[Any] = []
    font_name, size, shown = "", 0.0, b""
    for instruction in pikepdf.parse_content_stream(page):
        operands, name = list(instruction.operands), str(instruction.operator)
        if name == "Tm":
            matrix = list(operands)
        elif name == "Tf":
            font_name, size = str(operands[0]), float(operands[1])
        elif name == "TJ":
            shown = b"".join(
                bytes(part) for part in operands[0] if isinstance(part, pikepdf.String)
            )
        elif name == "Tj":
            shown = bytes(operands[0])
    codes = [shown[i : i + 2] for i in range(0, len(shown), 2)]
    if len(codes) != len(SAMPLE) or not matrix:
        raise RuntimeError(f"unexpected sample footer: {len(codes)} glyphs for {SAMPLE!r}")
    font = page.Resources.Font[font_name]
    widths, default = _widths(font)
    glyphs = dict(zip(SAMPLE, codes, strict=True))
    advances = {
        char: widths.get(int.from_bytes(code, "big"), default) * size / 1000
        for char, code in glyphs.items()
    }
    result = Stamp(
        font=font,
        glyphs=glyphs,
        advances=advances,
        size=size,
        baseline=float(matrix[5]),
        centre=0.0,
        height=0.0,
        sample=sample,
    )
    result.centre = float(matrix[4]) + result.width(SAMPLE) / 2
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) == "cm":
            result.height = float(instruction.operands[5])
            break
    return result


def number_pages(pdf: Any, first_index: int, stamp_: Stamp) -> None:
    """Number the pages of ``pdf`` (a pikepdf.Pdf) from ``first_index`` on as 1, 2, 3…"""
    import pikepdf

    font = pdf.copy_foreign(stamp_.font)
    for number, page in enumerate(pdf.pages[first_index:], start=1):
        resources = page.obj.get("/Resources")
        if resources is None:
            resources = page.obj.Resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[FONT_NAME] = font
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, stamp_.content(number)))
