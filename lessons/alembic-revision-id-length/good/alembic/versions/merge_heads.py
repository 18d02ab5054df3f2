"""Merge point; a tuple of parents.
"""

from alembic import op
import sqlalchemy as sa

revision = "b7e1c0d2a9f4"
down_revision = ("20250315_add_order_status_index_", "3f2a9c1b7d4e")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
