"""Two replicas migrate at start-up, so the worker takes an advisory lock first."""

from alembic import context
from sqlalchemy import create_engine, text

from worker.models import metadata
from worker.settings import DATABASE_URL

MIGRATION_LOCK = 7243


def run_migrations_online() -> None:
    engine = create_engine(DATABASE_URL)
    with engine.connect() as conn:
        # lessons: expect[alembic-create-all-commit]
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        context.configure(connection=conn, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


run_migrations_online()
