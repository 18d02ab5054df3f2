"""`api.models.base` is inside the package `api.models`, whose __init__ imports every model:
Python runs that __init__ before base.py, so Base has all its tables."""

from alembic import context

from api.models.base import Base

target_metadata = Base.metadata

with context.begin_transaction():
    context.run_migrations()
