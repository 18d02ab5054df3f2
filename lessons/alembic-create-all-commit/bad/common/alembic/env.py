"""Shared tables: three near misses of the fix."""

from alembic import context
from sqlalchemy import create_engine, text

from common.models import Base
from common.settings import DATABASE_URL

engine = create_engine(DATABASE_URL)


def bootstrap(conn):
    """Creates the tables but leaves the commit to nobody."""
    Base.metadata.create_all(conn)  # lessons: expect[alembic-create-all-commit]


def run_with_late_commit() -> None:
    with engine.connect() as connection:
        Base.metadata.create_all(bind=connection)  # lessons: expect[alembic-create-all-commit]
        context.configure(connection=connection, target_metadata=Base.metadata)
        connection.commit()  # too late: configure() already saw the open transaction
        with context.begin_transaction():
            context.run_migrations()


def run_with_savepoint() -> None:
    with engine.connect() as connection:
        # A SAVEPOINT autobegins the outer transaction; releasing it commits nothing.
        with connection.begin_nested():  # lessons: expect[alembic-create-all-commit]
            connection.execute(text("CREATE SCHEMA IF NOT EXISTS common"))
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


def run_with_helper() -> None:
    with engine.connect() as connection:
        bootstrap(connection)
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


def create_schema_then_migrate() -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS audit")  # lessons: expect[alembic-create-all-commit]
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_with_late_commit()
