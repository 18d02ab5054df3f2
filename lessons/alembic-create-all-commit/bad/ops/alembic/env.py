"""Work on the connection that is not create_all: each opens the transaction alembic inherits."""

import sqlalchemy as sa
from alembic import context
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, inspect

from ops.models import Base
from ops.settings import DATABASE_URL

engine = create_engine(DATABASE_URL)


def migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()


def widen_version_column() -> None:
    with engine.connect() as connection:
        op = Operations(MigrationContext.configure(connection))
        # lessons: expect[alembic-create-all-commit]
        op.alter_column("alembic_version", "version_num", type_=sa.String(128))
        migrate(connection)


def skip_when_stamped() -> None:
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):  # lessons: expect[alembic-create-all-commit]
            print("fresh database")
        migrate(connection)


def probe_schema() -> None:
    with engine.connect() as connection:
        if not connection.dialect.has_schema(connection, "ops"):  # lessons: expect[alembic-create-all-commit]
            raise SystemExit("schema ops is missing")
        migrate(connection)


def log_current_revision() -> None:
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()  # lessons: expect[alembic-create-all-commit]
        print("upgrading from", current)
        migrate(connection)


def reflect_first() -> None:
    with engine.connect() as connection:
        existing = sa.MetaData()
        existing.reflect(connection)  # lessons: expect[alembic-create-all-commit]
        if "legacy_orders" in existing.tables:
            print("legacy tables present")
        migrate(connection)


def tables_before() -> None:
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()  # lessons: expect[alembic-create-all-commit]
        print(names)
        migrate(connection)
