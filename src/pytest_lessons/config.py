"""`[tool.pytest-lessons]` in the scanned repository's pyproject.toml, validated.

Every key is checked, and every lesson id a key mentions must exist: a typo that silently turned
a lesson off would be worse than no config at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.options import kebab
from pytest_lessons.toml_io import line_of_key, load_toml
from pytest_lessons.validation import describe_validation_error

TABLE = "tool.pytest-lessons"
DEFAULT_MAX_FILE_SIZE = 1024 * 1024


class ProjectConfig(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=kebab, populate_by_name=True
    )

    select: list[str] | None = None
    ignore: list[str] = Field(default_factory=list)
    skip: dict[str, str] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    max_file_size: int = Field(default=DEFAULT_MAX_FILE_SIZE, gt=0)
    require_suppression_reason: bool = True
    respect_gitignore: bool = True
    lesson_paths: list[str] = Field(default_factory=list)

    @field_validator("exclude")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        from pytest_lessons.workspace import validate_exclude_patterns

        validate_exclude_patterns(patterns)
        return patterns


class LoadedConfig(BaseModel):
    """The config plus the file it came from (None when the repository has none)."""

    model_config = ConfigDict(frozen=True)

    config: ProjectConfig
    file: Path | None


def load_project_config(root: Path) -> LoadedConfig:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return LoadedConfig(config=ProjectConfig(), file=None)
    document = load_toml(pyproject)
    table = document.get("tool", {}).get("pytest-lessons")
    if table is None:
        return LoadedConfig(config=ProjectConfig(), file=None)
    if not isinstance(table, dict):
        raise LessonsConfigError(pyproject, f"[{TABLE}] must be a table")
    try:
        config = ProjectConfig.model_validate(table)
    except ValidationError as error:
        key = next((str(d["loc"][0]) for d in error.errors() if d["loc"]), TABLE)
        raise LessonsConfigError(
            pyproject,
            f"[{TABLE}] {describe_validation_error(error)}",
            line=line_of_key(pyproject, key),
        ) from None
    return LoadedConfig(config=config, file=pyproject)


def check_lesson_ids(
    ids: Iterable[str], known: Iterable[str], *, key: str, file: Path | str | None
) -> None:
    """Raise naming the key and the closest known id when `ids` mentions an unknown lesson."""
    known_ids = sorted(known)
    for lesson_id in ids:
        if lesson_id in known_ids:
            continue
        close = difflib.get_close_matches(lesson_id, known_ids, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known lessons: {', '.join(known_ids)}"
        where = file if file is not None else "command line"
        line = line_of_key(Path(file), lesson_id) if isinstance(file, Path) else None
        raise LessonsConfigError(where, f"`{key}`: unknown lesson {lesson_id!r}; {hint}", line=line)
