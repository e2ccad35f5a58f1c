"""``ckan yiyang template {entries|demands|contacts} -o FILE``."""

from __future__ import annotations

import click

from ckanext.yiyang.survey import workbooks


@click.command("template")
@click.argument("kind", type=click.Choice(workbooks.KINDS))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The .xlsx file to write.",
)
def template(kind: str, output: str) -> None:
    """Write the Excel template of a survey form: entries (附件3 数据提供调查表), demands
    (附件2 数据需求调研表) or contacts (附件4 分管负责人及联络人名单)."""
    workbooks.build(kind).save(output)
    click.echo(f"wrote {output}")
