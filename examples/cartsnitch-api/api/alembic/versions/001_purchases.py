"""create purchases

Revision ID: 001_purchases
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "001_purchases"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "purchases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("total_cents", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("purchases")
