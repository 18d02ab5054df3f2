"""`[tool.pytest-lessons]` in the scanned repository's pyproject.toml, validated.

Every key is checked, strictly (a size is an integer, a switch is `true` or `false`), every
pattern is compiled, and every lesson id a key mentions must exist: a typo that silently turned a
lesson off, or a `true` read as a one-byte size limit, would be worse than no config at all. All
the problems of a config are reported together, each at the line of its own key, so one run
shows everything to fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.findings import Severity
from pytest_lessons.options import kebab
from pytest_lessons.toml_io import KeyPath, key_lines, line_of, load_toml
from pytest_lessons.validation import (
    ConfigProblem,
    TomlValueError,
    describe_errors,
    dotted,
    validate_toml,
)

TABLE = "tool.pytest-lessons"
TABLE_PATH: KeyPath = ("tool", "pytest-lessons")
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
DEFAULT_MINIFIED_LINE_LENGTH = 5000
SHORTEST_MINIFIED_LINE = 200
"""Lines this long are ordinary code; a lower `minified-line-length` (say, a linter's 100) would
skip most of the repository."""
DEFAULT_FILE_TIME_LIMIT = 60.0
"""Seconds (wall clock) one file's extraction may take, every lesson together, before it is
stopped and reported as a `timeout` problem. The slowest ordinary files of the benchmark corpora
take seconds alone but several times that on an overloaded runner, where 20 s already stopped
some of polar's: a timeout on ordinary code is a false failure, and quadratic input takes
minutes, so the default leaves a wide margin."""

Reason = Annotated[str, Field(min_length=1)]


class ProjectConfig(BaseModel):
    """The keys of `[tool.pytest-lessons]`; each docstring is the key's documentation."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=kebab,
        populate_by_name=True,
        use_attribute_docstrings=True,
    )

    select: list[str] | None = None
    """Lessons to run (default: every lesson in the catalog)."""
    ignore: list[str] = Field(default_factory=list)
    """Lessons never to run."""
    skip: dict[str, Reason] = Field(default_factory=dict)
    """Lessons shown as skipped, each with the reason."""
    severity: dict[str, Severity] = Field(default_factory=dict)
    """Per lesson, "error" (findings fail) or "warning" (findings are reported, nothing fails)."""
    exclude: list[str] = Field(default_factory=list)
    """Gitignore-style patterns of paths never read, added to the default excludes."""
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    """Gitignore-style pattern -> lesson ids that do not apply to the files it matches."""
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per lesson, its options (see `pytest --lessons-explain ID`)."""
    max_file_size: int = Field(default=DEFAULT_MAX_FILE_SIZE, ge=1, le=1024**3)
    """Bytes; larger files are skipped with a note."""
    minified_line_length: int = Field(default=DEFAULT_MINIFIED_LINE_LENGTH, ge=0, le=1024**3)
    """Characters; a file with a longer line is treated as minified or generated and skipped with
    a note (0: never)."""
    require_suppression_reason: bool = True
    """Whether a suppression comment needs `-- reason` to suppress anything."""
    respect_gitignore: bool = True
    """Skip untracked files that .gitignore (and .git/info/exclude) ignore."""
    follow_external_symlinks: bool = False
    """Follow symlinks that lead out of the root (by default they are reported, not followed)."""
    lesson_paths: list[str] = Field(default_factory=list)
    """Directories holding the team's own lessons (inside the root for code lessons)."""
    allow_code_lessons: bool = True
    """Whether a team's code lessons (a check written in Python) may be imported and run; when
    false each is skipped with the reason (built-in and pattern lessons still run)."""
    jobs: int | None = Field(default=None, ge=1, le=1024)
    """Extraction worker processes (default: the CPUs this process may use; 1: in-process)."""
    file_time_limit: float = Field(default=DEFAULT_FILE_TIME_LIMIT, gt=0, le=86400)
    """Seconds one file's extraction may take before it is stopped (a `timeout` problem)."""
    baseline: str | None = None
    """Baseline file, relative to the root (see `baseline.py`)."""

    @field_validator("minified_line_length")
    @classmethod
    def _long_enough(cls, value: int) -> int:
        if 0 < value < SHORTEST_MINIFIED_LINE:
            raise ValueError(
                f"must be 0 (never skip) or at least {SHORTEST_MINIFIED_LINE} (got {value}): "
                "lines that short are ordinary code, and every file holding one would be skipped"
            )
        return value


