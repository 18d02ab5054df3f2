"""Deploy job: the env.py files were fixed, this second call was forgotten."""

import os
import urllib.parse

from alembic import command
from alembic.config import Config

PASSWORD = urllib.parse.quote_plus(os.environ["DB_PASSWORD"])
DATABASE_URL = f"postgresql://app:{PASSWORD}@db:5432/app"


def upgrade(ini_path: str) -> None:
    cfg = Config(ini_path)
    cfg.set_main_option("sqlalchemy.url", DATABASE_URL)  # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("script_location", os.path.join(os.path.dirname(ini_path), "alembic"))
    command.upgrade(cfg, "head")


if __name__ == "__main__":
    upgrade("alembic.ini")
