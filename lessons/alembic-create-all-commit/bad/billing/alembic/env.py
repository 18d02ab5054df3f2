"""The connection comes from the caller through config.attributes (alembic cookbook)."""

from alembic import context

from billing.models import Base

config = context.config
connection = config.attributes["connection"]

Base.metadata.drop_all(connection)  # lessons: expect[alembic-create-all-commit]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
