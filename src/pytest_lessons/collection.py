"""Which lesson items a session gets, and which of them pytest's own walk already made.

pytest creates a `LessonsFile` for every scanned file it walks past (`pytest_collect_file`), which
is what makes `pytest path/to/file.py::lesson-id` work from an IDE. Files it never walks (outside
`testpaths`, say) are added after collection, unless the user named explicit paths on the command
line: then only lesson files under those paths run, as with any other test.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from pytest_lessons.outcome import Outcome


def lessons_by_path(outcome: Outcome) -> dict[Path, tuple[str, list[str]]]:
    """Absolute path -> (relative path, lesson ids that read it), in catalog order."""
    by_rel: dict[str, list[str]] = {}
    for lesson in outcome.lessons:
        for rel in outcome.files_by_lesson.get(lesson, []):
            by_rel.setdefault(rel, []).append(lesson)
    root = Path(outcome.root)
    return {root / rel: (rel, lessons) for rel, lessons in by_rel.items()}


def explicit_paths(config: pytest.Config) -> list[Path] | None:
    """The paths named on the command line, or None when pytest chose them (testpaths, cwd)."""
    named = named_arguments(config)
    return None if named is None else list(named)


def named_arguments(config: pytest.Config) -> dict[Path, list[list[str]]] | None:
    """Each path named on the command line -> the `::` name parts of every argument naming it.

    `pkg/jobs.py::no-todo-marker` gives `{.../pkg/jobs.py: [["no-todo-marker"]]}`; a bare path
    gives an empty name list. None when pytest chose the paths (testpaths, the current directory).
    """
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        return None
    base = config.invocation_params.dir
    named: dict[Path, list[list[str]]] = {}
    for arg in config.args:
        path, *names = arg.split("::")
        named.setdefault((base / path).resolve(), []).append(names)
    return named


def is_under_any(path: Path, parents: list[Path]) -> bool:
    return any(path == parent or parent in path.parents for parent in parents)


def is_test_module(path: Path, config: pytest.Config) -> bool:
    """Whether pytest's python plugin would collect tests from this file (`python_files`)."""
    patterns: list[str] = config.getini("python_files")
    return any(
        fnmatch.fnmatch(str(path) if "/" in pattern else path.name, pattern) for pattern in patterns
    )
