"""Receipt line items store prices in cents.

Revision ID: 004_add_receipt_line_item_price_cents
Revises: 003_make_users_hashed_password_nullable
Create Date: 2025-03-11 08:30:00

Written from the newer alembic template (annotated module variables). Its down_revision is
the long id of 003: that is reported once, on 003's own revision line, not again here.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# lessons: expect[alembic-revision-id-length]
revision: str = "004_add_receipt_line_item_price_cents"
down_revision: Union[str, None] = "003_make_users_hashed_password_nullable"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("receipt_items", sa.Column("price_cents", sa.Integer))


def downgrade() -> None:
    pass
