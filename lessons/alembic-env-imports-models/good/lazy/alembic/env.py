from alembic import context

import lazyapp.main  # noqa: F401  (the app imports every model it serves)
from lazyapp.database import Base

target_metadata = Base.metadata

with context.begin_transaction():
    context.run_migrations()
