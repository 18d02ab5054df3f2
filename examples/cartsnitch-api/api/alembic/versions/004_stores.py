"""create stores

Revision ID: 004_stores
Revises: 003_make_users_hashed_password_nullable
"""

import sqlalchemy as sa
from alembic import op

revision = "004_stores"
down_revision = "003_make_users_hashed_password_nullable"


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("stores")
