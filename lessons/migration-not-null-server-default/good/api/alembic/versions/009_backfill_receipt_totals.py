"""Data migration only: the next revision makes the column required."""

from alembic import op

revision = "009_backfill_receipt_totals"
down_revision = "008_receipt_store_three_steps"


def upgrade() -> None:
    op.execute("UPDATE receipts SET total_cents = 0 WHERE total_cents IS NULL")


def downgrade() -> None:
    pass
