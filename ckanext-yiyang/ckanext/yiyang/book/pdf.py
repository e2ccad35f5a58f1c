"""The PDF edition: HTML + CSS paged media laid out by WeasyPrint, Chinese in Noto CJK.

A whole catalog is far too big for one WeasyPrint document (its layout of a few hundred pages
already takes hundreds of megabytes), so the body is laid out in parts of about
``chunk_weight`` table rows, each written to a temporary PDF and dropped before the next: only
one part is ever in memory, whatever the size of the catalog. A part's pages are numbered on
from the previous part (its own ``@page :first { counter-reset }``), and it opens with a marker
that carries the running heads in force. Parts end where a unit's entries end, unless one unit
alone fills several.

The cover and the contents come last, once every heading's page is known, and are numbered in
roman numerals so that the body starts at page 1. pikepdf (qpdf) joins front and parts
(copying streams from the part files as it writes, not through memory), turns the contents'
lines into links to their pages and adds the outline (bookmarks).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import functools
import logging
import pathlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from markupsafe import Markup

from ckanext.yiyang.book import fields, layout, numbers, source

log = logging.getLogger(__name__)

TEMPLATES = pathlib.Path(__file__).parent / "templates" / "yiyang" / "book" / "pdf"
LINK_SCHEME = "yiyangbook:"
COMPILER = "益阳市电子政务办"
# What an entry weighs in table rows, besides its 信息项 (title, metadata, spacing).
ENTRY_WEIGHT = 10

Progress = Callable[[int], None]


@dataclasses.dataclass
class Result:
    entries: int = 0
    items: int = 0
    pages: int = 0
    body_pages: int = 0
    parts: int = 0


@functools.cache
def _environment() -> jinja2.Environment:
    # A plain environment, not CKAN's: the command line and the worker have no request.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["label"] = fields.label  # headings: the labels of the entry's schema
    return environment


@functools.cache
def _css(name: str) -> Markup:
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def running_title(edition: str) -> str:
    return f"{source.BOOK_TITLE}（{source.EDITION_LABELS[edition]}）"


@dataclasses.dataclass
class _Anchor:
    page: int  # index among all pages of the body, 0-based
    top: float  # in PDF points from the page's top


class _Body:
    """The parts of the body: each part's HTML is written to a file and laid out by a worker
    process of ``pool`` while the next part is read and built."""

    def __init__(
        self, folder: pathlib.Path, edition: str, weight_limit: int, pool: layout.Pool
    ) -> None:
        self.folder = folder
        self.edition = edition
        self.weight_limit = weight_limit
        self.pool = pool
        self.macros: Any = _environment().get_template("blocks.html").module
        self.pieces: list[str] = []
        self.weight = 0
        self.trail: tuple[source.Heading, ...] = ()
        self.part_trail: tuple[source.Heading, ...] = ()
        self.files: list[pathlib.Path] = []
        self.laying: list[concurrent.futures.Future[layout.Laid]] = []
        self.entries = 0
        self.part_entries: list[int] = []  # entries read up to the end of each part
        self.pages = 0
        self.part_pages: list[int] = []
        self.anchors: dict[str, _Anchor] = {}
        self.page_size: tuple[float, float] = (595.0, 842.0)

    def group(self, group: source.Group) -> None:
        if self.weight >= self.weight_limit:
            self.flush()
        if not self.pieces:
            self.part_trail = tuple(h for h in group.trail if h not in group.headings)
        for heading in group.headings:
            # A class starts on a new page, unless it starts the part (a new page anyway).
            self.pieces.append(str(self.macros.heading(heading, bool(self.pieces))))
        self.trail = group.trail
        self.weight += 2 * len(group.headings)

    def entry(self, view: dict[str, Any]) -> None:
        if self.weight >= 2 * self.weight_limit:  # one unit alone fills several parts
            self.flush()
            self.part_trail = self.trail
        self.pieces.append(str(self.macros.entry(view)))
        self.weight += ENTRY_WEIGHT + len(view["items"])
        self.entries += 1

    def flush(self) -> None:
        """Hand the part built so far to a worker."""
        if not self.pieces:
            return
        sec = next((h.text for h in reversed(self.part_trail) if h.kind != "unit"), "")
        unit = next((h.text for h in self.part_trail if h.kind == "unit"), "")
        html = (
            _environment()
            .get_template("part.html")
            .render(
                book_title=source.BOOK_TITLE,
                running_title=running_title(self.edition),
                css=_css("book.css"),
                sec=sec,
                unit=unit,
                body=Markup("".join(self.pieces)),
            )
        )
        self.pieces = []
        self.weight = 0
        number = len(self.files)
        html_path = self.folder / f"part-{number:05d}.html"
        html_path.write_text(html, encoding="utf-8")
        del html
        path = self.folder / f"part-{number:05d}.pdf"
        self.files.append(path)
        self.laying.append(self.pool.submit(html_path, path))
        self.part_entries.append(self.entries)

    def laid_out(self) -> int:
        """The entries of the parts laid out so far (of the first parts, in order)."""
        done = 0
        for future, entries in zip(self.laying, self.part_entries, strict=True):
            if not future.done():
                break
            done = entries
        return done

    def finish(self, progress: Progress | None) -> None:
        """Wait for every part; number their pages on and place their anchors."""
        for future, entries in zip(self.laying, self.part_entries, strict=True):
            laid = future.result()
            if progress is not None:
                progress(entries)
            for name, (page, top) in laid["anchors"].items():
                self.anchors[name] = _Anchor(self.pages + int(page), top)
            width, height = laid["size"]
            self.page_size = (width, height)
            self.part_pages.append(laid["pages"])
            self.pages += laid["pages"]
        self.laying = []


def write(
    context: Any,
    book_plan: source.Plan,
    out: pathlib.Path,
    *,
    generated: datetime.datetime,
    progress: Progress | None = None,
    weight_limit: int = 800,
    blocks: Iterable[source.Block] | None = None,
    jobs: int = 0,
) -> Result:
    """Write the edition of ``book_plan`` read with ``context`` (``source.reader``) to ``out``
    (``blocks``: the content in reading order, by default ``source.blocks``), its parts laid out
    by ``jobs`` processes (0: one per core)."""
    result = Result()
    with tempfile.TemporaryDirectory(prefix="yiyang-book-", dir=out.parent) as tmp:
        folder = pathlib.Path(tmp)
        with layout.Pool(jobs or layout.default_jobs(), str(TEMPLATES)) as pool:
            body = _Body(folder, book_plan.edition, weight_limit, pool)
            if blocks is None:
                blocks = source.blocks(context, book_plan)
            for kind, value in blocks:
                if kind == "group":
                    body.group(value)
                    continue
                view = fields.view(value)
                body.entry(view)
                result.entries += 1
                result.items += len(view["items"])
                if progress is not None and result.entries % 100 == 0:
                    progress(body.laid_out())
            if result.entries == 0:
                body.pieces.append('<p class="empty">本版目录暂无已发布的信息资源。</p>')
            body.flush()
            body.finish(progress)
        result.body_pages = body.pages
        result.parts = len(body.files)

        front = folder / "front.pdf"
        front_pages = _front(front, book_plan, body, result, generated)
        _join(out, front, front_pages, body, book_plan)
        result.pages = front_pages + body.pages
    if progress is not None:
        progress(result.entries)
    return result


def _scope_note(edition: str) -> str:
    if edition == "public":
        return (
            "本版为公开版，只收录向社会公开的信息资源（公开范围为对外公开、部分公开），"
            "部分公开的信息资源只列出其公开的信息项。"
        )
    return (
        "本版为内部版，收录供政务部门共享使用的信息资源（公开范围为对外公开、部分公开、"
        "对内公开），不对社会公开。"
    )


def _chinese_date(moment: datetime.date) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _front(
    path: pathlib.Path,
    book_plan: source.Plan,
    body: _Body,
    result: Result,
    generated: datetime.datetime,
) -> int:
    from weasyprint import HTML

    headings = list(book_plan.headings())
    pages = {
        h.anchor: str(body.anchors[h.anchor].page + 1)
        for h in headings
        if h.anchor in body.anchors
    }
    html = (
        _environment()
        .get_template("front.html")
        .render(
            css=_css("front.css"),
            book_title=source.BOOK_TITLE,
            edition_label=source.EDITION_LABELS[book_plan.edition],
            edition_reader=source.EDITION_READERS[book_plan.edition],
            entries=result.entries,
            items=result.items,
            compiler=COMPILER,
            date=_chinese_date(generated.date()),
            as_of=f"{_chinese_date(generated.date())} {generated:%H:%M}",
            scope_note=_scope_note(book_plan.edition),
            headings=headings,
            pages=pages,
        )
    )
    document = HTML(string=html, base_url=str(TEMPLATES)).render()
    document.write_pdf(path)
    return len(document.pages)


def _outline_tree(
    headings: list[source.Heading],
) -> Iterator[tuple[source.Heading, list[Any]]]:
    """The headings nested by level: (heading, children) pairs of the top level."""
    roots: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(0, roots)]
    for heading in headings:
        while stack[-1][0] >= heading.level:
            stack.pop()
        children: list[Any] = []
        stack[-1][1].append((heading, children))
        stack.append((heading.level, children))
    yield from roots


def _join(
    out: pathlib.Path,
    front: pathlib.Path,
    front_pages: int,
    body: _Body,
    book_plan: source.Plan,
) -> None:
    import pikepdf

    sources = []
    with pikepdf.Pdf.open(front) as pdf:
        for path in body.files:
            part = pikepdf.Pdf.open(path)
            sources.append(part)
            pdf.pages.extend(part.pages)

        numbers.number_pages(pdf, front_pages, numbers.stamp(_css("book.css"), str(TEMPLATES)))
        height = body.page_size[1]

        def destination(anchor: str) -> tuple[int, float] | None:
            found = body.anchors.get(anchor)
            if found is None:
                return None
            return front_pages + found.page, height - found.top

        for page in pdf.pages[:front_pages]:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if not uri.startswith(LINK_SCHEME):
                    continue
                target = destination(uri[len(LINK_SCHEME) :])
                del annot["/A"]
                if target is not None:
                    index, top = target
                    annot["/Dest"] = pikepdf.Array(
                        [pdf.pages[index].obj, pikepdf.Name.XYZ, None, top, None]
                    )

        def add(items: list[Any], into: list[Any]) -> None:
            for heading, children in items:
                target = destination(heading.anchor)
                if target is None:
                    continue
                item = pikepdf.OutlineItem(
                    f"{heading.text}（{heading.count}）", target[0], "XYZ", top=target[1]
                )
                add(children, item.children)
                into.append(item)

        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("目录", min(1, front_pages - 1)))
            add(list(_outline_tree(list(book_plan.headings()))), outline.root)
        pdf.docinfo["/Title"] = (
            f"{source.BOOK_TITLE}（{source.EDITION_LABELS[book_plan.edition]}）"
        )
        pdf.docinfo["/Author"] = COMPILER
        pdf.docinfo["/Subject"] = source.EDITION_READERS[book_plan.edition]
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for part in sources:
        part.close()
