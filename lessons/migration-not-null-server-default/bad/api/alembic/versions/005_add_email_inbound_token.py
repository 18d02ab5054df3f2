"""Give every user an address for forwarded receipts.

The model sets the token in Python; the auth service inserts users with its own SQL.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "005_add_email_inbound_token"
down_revision = "004_receipts"


def _new_token() -> str:
    return secrets.token_urlsafe(16)


def upgrade() -> None:
    op.add_column(  # lessons: expect[migration-not-null-server-default]
        "users",
        sa.Column("email_inbound_token", sa.String(32), nullable=False, default=_new_token),
    )


def downgrade() -> None:
    op.drop_column("users", "email_inbound_token")