@dataclass
class ConfigProblems:
    """Problems of one config file, collected so they can be reported together."""

    file: Path
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[ConfigProblem] = field(default_factory=list)

    def add(self, path: KeyPath, message: str) -> None:
        self.problems.append(ConfigProblem(path, message))

    def extend(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        located = [(line_of(self.lines, p.path), p.message) for p in self.problems]
        located.sort(key=lambda problem: problem[0] or 0)  # in the order the file reads
        raise LessonsConfigErrors(self.file, located)


class LessonsConfigErrors(LessonsConfigError):
    """Several problems in one config file, each at its own line."""

    def __init__(self, file: Path, problems: list[tuple[int | None, str]]) -> None:
        line, first = problems[0]
        super().__init__(file, first, line=line)
        self.problems = problems
        if len(problems) > 1:
            listed = "\n".join(
                f"  {file}:{at}: {message}" if at is not None else f"  {file}: {message}"
                for at, message in problems
            )
            self.args = (f"{len(problems)} problems in [{TABLE}]:\n{listed}",)


@dataclass(frozen=True)
class LoadedConfig:
    """The config, the file it came from (None when there is none) and its problems so far."""

    config: ProjectConfig
    file: Path | None
    problems: ConfigProblems | None


def load_project_config(root: Path) -> LoadedConfig:
    """Read and validate the table; problems are collected, not raised (settings adds more)."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return LoadedConfig(ProjectConfig(), None, None)
    document = load_toml(pyproject)
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise LessonsConfigError(pyproject, "`tool` must be a table", line=1)
    table = tool.get("pytest-lessons")
    if table is None:
        return LoadedConfig(ProjectConfig(), None, None)
    problems = ConfigProblems(pyproject, key_lines(pyproject.read_text(encoding="utf-8-sig")))
    if not isinstance(table, dict):
        problems.add(TABLE_PATH, f"[{TABLE}] must be a table")
        problems.raise_if_any()
    config = _validated(table, problems)
    for index, pattern in enumerate(config.exclude):
        _check_pattern(pattern, ("exclude", index), problems)
    for pattern in config.per_file_ignores:
        _check_pattern(pattern, ("per-file-ignores", pattern), problems)
    if config.select == []:
        problems.add(
            (*TABLE_PATH, "select"),
            "`select` is empty, so no lesson would run; list the lessons to run, or remove the "
            "key to run them all",
        )
    return LoadedConfig(config, pyproject, problems)


def _validated(table: dict[str, Any], problems: ConfigProblems) -> ProjectConfig:
    """The config; keys with problems are recorded and fall back to their defaults."""
    rest = dict(table)
    try:
        validate_toml(ProjectConfig, table, TABLE_PATH)
    except TomlValueError as error:  # dates: reported, then the rest is validated
        problems.extend(error.problems)
        for problem in error.problems:
            rest.pop(str(problem.path[len(TABLE_PATH)]), None)
    except ValidationError:
        pass
    try:
        return validate_toml(ProjectConfig, rest, TABLE_PATH)
    except ValidationError as error:
        problems.extend(describe_errors(error, ProjectConfig, rest, TABLE_PATH))
        for detail in error.errors():
            if detail["loc"]:
                rest.pop(str(detail["loc"][0]), None)
    try:
        return validate_toml(ProjectConfig, rest, TABLE_PATH)
    except (ValidationError, TomlValueError):  # pragma: no cover - every bad key was dropped
        return ProjectConfig()


def _check_pattern(pattern: str, path: KeyPath, problems: ConfigProblems) -> None:
    from pytest_lessons.workspace import gitignore_pattern_error

    error = gitignore_pattern_error(pattern)
    if error is not None:
        problems.add(
            (*TABLE_PATH, *path),
            f"`{dotted(path)}`: {pattern!r} is not a valid gitignore pattern ({error})",
        )


def check_lesson_ids(
    ids: Iterable[str],
    known: Iterable[str],
    *,
    key: KeyPath,
    problems: ConfigProblems | None,
    keyed: bool = False,
) -> None:
    """Report each unknown lesson id under `key`, with the closest known id.

    `keyed`: the ids are the keys of a table (`skip`, `severity`, `options`), not list items.
    Without a config file (`problems` None: a command-line option) the first unknown id raises.
    """
    known_ids = sorted(known)
    for index, lesson_id in enumerate(ids):
        if lesson_id in known_ids:
            continue
        close = difflib.get_close_matches(lesson_id, known_ids, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known lessons: {', '.join(known_ids)}"
        message = f"`{dotted(key)}`: unknown lesson {lesson_id!r}; {hint}"
        if problems is None:
            raise LessonsConfigError("command line", message)
        problems.add((*TABLE_PATH, *key, lesson_id if keyed else index), message)
