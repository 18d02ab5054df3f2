"""Advisory lock, committed; statements after configure() are alembic's to commit."""

from alembic import context
from sqlalchemy import create_engine, text

from worker.models import metadata
from worker.settings import DATABASE_URL


def commit_lock(conn) -> None:
    conn.commit()


def run_migrations_online() -> None:
    engine = create_engine(DATABASE_URL)
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(7243)"))
        commit_lock(conn)  # a helper of this module that commits
        context.configure(connection=conn, target_metadata=metadata)
        conn.execute(text("SET search_path TO worker"))  # after configure: alembic commits it
        with context.begin_transaction():
            context.run_migrations()


def run_with_rollback() -> None:
    engine = create_engine(DATABASE_URL)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version()")).scalar()
        conn.rollback()  # a read-only probe: ending the transaction is all that matters
        context.configure(connection=conn, target_metadata=metadata, tag=version)
        with context.begin_transaction():
            context.run_migrations()


def run_autocommit() -> None:
    engine = create_engine(DATABASE_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pgcrypto"))
        context.configure(connection=conn, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
