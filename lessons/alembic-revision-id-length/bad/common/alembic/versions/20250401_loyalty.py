"""Loyalty program columns.

The column is widened only by the NEXT migration, which alembic records
after this one: this id is written while version_num is still VARCHAR(32).
"""

from alembic import op
import sqlalchemy as sa

revision = "20250401_add_store_loyalty_program_columns"  # lessons: expect[alembic-revision-id-length]
down_revision = "a1b2c3d4e5f6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stores", sa.Column("loyalty_program", sa.String(40)))


def downgrade() -> None:
    pass
