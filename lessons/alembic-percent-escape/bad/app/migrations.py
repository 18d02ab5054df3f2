"""Programmatic migrations: every way a URL reaches Config without escaping."""

from os import environ, getenv
from urllib.parse import unquote

from alembic import command
from alembic.config import Config
from pydantic import PostgresDsn
from sqlalchemy.engine import URL

from app.settings import PYDANTIC_DSN, settings


def from_settings(cfg: Config) -> None:
    cfg.set_main_option("sqlalchemy.url", settings.database_url)  # lessons: expect[alembic-percent-escape]


def from_imported_dsn(cfg: Config) -> None:
    cfg.set_main_option("sqlalchemy.url", str(PYDANTIC_DSN))  # lessons: expect[alembic-percent-escape]


def from_environ(cfg: Config) -> None:
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", environ["DATABASE_URL"])
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", getenv("DATABASE_URL", "sqlite:///app.db"))


def from_parts(cfg: Config) -> None:
    user, password, host = environ["DB_USER"], environ["DB_PASSWORD"], environ["DB_HOST"]
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", f"postgresql://{user}:{password}@{host}/app")
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", "postgresql://{}:{}@{}/app".format(user, password, host))
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", "postgresql://%s:%s@%s/app" % (user, password, host))
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", "postgresql://" + user + ":" + password + "@" + host)


def from_sqlalchemy_url(cfg: Config) -> None:
    url = URL.create("postgresql+psycopg2", username="app", password=environ["DB_PASSWORD"])
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", url.render_as_string(hide_password=False))
    # lessons: expect[alembic-percent-escape]
    cfg.set_main_option("sqlalchemy.url", str(URL.create("postgresql", password="p+ss")))


def from_pydantic(cfg: Config) -> None:
    dsn = PostgresDsn.build(scheme="postgresql", username="app", password=environ["PW"], host="db")
    cfg.set_main_option("sqlalchemy.url", str(dsn))  # lessons: expect[alembic-percent-escape]


def from_decoded(cfg: Config) -> None:
    # Decoding the password back does not help: "50%off" decodes to itself.
    cfg.set_main_option("sqlalchemy.url", unquote(environ["DATABASE_URL"]))  # lessons: expect[alembic-percent-escape]


def cleaned_up(cfg: Config) -> None:
    url = environ["DATABASE_URL"]
    url = url.strip()
    url = url.rstrip("/")
    cfg.set_main_option("sqlalchemy.url", url)  # lessons: expect[alembic-percent-escape]


def escaped_on_one_branch_only(cfg: Config, use_replica: bool) -> None:
    if use_replica:
        url = environ["REPLICA_URL"]
    else:
        url = environ["DATABASE_URL"].replace("%", "%%")
    cfg.set_main_option("sqlalchemy.url", url)  # lessons: expect[alembic-percent-escape]


def escaped_then_unescaped(cfg: Config) -> None:
    url = environ["DATABASE_URL"].replace("%", "%%")
    url = url.replace("%%", "%")
    cfg.set_main_option("sqlalchemy.url", url)  # lessons: expect[alembic-percent-escape]


def section_option(cfg: Config, url: str) -> None:
    # lessons: expect[alembic-percent-escape]
    cfg.set_section_option("alembic", "sqlalchemy.url", url)
    # lessons: expect[alembic-percent-escape]
    cfg.set_section_option(section="alembic", name="sqlalchemy.url", value=url)


def literal_percent() -> None:
    # lessons: expect[alembic-percent-escape]
    Config("alembic.ini").set_main_option("sqlalchemy.url", "postgresql://app:100%sure@db/app")


class Migrator:
    def __init__(self, url: str) -> None:
        self.cfg = Config("alembic.ini")
        self.url = url

    def upgrade(self) -> None:
        self.cfg.set_main_option("sqlalchemy.url", self.url)  # lessons: expect[alembic-percent-escape]
        command.upgrade(self.cfg, "head")
