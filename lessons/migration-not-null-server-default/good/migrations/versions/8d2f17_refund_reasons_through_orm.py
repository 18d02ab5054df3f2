"""Rows fixed through the ORM before the constraint goes on."""

from alembic import op
from sqlalchemy import orm

revision = "8d2f17"
down_revision = "7c9e01"


class Refund:  # stands in for a model the real project would import
    reason = None


def upgrade():
    # Rows fixed through the ORM before the constraint goes on.
    session = orm.Session(bind=op.get_bind())
    for refund in session.query(Refund).filter(Refund.reason.is_(None)):
        refund.reason = "unspecified"
    session.commit()
    op.alter_column("refunds", "reason", nullable=False)


def downgrade():
    op.alter_column("refunds", "reason", nullable=True)
