"""pytest-lessons: the lessons of real postmortems as static checks, run as pytest items.

The public API is what a team needs to write and test its own lessons; everything else is
internal and may move. Names load on first use, because pytest imports this package for every
run through its entry point, and a run without `--lessons` should not pay for pydantic or libcst.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf, Half, PerFileCheck
    from pytest_lessons.findings import FileProblem, Finding, LessonWarning, Severity
    from pytest_lessons.options import LessonOptions, NoOptions
    from pytest_lessons.source import AnalysisError, FileKind, SourceFile

_HOMES = {
    "ByHalf": "pytest_lessons.checks.base",
    "Check": "pytest_lessons.checks.base",
    "FactsByHalf": "pytest_lessons.checks.base",
    "Half": "pytest_lessons.checks.base",
    "PerFileCheck": "pytest_lessons.checks.base",
    "FileProblem": "pytest_lessons.findings",
    "Finding": "pytest_lessons.findings",
    "LessonWarning": "pytest_lessons.findings",
    "Severity": "pytest_lessons.findings",
    "LessonOptions": "pytest_lessons.options",
    "NoOptions": "pytest_lessons.options",
    "AnalysisError": "pytest_lessons.source",
    "FileKind": "pytest_lessons.source",
    "SourceFile": "pytest_lessons.source",
}

__all__ = [
    "AnalysisError",
    "ByHalf",
    "Check",
    "FactsByHalf",
    "FileKind",
    "FileProblem",
    "Finding",
    "Half",
    "LessonOptions",
    "LessonWarning",
    "NoOptions",
    "PerFileCheck",
    "Severity",
    "SourceFile",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pytest_lessons' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
