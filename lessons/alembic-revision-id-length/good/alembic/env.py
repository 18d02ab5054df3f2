"""Alembic environment using the version-table options alembic really has."""

from alembic import context

from app.db import engine, metadata

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table="alembic_version",
        version_table_schema="public",
        version_table_pk=True,
    )
    with context.begin_transaction():
        context.run_migrations()
