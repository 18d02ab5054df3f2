"""A table created in this revision is empty: its columns can be required from the start."""

import sqlalchemy as sa
from alembic import op

revision = "007_store_chains"
down_revision = "006_email_inbound_token_default"


def upgrade() -> None:
    op.create_table(
        "store_chains",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
    )
    op.add_column("store_chains", sa.Column("country", sa.String(2), nullable=False))
    op.alter_column("store_chains", "name", nullable=False)


def downgrade() -> None:
    op.drop_table("store_chains")
