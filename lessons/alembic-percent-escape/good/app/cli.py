"""Management commands: migration directories come from settings or the command line.

Path options (script_location, version_locations, prepend_sys_path) hold directories, not
credentials; the URL still goes through one private helper that every caller feeds escaped.
"""

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.settings import settings

PLUGIN_ROOT = Path(__file__).parent / "plugins"


def _config(url: str, location: str) -> Config:
    cfg = Config()
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.set_main_option("script_location", location)
    return cfg


def upgrade(directory: str = "migrations") -> None:
    url = os.environ["DATABASE_URL"].replace("%", "%%")
    command.upgrade(_config(url, directory), "head")


def upgrade_tenant(schema: str) -> None:
    cfg = _config(settings.database_url.replace("%", "%%"), settings.tenant_migrations_dir)
    cfg.set_main_option("version_locations", os.pathsep.join([str(PLUGIN_ROOT / "a"), "b"]))
    cfg.set_main_option("prepend_sys_path", os.environ.get("APP_SRC", os.curdir))
    cfg.set_section_option("tenant", "script_location", settings.tenant_migrations_dir)
    if (versions := os.environ.get("EXTRA_VERSIONS")) is not None:
        cfg.set_main_option("version_locations", versions)
    if (schema_name := schema.lower()) == "public":
        cfg.set_main_option("tenant_schema", "public" if schema_name else "default")
    command.upgrade(cfg, "head")
