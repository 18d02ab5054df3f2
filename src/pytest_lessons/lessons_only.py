"""`--lessons-only`: lesson items and nothing else, without importing a line of the target.

A lessons job in CI must run without the application's dependencies, and the plugin promises
never to import scanned code. A plain `pytest --lessons -m lessons` breaks both: pytest loads
every `conftest.py` and imports every test module before `-m` deselects anything. So, before the
first conftest is loaded, this mode turns conftests off and takes pytest's two importing
collectors out (python test modules, doctest modules); pytest's walk is pruned to the files
named on the command line, since lesson items come from the analysis, not from the walk; and any
item another plugin still adds is deselected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.collection import explicit_paths

IMPORTING_COLLECTORS = ("python", "doctest")
"""pytest's built-in plugins whose collectors import the files they collect."""


def isolate_from_target(early_config: pytest.Config) -> None:
    """Called before conftests load: no conftest, no python or doctest collection."""
    early_config.known_args_namespace.noconftest = True
    for name in IMPORTING_COLLECTORS:
        early_config.pluginmanager.set_blocked(name)


class LessonsOnly:
    """Registered with `--lessons-only`: prunes pytest's walk, deselects non-lesson items."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._keep: set[Path] | None = None

    def _walked(self) -> set[Path]:
        """The named files and their parent directories: all the walk needs to reach."""
        if self._keep is None:
            keep: set[Path] = set()
            for path in explicit_paths(self._config) or []:
                if path.is_file():
                    keep.add(path)
                    keep.update(path.parents)
            self._keep = keep
        return self._keep

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(self, collection_path: Path, config: pytest.Config) -> bool | None:
        if collection_path.resolve() in self._walked():
            return None
        return True

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        from pytest_lessons.items import is_lesson_item

        foreign = [item for item in items if not is_lesson_item(item)]
        if foreign:
            items[:] = [item for item in items if is_lesson_item(item)]
            config.hook.pytest_deselected(items=foreign)


def is_lessons_only(config: pytest.Config | Any) -> bool:
    return bool(config.getoption("lessons_only", False))
