"""``ckan yiyang book``: write an edition of the catalog book to a file."""

from __future__ import annotations

import pathlib
import shutil

import click

from ckanext.yiyang.book import source


@click.command("book", short_help="Write the catalog book (PDF or Excel) to a file.")
@click.option("--edition", type=click.Choice(source.EDITIONS), required=True)
@click.option("--format", "fmt", type=click.Choice(source.FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option(
    "--store",
    is_flag=True,
    help="Also keep it as the latest edition of its kind, offered for download on /catalog/book.",
)
def book(edition: str, fmt: str, output: str, store: bool) -> None:
    """Write the EDITION (internal: what government users see; public: what anonymous visitors
    see) of 《益阳市电子政务信息资源目录》 as FORMAT to OUTPUT."""
    from ckanext.yiyang.book import storage
    from ckanext.yiyang.book.generate import generate

    out = pathlib.Path(output)
    written = storage.temporary(fmt) if store else out

    def progress(done: int, total: int) -> None:
        click.echo(f"\r{done}/{total} entries", nl=False, err=True)

    try:
        meta = generate(edition, fmt, written, progress=progress)
    except BaseException:
        if store:
            written.unlink(missing_ok=True)
        raise
    click.echo("", err=True)
    if store:
        shutil.copyfile(written, out)
        storage.store(written, meta)
    pages = f", {meta['pages']} pages" if "pages" in meta else ""
    click.echo(
        f"{out}: {meta['entries']} entries, {meta['items']} data items{pages} "
        f"({meta['seconds']} s)"
    )
