"""Widened to 64 above, but this id is longer than 64 characters.
"""

from alembic import op
import sqlalchemy as sa

revision = "20250403_backfill_store_loyalty_program_members_from_the_legacy_crm_export"  # noqa: E501  # lessons: expect[alembic-revision-id-length]
down_revision = "20250402_widen_alembic_version_num"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE stores SET loyalty_program = 'basic'")


def downgrade() -> None:
    pass
