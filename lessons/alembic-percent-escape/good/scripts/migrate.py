"""Deploy job: escapes like env.py does, paths for script_location."""

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).parent


def upgrade(ini_path: str) -> None:
    cfg = Config(ini_path)
    url = os.environ["DATABASE_URL"]
    cfg.set_main_option(
        "sqlalchemy.url",
        url.replace("%", "%%"),
    )
    cfg.set_main_option("script_location", os.path.join(os.path.dirname(ini_path), "alembic"))
    cfg.set_main_option("version_locations", str(HERE.parent / "alembic" / "versions"))
    cfg.set_main_option("here", os.getcwd())
    command.upgrade(cfg, "head")


if __name__ == "__main__":
    upgrade("alembic.ini")
