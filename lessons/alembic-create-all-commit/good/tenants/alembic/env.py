"""Per-tenant schemas (the shape of Netflix/dispatch's env.py after its SQLAlchemy 2.0 fix)."""

from alembic import context
from sqlalchemy import create_engine, inspect, text

from tenants.models import Base
from tenants.settings import DATABASE_URL


def tenant_schemas(connection):
    return [s for s in inspect(connection).get_schema_names() if s.startswith("tenant_")]


def run_migrations_online() -> None:
    connectable = create_engine(DATABASE_URL)
    with connectable.connect() as connection:
        for schema in tenant_schemas(connection):
            connection.execute(text(f'set search_path to "{schema}"'))
            connection.commit()
            context.configure(connection=connection, target_metadata=Base.metadata)
            with context.begin_transaction():
                context.run_migrations()


run_migrations_online()
