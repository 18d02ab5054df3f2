"""Team lessons written on the fly, for tests of what the pipeline does when a check misbehaves."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

_CHECK = '''
"""A fixture check: flags TODO-NOW lines, after running the test's own prelude."""

import ctypes
import os
import time
from collections.abc import Iterable

from pydantic import BaseModel

from pytest_lessons import FileKind, Finding, LessonOptions, PerFileCheck, SourceFile


class Options(LessonOptions):
    pass


class Facts(BaseModel):
    hits: list[int]


class Fixture(PerFileCheck[Options, Facts]):
    options_model = Options
    facts_model = Facts
    file_kinds = frozenset({{FileKind.PYTHON}})

    def extract(self, file: SourceFile) -> Facts:
{prelude}
        return Facts(hits=[n for n, line in enumerate(file.lines, 1) if "TODO-NOW" in line])

    def judge_file(self, path: str, facts: Facts) -> Iterable[Finding]:
        for line in facts.hits:
            yield self.finding(path, line, 1, "TODO-NOW marker")
'''

_TOML = """id = "{lesson_id}"
title = "A fixture check for pipeline tests"
severity = "error"
check = "{module}:Fixture"
why = "Tests what the pipeline does when a check crashes, hangs or takes its time."
fix = "Nothing to fix: it is a test fixture."

[source]
incident = "pytest-lessons test suite"
summary = "A fixture lesson for pipeline tests."

[examples]
bad = "x = 1  # TODO-NOW"
good = "x = 1"
"""


def write_marker_lesson(lessons: Path, lesson_id: str, prelude: str) -> None:
    """Under `lessons/<lesson_id>/`: a lesson flagging `TODO-NOW` lines whose `extract` first
    runs `prelude` (Python statements; `file` is the SourceFile)."""
    module = lesson_id.replace("-", "_")
    folder = lessons / lesson_id
    folder.mkdir(parents=True)
    (folder / "lesson.toml").write_text(_TOML.format(lesson_id=lesson_id, module=module))
    body = textwrap.indent(textwrap.dedent(prelude).strip(), " " * 8)
    (folder / f"{module}.py").write_text(_CHECK.format(prelude=body))


def configure(root: Path, lessons: Path, lesson_id: str, extra: str = "") -> None:
    """Install `lessons` in the repository (a code lesson is only imported from inside the root)
    at `lint/lessons`, which the scan leaves out, and select `lesson_id`."""
    shutil.copytree(lessons, root / "lint" / "lessons", dirs_exist_ok=True)
    (root / "pyproject.toml").write_text(
        "[tool.pytest-lessons]\n"
        'lesson-paths = ["lint/lessons"]\n'
        'exclude = ["lint/"]\n'
        f'select = ["{lesson_id}"]\n{extra}'
    )
