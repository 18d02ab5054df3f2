"""Initial schema

Revision ID: 3f2a9c1b7d4e
Revises:
Create Date: 2025-03-02 10:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = "3f2a9c1b7d4e"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    pass
