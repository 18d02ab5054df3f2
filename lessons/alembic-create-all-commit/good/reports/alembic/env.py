"""Bootstrap through the Engine or a committing block; only then the migration connection."""

from alembic import context
from sqlalchemy import create_engine, text

from reports.models import Base
from reports.settings import DATABASE_URL

engine = create_engine(DATABASE_URL)


def run_migrations_online() -> None:
    Base.metadata.create_all(engine)  # an Engine commits on its own
    with engine.begin() as conn:  # commits when the block ends
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS reports"))
        Base.metadata.create_all(conn)
    with engine.connect() as connection:
        with connection.begin():
            Base.metadata.create_all(connection)
        trans = connection.begin()
        connection.execute(text("SELECT pg_advisory_lock(11)"))
        trans.commit()
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
    with engine.begin() as connection:  # alembic inside the caller's transaction, committed
        Base.metadata.create_all(connection)
        context.configure(connection=connection, target_metadata=Base.metadata)
        context.run_migrations()


run_migrations_online()
