"""every purchase belongs to a store

Revision ID: 005_purchase_store
Revises: 004_stores
"""

import sqlalchemy as sa
from alembic import op

revision = "005_purchase_store"
down_revision = "004_stores"


def upgrade() -> None:
    # The receipt worker inserts purchases with raw SQL and does not know this column.
    op.add_column("purchases", sa.Column("store_id", sa.Integer, nullable=False))
    op.create_foreign_key("purchases_store_fk", "purchases", "stores", ["store_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("purchases_store_fk", "purchases", type_="foreignkey")
    op.drop_column("purchases", "store_id")
