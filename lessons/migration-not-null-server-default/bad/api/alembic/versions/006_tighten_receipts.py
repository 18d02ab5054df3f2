"""Require a store and a currency on every receipt."""

import sqlalchemy as sa
from alembic import op

revision = "006_tighten_receipts"
down_revision = "005_add_email_inbound_token"


def upgrade() -> None:
    # Backfills the stores table, which does not help the receipts columns below.
    op.execute("UPDATE stores SET name = 'unknown' WHERE name IS NULL")
    # lessons: expect[migration-not-null-server-default]
    op.alter_column("receipts", "store_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("receipts") as batch_op:
        batch_op.alter_column("currency", nullable=False)  # lessons: expect[migration-not-null-server-default]
        batch_op.alter_column("note", nullable=True)


def downgrade() -> None:
    op.alter_column("receipts", "store_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("receipts") as batch_op:
        batch_op.alter_column("currency", nullable=True)
