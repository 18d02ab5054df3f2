"""Create stores

Revision ID: a1b2c3d4e5f6
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "a1b2c3d4e5f6"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("stores", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    pass
