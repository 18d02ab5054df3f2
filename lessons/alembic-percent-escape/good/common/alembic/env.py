"""Alembic environment of the shared tables: escaping lives in one helper."""

import os
from pathlib import Path

from alembic import context
from sqlalchemy import create_engine, engine_from_config, pool

config = context.config
config.set_main_option("script_location", str(Path(__file__).resolve().parent))
config.set_main_option("version_locations", os.path.join(os.path.dirname(__file__), "versions"))


def get_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "postgresql://app@localhost:5432/app_common"
    return url.replace('%', '%%')


def raw_url() -> str:
    return os.environ["DATABASE_URL"]


def run_migrations_offline() -> None:
    context.configure(url=raw_url(), target_metadata=None, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
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


def run_migrations_with_engine() -> None:
    # The engine gets the raw URL; nothing goes through configparser.
    engine = create_engine(raw_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
elif os.environ.get("USE_ENGINE"):
    run_migrations_with_engine()
else:
    run_migrations_online()
