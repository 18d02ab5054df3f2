"""Alembic environment for the tables shared with the auth service."""

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

config.set_main_option(
    "sqlalchemy.url",
    os.environ.get("CARTSNITCH_DATABASE_URL", "postgresql://localhost/cartsnitch_common"),
)


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
