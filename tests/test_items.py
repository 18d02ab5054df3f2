"""Lesson nodes carry what pytest would have given them, however they compute it.

File nodes get their name and node id, and items their location, from shortcuts (the lessons
root's place under the rootdir worked out once, a location path per file rather than per item);
these tests hold the shortcuts to pytest's own derivations, for a lessons root equal to the
rootdir, below it, and outside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.items import LessonItem, LessonsFile
from tests.test_plugin import install_lessons

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


def configure(root: Path, lessons: Path) -> None:
    where = install_lessons(root, lessons)
    (root / "pyproject.toml").write_text(
        f'[tool.pytest-lessons]\nlesson-paths = ["{where}"]\nexclude = ["lint/"]\n'
        'select = ["no-todo-marker"]\n'
    )
    (root / "pkg").mkdir()
    (root / "pkg" / "jobs.py").write_text("x = 1\ny = 2  # TODO-NOW\nz = 3  # TODO-NOW\n")
    (root / "top.py").write_text("# TODO-NOW\n")


def lesson_items(pytester: pytest.Pytester, root: Path) -> list[LessonItem]:
    items, _ = pytester.inline_genitems("--lessons", f"--lessons-root={root}", "-p", "no:python")
    found = [item for item in items if isinstance(item, LessonItem)]
    assert len(found) == 2
    return found


@pytest.mark.parametrize("where", ["rootdir", "below", "outside"])
def test_file_nodes_and_locations_are_pytests(
    pytester: pytest.Pytester, fixture_lessons: Path, tmp_path: Path, where: str
) -> None:
    pytester.makeini("[pytest]\n")
    root = {
        "rootdir": pytester.path,
        "below": pytester.path / "service",
        "outside": tmp_path / "elsewhere",
    }[where]
    root.mkdir(exist_ok=True)
    configure(root, fixture_lessons)
    items = lesson_items(pytester, root)
    for item in items:
        file = item.parent
        assert isinstance(file, LessonsFile)
        # What pytest's FSCollector names a file under the session, and pytest's location.
        derived = LessonsFile.from_parent(
            item.session, path=file.path, lesson_ids=file.lesson_ids, rel=file.rel
        )
        assert file.name == derived.name
        assert item.location == pytest.Item.location.func(item)  # type: ignore[attr-defined]
    by_rel = {item.rel: item for item in items}
    prefix = {"rootdir": "", "below": "service/", "outside": ""}[where]
    assert by_rel["pkg/jobs.py"].nodeid == f"{prefix}pkg/jobs.py::no-todo-marker"
    assert by_rel["pkg/jobs.py"].location[1:] == (1, "pkg/jobs.py::no-todo-marker")
    assert by_rel["top.py"].location[1] == 0
