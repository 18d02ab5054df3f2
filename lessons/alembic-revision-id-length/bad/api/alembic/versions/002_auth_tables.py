"""Auth tables

Revision ID: 002_auth_tables
Revises: 001_initial_schema
Create Date: 2025-03-04 09:12:00
"""

from alembic import op
import sqlalchemy as sa

revision = "002_auth_tables"
down_revision = "001_initial_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("sessions", sa.Column("id", sa.String(64), primary_key=True))


def downgrade() -> None:
    pass
