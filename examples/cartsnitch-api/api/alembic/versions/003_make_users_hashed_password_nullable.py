"""users sign in with the auth service now: the API no longer stores passwords

Revision ID: 003_make_users_hashed_password_nullable
Revises: 002_users
"""

import sqlalchemy as sa
from alembic import op

revision = "003_make_users_hashed_password_nullable"
down_revision = "002_users"


def upgrade() -> None:
    op.alter_column("users", "hashed_password", existing_type=sa.String(200), nullable=True)


def downgrade() -> None:
    op.alter_column("users", "hashed_password", existing_type=sa.String(200), nullable=False)
