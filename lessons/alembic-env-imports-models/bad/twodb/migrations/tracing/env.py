"""Split from the core chain, and the import of the tracing models was left behind."""

from alembic import context

from twodb.models.base import Base  # lessons: expect[alembic-env-imports-models]

target_metadata = Base.metadata

with context.begin_transaction():
    context.run_migrations()
