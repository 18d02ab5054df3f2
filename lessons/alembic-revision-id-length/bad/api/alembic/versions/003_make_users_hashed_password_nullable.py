"""Make users.hashed_password nullable (sign-in moved to the auth service).

Revision ID: 003_make_users_hashed_password_nullable
Revises: 002_auth_tables
Create Date: 2025-03-10 14:03:00

The id is 39 characters; on UAT PostgreSQL recording it failed and rolled back 001-003.
"""

from alembic import op
import sqlalchemy as sa

revision = "003_make_users_hashed_password_nullable"  # lessons: expect[alembic-revision-id-length]
down_revision = "002_auth_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("users", "hashed_password", nullable=True)


def downgrade() -> None:
    pass
