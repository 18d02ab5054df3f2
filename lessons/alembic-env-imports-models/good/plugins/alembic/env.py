from alembic import context

from plugins.db import Base, load_models

load_models()
target_metadata = Base.metadata

with context.begin_transaction():
    context.run_migrations()
