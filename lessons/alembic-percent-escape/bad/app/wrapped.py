"""Values that only look like paths, the parser written directly, and a helper fed raw URLs."""

import os
from pathlib import Path

from alembic.config import Config


def sqlite_from_environment(cfg: Config) -> None:
    # os.path and pathlib do not clean what goes into them: this is still the raw URL.
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", os.path.join(os.environ["DATABASE_URL"]))
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", "sqlite:///" + str(Path(os.environ["DB_FILE"])))


def through_the_parser(cfg: Config) -> None:
    # lessons: expect[alembic-percent-escape]
    cfg.file_config.set("alembic", "sqlalchemy.url", os.environ["DATABASE_URL"])


def _configured(url: str) -> Config:
    cfg = Config("alembic.ini")
    cfg.set_main_option("sqlalchemy.url", url)  # lessons: expect[alembic-percent-escape]
    return cfg


def primary() -> Config:
    return _configured(os.environ["DATABASE_URL"].replace("%", "%%"))


def replica() -> Config:
    return _configured(os.environ["REPLICA_URL"])  # the unescaped caller
