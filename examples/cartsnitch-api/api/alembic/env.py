"""Alembic environment for the API schema."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from cartsnitch_api.db import Base
from cartsnitch_api.settings import settings

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# The CNPG password is URL-encoded (it contains %2B): configparser reads that '%' as interpolation.
db_url = settings.database_url
config.set_main_option("sqlalchemy.url", db_url)

target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=db_url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        # Fresh UAT databases have no tables yet: create the ORM ones before migrating.
        Base.metadata.create_all(connection)
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
