from alembic import context
from sqlalchemy import create_engine

from shop.models.base import Base  # lessons: expect[alembic-env-imports-models]
from shop.settings import DATABASE_URL


def run_migrations_online() -> None:
    engine = create_engine(DATABASE_URL)
    with engine.connect() as connection:
        # Fresh databases: create the ORM tables before the first migration.
        Base.metadata.create_all(connection)
        connection.commit()
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
