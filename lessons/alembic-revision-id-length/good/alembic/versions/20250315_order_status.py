"""Exactly 32 characters: the longest id version_num holds.
"""

from alembic import op
import sqlalchemy as sa

revision = "20250315_add_order_status_index_"
down_revision = "003_users_pw_nullable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_status", "orders", ["status"])


def downgrade() -> None:
    pass
