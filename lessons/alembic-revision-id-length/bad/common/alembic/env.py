"""Alembic environment of the shared schema: nothing here widens the version column."""

from alembic import context

from common.db import engine, metadata

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
