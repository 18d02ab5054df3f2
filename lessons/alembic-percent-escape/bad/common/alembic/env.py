"""Alembic environment of the shared tables: same bug, second file."""

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def get_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = "postgresql://app@localhost:5432/app_common"
    return url


def run_migrations_online() -> None:
    # lessons: expect[alembic-percent-escape]
    config.set_main_option(
        "sqlalchemy.url",
        get_url(),
    )
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
