"""The template's env.py, with Base imported from where it is defined."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from app.db.base_class import Base  # lessons: expect[alembic-env-imports-models]

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
