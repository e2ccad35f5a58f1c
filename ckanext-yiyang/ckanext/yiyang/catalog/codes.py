"""Identifiers of catalog entries (catalog-model §4).

``resource_code`` 信息资源代码 = ``<分类码>/<顺序码>``: the catalog category's code, a slash and a
six-digit sequence counted per category. A number is taken by one atomic upsert on
``yiyang_code_sequence`` committed on its own connection, so concurrent creators never share a
number and a number is never given twice, even when the entry that took it fails to save
(that leaves a gap, as a paper register would). A unique index on the package table backs it.

``metadata_id`` 元数据标识符 is generated once (letters, digits, ``-``) and never changes.
"""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from ckan import model

REGION_CODE = "430900"  # GB/T 2260 code of 益阳市
SEQUENCE_DIGITS = 6
RESOURCE_CODE_RE = re.compile(r"^(?P<category>[0-9]{1,20})/(?P<sequence>[0-9]{6})$")

_NEXT_SQL = sa.text(
    """
    INSERT INTO yiyang_code_sequence (category, last_value) VALUES (:category, 1)
    ON CONFLICT (category)
    DO UPDATE SET last_value = yiyang_code_sequence.last_value + 1
    RETURNING last_value
    """
)


def next_sequence(category: str) -> int:
    """Take the next sequence number of ``category`` (committed at once)."""
    engine = model.Session.get_bind()
    with engine.begin() as conn:
        value = conn.execute(_NEXT_SQL, {"category": category}).scalar_one()
    return int(value)


def new_resource_code(category: str) -> str:
    """A new, never given ``resource_code`` in ``category``."""
    return f"{category}/{next_sequence(category):0{SEQUENCE_DIGITS}d}"


def new_metadata_id() -> str:
    """A new ``metadata_id``: the region's code and a random UUID."""
    return f"{REGION_CODE}-{uuid.uuid4().hex}"


def name_from_code(resource_code: str) -> str:
    """The URL name of an entry, derived from its code: ``302015/000001`` → ``302015-000001``."""
    return resource_code.replace("/", "-")


def name_from_metadata_id(metadata_id: str) -> str:
    """URL name of an entry that has no code yet (a draft without a category)."""
    return "draft-" + metadata_id.rsplit("-", 1)[-1][:16]


def name_placeholder() -> str:
    """A free, valid URL name, for validating an entry before its real name is known."""
    return "yiyang-" + uuid.uuid4().hex


def is_resource_code(value: str) -> bool:
    return bool(RESOURCE_CODE_RE.match(value))


def package_id_by_code(resource_code: str) -> str | None:
    """Id of the entry that holds ``resource_code`` (any state), if any: this catalog's own
    entry before a harvested one that keeps the same code of its source's numbering."""
    row = (
        model.Session.query(model.Package.id)
        .filter(model.Package.extras["resource_code"].astext == resource_code)
        .order_by(model.Package.extras.has_key("harvest_origin"))
        .first()
    )
    return row[0] if row else None
