"""Alembic environment of the ``yiyang`` migrations.

Only tables whose names start with ``yiyang`` belong to this history, and it keeps its own
version table, so core's and other plugins' histories are never touched.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name)

NAME = os.path.basename(os.path.dirname(__file__))
VERSION_TABLE = f"{NAME}_alembic_version"


def include_object(obj, object_name, type_, reflected, compare_to) -> bool:
    if type_ == "table":
        return object_name.startswith(NAME)
    return True


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        version_table=VERSION_TABLE,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=VERSION_TABLE,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
