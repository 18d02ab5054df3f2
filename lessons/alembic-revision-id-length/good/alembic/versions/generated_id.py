"""An id computed at import time cannot be read statically; the lesson skips it."""

from pathlib import Path

revision = Path(__file__).stem.split("_", 1)[0]
down_revision = "b7e1c0d2a9f4"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
