"""Flask-Migrate revision: columns the database fills itself, and defaults given other ways."""

import sqlalchemy as sa
from alembic import op

revision = "7c9e01"
down_revision = None


def upgrade():
    op.add_column("orders", sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False))
    op.add_column(
        "orders",
        sa.Column("total_with_tax", sa.Numeric(), sa.Computed("total * 1.2"), nullable=False),
    )
    # An integer primary key is numbered by the database (SERIAL / AUTO_INCREMENT).
    op.add_column("order_notes", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tier", sa.String(8), nullable=False, server_default="basic"))
        batch_op.alter_column("email", nullable=False, server_default="")
    # The column already has a database default.
    op.alter_column(
        "orders", "status", nullable=False, existing_server_default=sa.text("'new'")
    )
    # A default set in raw SQL counts as well.
    op.execute("ALTER TABLE shipments ALTER COLUMN carrier SET DEFAULT 'post'")
    op.alter_column("shipments", "carrier", nullable=False)


def downgrade():
    op.alter_column("shipments", "carrier", nullable=True)
