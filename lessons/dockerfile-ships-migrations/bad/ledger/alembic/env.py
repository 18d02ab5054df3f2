from alembic import context

context.run_migrations()
