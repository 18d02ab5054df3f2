"""Flask-Migrate revision adding required columns the ways real migrations spell them."""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy import Column, String
from sqlalchemy.dialects import postgresql

revision = "3f1c2a"
down_revision = None

CHANNEL = sa.Column("channel", sa.String(16), nullable=False)


def upgrade():
    op.add_column(  # lessons: expect[migration-not-null-server-default]
        table_name="orders",
        column=sa.Column("placed_by", sa.Integer(), nullable=False),
        schema="billing",
    )
    # server_default=None is the absence of a default, spelt out.
    op.add_column("orders", Column("region", String(8), nullable=False, server_default=None))  # lessons: expect[migration-not-null-server-default]
    op.add_column("orders", CHANNEL)  # lessons: expect[migration-not-null-server-default]
    # A primary key is NOT NULL even when nullable is not given; a UUID is not numbered by
    # the database the way an integer key is.
    op.add_column("order_events", sa.Column("id", postgresql.UUID(), primary_key=True))  # lessons: expect[migration-not-null-server-default]
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(  # lessons: expect[migration-not-null-server-default]
            sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False)
        )
    for table in ("invoices", "credit_notes"):
        op.add_column(table, sa.Column("issuer", sa.String(), nullable=False))  # lessons: expect[migration-not-null-server-default]


def downgrade():
    pass
