"""The access log table (migration ``0014_access_log``), in SQLAlchemy Core.

The table is on a metadata of its own, not on ``tk.BaseModel``'s: CKAN empties the tables of
its metadata row by row (``model.repo.delete_all`` and the test suite's ``clean_db``), and the
log's trigger refuses exactly that. Nothing maps it to an ORM class either: the log is written
by one INSERT on a connection of its own and read by one SELECT, never loaded into the
session that an action might flush or roll back.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

#: How data left the portal: CKAN's download route, the DataStore's dump route and actions,
#: the preview of a resource view, another API path.
HOWS = (
    "download",
    "dump",
    "datastore_search",
    "datastore_search_sql",
    "datastore_info",
    "preview",
    "api",
)
SERVED, REFUSED = "served", "refused"
OUTCOMES = (SERVED, REFUSED)

metadata = sa.MetaData()

access_log = sa.Table(
    "yiyang_access_log",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("user_id", sa.UnicodeText),
    sa.Column("user_name", sa.UnicodeText),
    sa.Column("user_units", postgresql.ARRAY(sa.UnicodeText), nullable=False),
    sa.Column("token_name", sa.UnicodeText),
    sa.Column("dataset_id", sa.UnicodeText),
    sa.Column("dataset_org", sa.UnicodeText),
    sa.Column("resource_id", sa.UnicodeText),
    sa.Column("columns", postgresql.ARRAY(sa.UnicodeText)),
    sa.Column("rows", sa.BigInteger),
    sa.Column("how", sa.UnicodeText, nullable=False),
    sa.Column("client", sa.UnicodeText),
    sa.Column("outcome", sa.UnicodeText, nullable=False),
    sa.Column("reason", sa.UnicodeText),
)
