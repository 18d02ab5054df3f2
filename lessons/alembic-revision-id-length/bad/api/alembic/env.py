"""Alembic environment of the API service after the "fix" that merged as PR #133.

`version_table_column_width` is not an alembic option: configure() accepts any keyword and drops
the ones it does not know, so the column stays VARCHAR(32). The finding on migration 003 says so.
"""

import os

from alembic import context
from sqlalchemy import create_engine, pool

from app.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = create_engine(os.environ["DATABASE_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_column_width=128,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
