"""A second environment whose migrations widen version_num themselves."""

from alembic import context

from widened.db import connection

context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
