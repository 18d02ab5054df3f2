"""Programmatic migrations: the shapes real code uses to escape, and paths that need none."""

import os
import re
from os import environ

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from app.settings import settings

DOCS = """
Never write cfg.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"]) unescaped.
"""


def escaped_variable(cfg: Config) -> None:
    url = environ["DATABASE_URL"]
    url = url.replace("%", "%%")
    url = url.strip()
    cfg.set_main_option("sqlalchemy.url", url)


def escaped_chain(cfg: Config) -> None:
    cfg.set_main_option("sqlalchemy.url", os.getenv("DATABASE_URL", "").replace("%", "%%").strip())


def escaped_setting(cfg: Config) -> None:
    cfg.set_main_option("sqlalchemy.url", settings.database_url.replace(r"%", r"%%"))


def escaped_with_fallback(cfg: Config) -> None:
    url = (environ.get("DATABASE_URL") or "sqlite:///app.db").replace("%", "%%")
    cfg.set_main_option("sqlalchemy.url", url or "sqlite:///app.db")


def escaped_on_every_branch(cfg: Config, use_replica: bool) -> None:
    if use_replica:
        url = environ["REPLICA_URL"].replace("%", "%%")
    else:
        url = environ["DATABASE_URL"].replace("%", "%%")
    cfg.set_main_option("sqlalchemy.url", url if url else "sqlite://")


def escaped_parts(cfg: Config) -> None:
    user = environ["DB_USER"].replace("%", "%%")
    password = environ["DB_PASSWORD"].replace("%", "%%")
    port = int(environ.get("DB_PORT", "5432"))
    cfg.set_main_option("sqlalchemy.url", f"postgresql://{user}:{password}@db:{port}/app")


def escaped_with_regex(cfg: Config) -> None:
    cfg.set_main_option("sqlalchemy.url", re.sub("%", "%%", environ["DATABASE_URL"]))


def literal_values(cfg: Config) -> None:
    cfg.set_main_option("script_location", "app:migrations")
    cfg.set_section_option("alembic", "sqlalchemy.url", "sqlite:///%(here)s/app.db")
    cfg.set_section_option(section="alembic", name="file_template", value="%%(rev)s_%%(slug)s")


def not_configparser(cfg: Config) -> None:
    url = environ["DATABASE_URL"]
    section = cfg.get_section(cfg.config_ini_section, {})
    section["sqlalchemy.url"] = url
    engine = create_engine(url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
