"""create users

Revision ID: 002_users
Revises: 001_purchases
"""

import sqlalchemy as sa
from alembic import op

revision = "002_users"
down_revision = "001_purchases"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("hashed_password", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("users")
