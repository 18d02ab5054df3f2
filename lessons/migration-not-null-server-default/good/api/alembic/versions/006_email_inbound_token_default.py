"""The token gets a database default, so the auth service's own INSERT keeps working."""

import sqlalchemy as sa
from alembic import op

revision = "006_email_inbound_token_default"
down_revision = "005_receipts"


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column(
            "email_inbound_token",
            sa.String(32),
            nullable=False,
            server_default=sa.text("encode(gen_random_bytes(16), 'hex')"),
        ),
    )
    op.add_column("users", sa.Column("created_at", sa.DateTime(), nullable=False, server_default=sa.text("now()")))
    op.add_column("users", sa.Column("login_count", sa.Integer(), nullable=False, server_default="0"))
    # Added with a default so existing rows get one, then the default is dropped on purpose.
    op.add_column("users", sa.Column("plan", sa.String(16), nullable=False, server_default="free"))
    op.alter_column("users", "plan", server_default=None)
    # Nullable columns, said or left unsaid, need nothing.
    op.add_column("users", sa.Column("nickname", sa.String(40), nullable=True))
    op.add_column("users", sa.Column("avatar_url", sa.String(200)))
    op.alter_column("users", "legacy_hash", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    # A downgrade restores what the upgrade dropped; it is not read.
    op.add_column("users", sa.Column("legacy_hash", sa.String(), nullable=False))
    op.drop_column("users", "plan")
    op.drop_column("users", "login_count")
    op.drop_column("users", "created_at")
    op.drop_column("users", "email_inbound_token")
