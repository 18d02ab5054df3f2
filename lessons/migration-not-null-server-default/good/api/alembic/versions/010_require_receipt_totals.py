"""The constraint in its own revision, after the backfill revision it builds on."""

import sqlalchemy as sa
from alembic import op

revision = "010_require_receipt_totals"
down_revision = "009_backfill_receipt_totals"


def upgrade() -> None:
    op.alter_column("receipts", "total_cents", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    op.alter_column("receipts", "total_cents", existing_type=sa.Integer(), nullable=True)
