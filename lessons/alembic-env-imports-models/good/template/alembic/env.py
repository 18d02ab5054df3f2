from alembic import context

# add your model's MetaData object here
target_metadata = None

with context.begin_transaction():
    context.run_migrations()
