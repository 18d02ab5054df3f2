"""Widen alembic_version.version_num, one migration too late for 20250401.

Its own 34-character id is fine: the column is widened before alembic records it.
"""

from alembic import op
import sqlalchemy as sa

revision = "20250402_widen_alembic_version_num"
down_revision = "20250401_add_store_loyalty_program_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column(
        "alembic_version",
        "version_num",
        existing_type=sa.String(32),
        type_=sa.String(64),
    )


def downgrade() -> None:
    pass
