"""Settings: the command line and the repository's config resolved into one immutable record.

This is the first stage of the data flow; everything after it reads settings and never looks
at pytest's options or the pyproject again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from pytest_lessons.catalog import Catalog, load_catalog
from pytest_lessons.checks.base import Check
from pytest_lessons.config import ProjectConfig, check_lesson_ids, load_project_config
from pytest_lessons.errors import LessonsConfigError


@dataclass(frozen=True)
class CommandLine:
    """The plugin's command-line options, already split into lists."""

    root: Path
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    use_prefilter: bool = True
    json_path: Path | None = None
    lesson_paths: list[Path] = field(default_factory=list)
    """Lesson directories beyond the config's `lesson-paths` (the example harness uses it)."""


@dataclass(frozen=True)
class PerFileIgnore:
    pattern: str
    spec: pathspec.GitIgnoreSpec
    lessons: frozenset[str]


@dataclass(frozen=True)
class Settings:
    root: Path
    catalog: Catalog
    config_file: Path | None
    checks: dict[str, Check[Any, Any]]
    """The lessons that run, by id, in catalog order."""
    skipped: dict[str, str]
    """Lessons the config skips, with the reason (shown as skipped items)."""
    exclude: list[str]
    per_file_ignores: list[PerFileIgnore]
    max_file_size: int
    require_suppression_reason: bool
    respect_gitignore: bool
    use_prefilter: bool
    json_path: Path | None

    def ignored_here(self, rel: str) -> frozenset[str]:
        """Lesson ids that `per-file-ignores` turns off for this file."""
        hits: set[str] = set()
        for rule in self.per_file_ignores:
            if rule.spec.match_file(rel):
                hits |= rule.lessons
        return frozenset(hits)


def resolve_settings(command_line: CommandLine) -> Settings:
    root = command_line.root.resolve()
    if not root.is_dir():
        raise LessonsConfigError(root, "--lessons-root is not a directory")
    loaded = load_project_config(root)
    config: ProjectConfig = loaded.config
    config_file = loaded.file
    where = config_file if config_file is not None else root / "pyproject.toml"

    lesson_dirs = [(root / p).resolve() for p in config.lesson_paths]
    catalog = load_catalog([*lesson_dirs, *command_line.lesson_paths])
    known = catalog.ids
    if config.select is not None:
        check_lesson_ids(config.select, known, key="select", file=where)
    check_lesson_ids(config.ignore, known, key="ignore", file=where)
    check_lesson_ids(config.skip, known, key="skip", file=where)
    check_lesson_ids(config.options, known, key="options", file=where)
    for pattern, ids in config.per_file_ignores.items():
        check_lesson_ids(ids, known, key=f"per-file-ignores.{pattern!r}", file=where)
    if command_line.select is not None:
        check_lesson_ids(command_line.select, known, key="--lessons-select", file=None)
    check_lesson_ids(command_line.ignore, known, key="--lessons-ignore", file=None)

    selected = command_line.select if command_line.select is not None else config.select
    chosen = [i for i in known if selected is None or i in selected]
    ignored = set(config.ignore) | set(command_line.ignore)
    enabled = [i for i in chosen if i not in ignored]
    skipped = {i: config.skip[i] for i in enabled if i in config.skip}

    checks: dict[str, Check[Any, Any]] = {}
    for lesson_id in enabled:
        if lesson_id in skipped:
            continue
        overrides = config.options.get(lesson_id, {})
        checks[lesson_id] = catalog[lesson_id].build_check(overrides, config_file)

    per_file = [
        PerFileIgnore(
            pattern=pattern,
            spec=pathspec.GitIgnoreSpec.from_lines([pattern]),
            lessons=frozenset(ids),
        )
        for pattern, ids in config.per_file_ignores.items()
    ]
    return Settings(
        root=root,
        catalog=catalog,
        config_file=config_file,
        checks=checks,
        skipped=skipped,
        exclude=list(config.exclude),
        per_file_ignores=per_file,
        max_file_size=config.max_file_size,
        require_suppression_reason=config.require_suppression_reason,
        respect_gitignore=config.respect_gitignore,
        use_prefilter=command_line.use_prefilter,
        json_path=command_line.json_path,
    )
