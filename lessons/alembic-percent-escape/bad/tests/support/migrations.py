"""Test helper: builds an alembic Config for the integration tests (not itself a test)."""

import os

from alembic.config import Config


def alembic_config(tmp_path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(tmp_path / "migrations"))
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    return cfg
