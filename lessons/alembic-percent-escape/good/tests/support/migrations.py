"""Test helper: the integration tests' alembic Config escapes like production does."""

import os
from pathlib import Path

from alembic.config import Config


def alembic_config(tmp_path, versions: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(tmp_path / "migrations"))
    cfg.set_main_option("version_locations", versions.as_posix())
    url = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg
