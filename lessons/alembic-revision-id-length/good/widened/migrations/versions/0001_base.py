"""Base tables.
"""

from alembic import op
import sqlalchemy as sa

revision = "0001_base"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("stores", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    pass
