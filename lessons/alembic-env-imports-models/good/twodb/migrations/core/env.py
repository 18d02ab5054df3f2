"""One Base, two databases: this env.py names the models of its own database."""

from alembic import context

import twodb.models.orders  # noqa: F401
from twodb.models.base import Base

target_metadata = Base.metadata

with context.begin_transaction():
    context.run_migrations()
