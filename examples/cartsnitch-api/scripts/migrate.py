"""Run both alembic environments from a deploy job (the fixed shape: escaped before set)."""

import os

from alembic import command
from alembic.config import Config


def upgrade(ini_path: str) -> None:
    cfg = Config(ini_path)
    url = os.environ["CARTSNITCH_DATABASE_URL"]
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("script_location", os.path.join(os.path.dirname(ini_path), "alembic"))
    command.upgrade(cfg, "head")


if __name__ == "__main__":
    upgrade("alembic.ini")
    upgrade("common/alembic.ini")
