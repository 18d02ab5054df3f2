"""pyproject.toml allows any SQLAlchemy >= 1.3, but poetry.lock installs 1.4.52."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from locked_legacy.models import Base

config = context.config

connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with connectable.connect() as connection:
    Base.metadata.create_all(connection)
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
