"""Widening in raw SQL, before anything else.
"""

from alembic import op
import sqlalchemy as sa

revision = "0001_widen_alembic_version_with_raw_sql"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(255)")


def downgrade() -> None:
    pass
