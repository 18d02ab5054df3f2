from alembic import context

from ledger.models import AuditBase, Base  # lessons: expect[alembic-env-imports-models]

target_metadata = [Base.metadata, AuditBase.metadata]

with context.begin_transaction():
    context.run_migrations()
