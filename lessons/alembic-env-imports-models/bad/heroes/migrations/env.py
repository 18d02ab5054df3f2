from alembic import context
from sqlmodel import SQLModel  # lessons: expect[alembic-env-imports-models]

from heroes_api.config import settings

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(url=settings.database_url, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_offline()
