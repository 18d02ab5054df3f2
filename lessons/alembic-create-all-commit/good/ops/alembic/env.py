"""The same checks done without leaving a transaction open on alembic's connection."""

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
        with connection.begin():  # committed when the block ends
            op = Operations(MigrationContext.configure(connection))
            op.alter_column("alembic_version", "version_num", type_=sa.String(128))
        migrate(connection)


def skip_when_stamped() -> None:
    if not inspect(engine).has_table("alembic_version"):  # the Engine checks out its own connection
        print("fresh database")
    with engine.connect() as probe:
        current = MigrationContext.configure(probe).get_current_revision()  # read, then closed
    print("upgrading from", current)
    with engine.connect() as connection:
        migrate(connection)


def probe_schema() -> None:
    with engine.connect() as connection:
        missing = not connection.dialect.has_schema(connection, "ops")
        connection.rollback()  # ends the read's transaction before alembic looks
        if missing:
            raise SystemExit("schema ops is missing")
        migrate(connection)


def after_configure() -> None:
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        print(sa.inspect(connection).get_table_names())  # alembic's transaction commits this
        with context.begin_transaction():
            context.run_migrations()
