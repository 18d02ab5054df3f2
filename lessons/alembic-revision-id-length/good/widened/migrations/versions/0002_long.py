"""The first long id widens the column before alembic records it (same transaction).
"""

from alembic import op
import sqlalchemy as sa

revision = "0002_widen_version_num_and_add_store_regions"
down_revision = "0001_base"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Alembic creates version_num as VARCHAR(32); this id is longer.
    op.alter_column(
        "alembic_version",
        "version_num",
        existing_type=sa.String(length=32),
        type_=sa.String(length=128),
    )
    op.add_column("stores", sa.Column("region", sa.String(40)))


def downgrade() -> None:
    pass
