"""Which directory a run scans: the lessons root, chosen by one rule and always said out loud.

pytest's rootdir moves with the paths on the command line (`pytest --lessons backend/app` makes a
`backend/pyproject.toml` the rootdir), and a root that silently shrinks to a sub-package loses
repository-level findings: the root `.env.example`, a `middleware.ts`, the alembic.ini beside
the package. So the root is, in order:

1. `--lessons-root DIR`;
2. the directory of the nearest `pyproject.toml` with a `[tool.pytest-lessons]` table, searched
   upward from the directory pytest was invoked in;
3. pytest's rootdir, unless it lies below the invocation directory (it moved down with a path
   argument): then the invocation directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.toml_io import load_toml

_TABLE_HEADER = re.compile(r"""^\s*\[\s*tool\s*\.\s*["']?pytest-lessons["']?\s*[\].]""", re.M)


@dataclass(frozen=True)
class LessonsRoot:
    path: Path
    reason: str
    """Why this directory, for the report header: a root is never chosen silently."""


def resolve_root(*, option: str | None, invocation_dir: Path, rootdir: Path) -> LessonsRoot:
    if option:
        return LessonsRoot((invocation_dir / option).resolve(), "--lessons-root")
    config = find_config_upward(invocation_dir)
    if config is not None:
        return LessonsRoot(config.parent, f"[tool.pytest-lessons] in {config}")
    here = invocation_dir.resolve()
    rootdir = rootdir.resolve()
    if here in rootdir.parents:
        return LessonsRoot(
            here, f"the invocation directory (pytest's rootdir {rootdir} is below it)"
        )
    return LessonsRoot(rootdir, "pytest's rootdir")


def find_config_upward(start: Path) -> Path | None:
    """The nearest `pyproject.toml` holding a `[tool.pytest-lessons]` table, from `start` up."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and has_lessons_table(candidate):
            return candidate
    return None


def has_lessons_table(pyproject: Path) -> bool:
    """Whether the file configures pytest-lessons.

    A file that is not valid TOML still counts when it has the table header: the run then loads
    it and reports the TOML error with its line, instead of quietly scanning somewhere else.
    """
    try:
        text = pyproject.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    if "pytest-lessons" not in text:
        return False
    try:
        document = load_toml(pyproject)
    except LessonsConfigError:
        return _TABLE_HEADER.search(text) is not None
    tool = document.get("tool")
    return isinstance(tool, dict) and "pytest-lessons" in tool
