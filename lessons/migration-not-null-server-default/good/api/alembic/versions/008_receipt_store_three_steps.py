"""Add nullable, backfill, then require: the safe order for a column without a default."""

import sqlalchemy as sa
from alembic import op

revision = "008_receipt_store_three_steps"
down_revision = "007_store_chains"

receipts = sa.table("receipts", sa.column("currency", sa.String))


def upgrade() -> None:
    op.add_column("receipts", sa.Column("store_id", sa.Integer(), nullable=True))
    op.execute(
        'UPDATE "receipts" SET store_id = (SELECT id FROM stores WHERE stores.name = receipts.store_name)'
    )
    op.alter_column("receipts", "store_id", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("receipt_lines") as batch_op:
        batch_op.add_column(sa.Column("unit", sa.String(8), nullable=True))
    _fill_units()
    with op.batch_alter_table("receipt_lines") as batch_op:
        batch_op.alter_column("unit", nullable=False)

    op.get_bind().execute(sa.update(receipts).values(currency="EUR").where(receipts.c.currency.is_(None)))
    op.alter_column("receipts", "currency", nullable=False)


def _fill_units() -> None:
    """The backfill lives in a helper of this module, called from upgrade()."""
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE receipt_lines SET unit = 'pcs' WHERE unit IS NULL"))


def downgrade() -> None:
    op.alter_column("receipts", "currency", nullable=True)
    op.alter_column("receipts", "store_id", existing_type=sa.Integer(), nullable=True)
    op.drop_column("receipts", "store_id")
