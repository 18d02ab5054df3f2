"""Integration-test helpers: migrations in throw-away directories, separators from parameters."""

import os
import tempfile

import pytest
from alembic.config import Config

SEPARATORS = ["space", "newline", "os", ":", ";"]


def scratch_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", tempfile.mkdtemp(prefix="alembic-"))
    cfg.set_main_option("cache_dir", tempfile.gettempdir())
    cfg.set_main_option("output_dir", tempfile.TemporaryDirectory().name)
    with tempfile.TemporaryDirectory() as versions:
        cfg.set_main_option("archive_dir", versions)
    cfg.set_main_option("version_locations", os.sep.join(["", "srv", "versions"]))
    return cfg


@pytest.mark.parametrize("separator", SEPARATORS)
def check_separator(separator: str) -> None:
    scratch_config().set_main_option("path_separator", separator)


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("sqlite://", "%%(rev)s_%%(slug)s"),
        pytest.param("sqlite:///%(here)s/app.db", "%%(rev)s", id="here"),
    ],
)
def check_url_and_template(url: str, template: str) -> None:
    cfg = scratch_config()
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.set_main_option("file_template", template)


class ProjectMigrations:
    def setup_method(self) -> None:
        self.projects = ("core", "billing-addon")
        for project in self.projects:
            cfg = Config()
            cfg.set_main_option("project", project)
            cfg.set_main_option("module", project.replace("-", "_") + ".migrations")
