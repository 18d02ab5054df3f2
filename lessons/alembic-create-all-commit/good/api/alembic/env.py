"""The API environment after the fix: the bootstrap is committed before alembic takes over."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from cartsnitch_api.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        Base.metadata.create_all(connection)
        connection.commit()  # SQLAlchemy 2.0: nothing else commits this DDL
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
