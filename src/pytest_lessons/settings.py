"""Settings: the command line and the repository's config resolved into one immutable record.

This is the first stage of the data flow; everything after it reads settings and never looks
at pytest's options or the pyproject again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from pytest_lessons.catalog import Catalog, Lesson, LessonDir, load_catalog
from pytest_lessons.checks.base import Check
from pytest_lessons.config import (
    TABLE_PATH,
    ConfigProblems,
    ProjectConfig,
    check_lesson_ids,
    load_project_config,
)
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.filter_stage import FilterOptions
from pytest_lessons.findings import Severity
from pytest_lessons.options import LessonOptions, apply_extends
from pytest_lessons.validation import TomlValueError, describe_errors, validate_toml

if TYPE_CHECKING:
    import pathspec

    from pytest_lessons.lesson_spec import LessonSpec


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
    jobs: int | None = None
    """`--lessons-jobs`: overrides `jobs` from the config."""
    filters: FilterOptions = field(default_factory=FilterOptions)
    code_lessons: bool = True
    """False (`--lessons-no-code-lessons`): no team code lesson is imported; each is skipped."""


class LazyChecks(Mapping[str, Check[Any, Any]]):
    """The running lessons' checks by id, each built when first looked up.

    Building a built-in lesson's check imports its module, and with it the parsers it uses
    (libcst, ast-grep): most of a run's start-up. A run that finds no file for its lessons to
    read (an empty directory, a repository in another language) never looks one up, so it pays
    for none. The ids, their order, `in` and `len` are known without building anything.
    """

    def __init__(
        self,
        builders: Mapping[str, Callable[[], Check[Any, Any]]],
        recipes: Mapping[str, Callable[[], str]] | None = None,
    ) -> None:
        self._builders = dict(builders)
        self._recipes = dict(recipes or {})
        self._built: dict[str, Check[Any, Any]] = {}

    def __getitem__(self, lesson_id: str) -> Check[Any, Any]:
        check = self._built.get(lesson_id)
        if check is None:
            check = self._builders[lesson_id]()
            self._built[lesson_id] = check
        return check

    def __contains__(self, lesson_id: object) -> bool:
        return lesson_id in self._builders

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    def built(self) -> list[str]:
        """The ids whose check was built so far (tests, benchmarks)."""
        return [lesson_id for lesson_id in self._builders if lesson_id in self._built]

    def recipe(self, lesson_id: str) -> str | None:
        """What the lesson's check is built from, as text (the same text builds the same
        check, so its profile may be taken from the cache: `lesson_profiles`); None for a team's
        code lesson, whose module may import code no text here covers."""
        recipe = self._recipes.get(lesson_id)
        return recipe() if recipe is not None else None


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
    checks: Mapping[str, Check[Any, Any]]
    """The lessons that run, by id, in catalog order (empty when resolved without checks);
    built on first lookup (`LazyChecks`)."""
    skipped: dict[str, str]
    """Lessons the config skips, with the reason (shown as skipped items)."""
    selected: list[str]
    """The ids of the lessons that run (those of `checks`, also when no check was built)."""
    severity: dict[str, Severity]
    """The config's `severity` table: lessons whose findings it makes warnings (or errors)."""
    exclude: list[str]
    per_file_ignores: list[PerFileIgnore]
    max_file_size: int
    minified_line_length: int
    require_suppression_reason: bool
    respect_gitignore: bool
    follow_external_symlinks: bool
    use_prefilter: bool
    json_path: Path | None
    jobs: int = 1
    """Extraction worker processes; 1 extracts in this process."""
    file_time_limit: float = 60.0
    """Seconds one file's extraction may take before it is stopped (a `timeout` problem)."""
    filters: FilterOptions = field(default_factory=FilterOptions)
    """The baseline and diff mode (the filter stage after judging)."""

    def severity_of(self, lesson_id: str) -> Severity:
        """A running lesson's severity: the config's `severity` table, else its TOML's."""
        return self.severity.get(lesson_id, self.catalog[lesson_id].spec.severity)

    def ignored_here(self, rel: str) -> frozenset[str]:
        """Lesson ids that `per-file-ignores` turns off for this file."""
        hits: set[str] = set()
        for rule in self.per_file_ignores:
            if rule.spec.match_file(rel):
                hits |= rule.lessons
        return frozenset(hits)


def resolve_settings(command_line: CommandLine, *, build_checks: bool = True) -> Settings:
    """The settings of a run; `build_checks=False` (listing, explaining) builds no check, so no
    team code lesson is imported: `selected` still says which lessons would run."""
    root = command_line.root.resolve()
    if not root.is_dir():
        raise LessonsConfigError(root, "--lessons-root is not a directory")
    loaded = load_project_config(root)
    config: ProjectConfig = loaded.config
    config_file = loaded.file
    problems = loaded.problems

    lesson_dirs = [_configured_lesson_dir(root, p) for p in config.lesson_paths]
    named = [LessonDir(path, f"lesson path {path}") for path in command_line.lesson_paths]
    catalog = load_catalog([*lesson_dirs, *named])
    known = catalog.ids
    if problems is not None:
        if config.select is not None:
            check_lesson_ids(config.select, known, key=("select",), problems=problems)
        check_lesson_ids(config.ignore, known, key=("ignore",), problems=problems)
        for name, table in (("skip", config.skip), ("severity", config.severity)):
            check_lesson_ids(table, known, key=(name,), problems=problems, keyed=True)
        check_lesson_ids(config.options, known, key=("options",), problems=problems, keyed=True)
        for pattern, ids in config.per_file_ignores.items():
            where = ("per-file-ignores", pattern)
            check_lesson_ids(ids, known, key=where, problems=problems)
    if command_line.select is not None:
        if not command_line.select:
            raise LessonsConfigError("command line", "`--lessons-select` names no lesson")
        check_lesson_ids(command_line.select, known, key=("--lessons-select",), problems=None)
    check_lesson_ids(command_line.ignore, known, key=("--lessons-ignore",), problems=None)

    selected = command_line.select if command_line.select is not None else config.select
    chosen = [i for i in known if selected is None or i in selected]
    ignored = set(config.ignore) | set(command_line.ignore)
    enabled = [i for i in chosen if i not in ignored]
    code_allowed = command_line.code_lessons and config.allow_code_lessons

    options: dict[str, LessonOptions] = {}
    for lesson_id, overrides in config.options.items():
        if lesson_id not in catalog:
            continue
        lesson = catalog[lesson_id]
        if lesson.runs_team_code and not (build_checks and code_allowed):
            continue  # its options model is in its module, which listing or refusing never runs
        built = lesson_options(lesson, overrides, problems)
        if built is not None:
            options[lesson_id] = built
    if (
        problems is not None
        and not problems.problems
        and config.select is not None
        and not [i for i in config.select if i not in config.ignore]
    ):
        problems.add(
            (*TABLE_PATH, "ignore"),
            "`ignore` removes every lesson `select` names, so no lesson would run",
        )
    if problems is not None:
        problems.raise_if_any()
    skipped = {i: config.skip[i] for i in enabled if i in config.skip}
    if not code_allowed:
        switch = (
            "--lessons-no-code-lessons"
            if not command_line.code_lessons
            else f"allow-code-lessons = false in {config_file}"
        )
        for lesson_id in enabled:
            if lesson_id not in skipped and catalog[lesson_id].runs_team_code:
                skipped[lesson_id] = (
                    f"code lesson refused by {switch}: its check module "
                    f"({catalog[lesson_id].spec.check}) was not imported"
                )

    builders: dict[str, Callable[[], Check[Any, Any]]] = {}
    recipes: dict[str, Callable[[], str]] = {}
    for lesson_id in enabled:
        if lesson_id in skipped:
            continue
        if not build_checks:
            continue
        lesson = catalog[lesson_id]
        spec = lesson.spec
        if lesson_id in config.severity:
            spec = spec.model_copy(update={"severity": config.severity[lesson_id]})
        builders[lesson_id] = _builder(lesson, spec, options.get(lesson_id))
        if not lesson.runs_team_code:
            recipes[lesson_id] = _recipe(lesson, options.get(lesson_id))
    checks = LazyChecks(builders, recipes)
    for lesson_id in enabled:
        if lesson_id in builders and not catalog[lesson_id].builtin:
            checks[lesson_id]  # built now: a team lesson's import or TOML error is a config error

    from pytest_lessons.extraction_pool import available_cpus  # the pool itself loads on use

    per_file = []
    if config.per_file_ignores:
        # pathspec takes ~0.1 s to import: only when there are patterns to compile
        from pytest_lessons.workspace import gitignore_spec

        per_file = [
            PerFileIgnore(
                pattern=pattern,
                spec=gitignore_spec([pattern]),
                lessons=frozenset(ids),
            )
            for pattern, ids in config.per_file_ignores.items()
        ]
    return Settings(
        root=root,
        catalog=catalog,
        config_file=config_file,
        checks=checks,
        selected=[i for i in enabled if i not in skipped],
        severity=dict(config.severity),
        skipped=skipped,
        exclude=[*config.exclude, *_lesson_folders_in(root, [*lesson_dirs, *named])],
        per_file_ignores=per_file,
        max_file_size=config.max_file_size,
        minified_line_length=config.minified_line_length,
        require_suppression_reason=config.require_suppression_reason,
        respect_gitignore=config.respect_gitignore,
        follow_external_symlinks=config.follow_external_symlinks,
        use_prefilter=command_line.use_prefilter,
        json_path=command_line.json_path,
        jobs=command_line.jobs or config.jobs or available_cpus(),
        file_time_limit=config.file_time_limit,
        filters=command_line.filters.resolved(root, config.baseline),
    )


def _builder(
    lesson: Lesson, spec: LessonSpec, options: LessonOptions | None
) -> Callable[[], Check[Any, Any]]:
    """Builds the lesson's check: with `options` (the config's, validated), else its TOML's."""

    def build() -> Check[Any, Any]:
        built = options
        if built is None:  # the TOML's defaults; a bad one is an error naming the lesson's TOML
            built = lesson.build_check({}, None).options
        return lesson.check_class(spec, built)

    return build


def _recipe(lesson: Lesson, options: LessonOptions | None) -> Callable[[], str]:
    """The text of what `_builder` builds the check from (the severity aside, which the
    check's profile does not depend on)."""

    def recipe() -> str:
        configured = options.model_dump_json() if options is not None else None
        return repr((str(lesson.toml_path), lesson.spec.model_dump_json(), configured))

    return recipe


def lesson_options(
    lesson: Lesson, overrides: dict[str, Any], problems: ConfigProblems | None
) -> LessonOptions | None:
    """The lesson's TOML defaults overlaid with the config's table, `extend-` keys applied.

    Returns None (with the problems recorded) when the table does not validate.
    """
    at = (*TABLE_PATH, "options", lesson.id)
    shown = ("options", lesson.id)
    model = lesson.options_model
    defaults = lesson.option_defaults
    merged, extend_problems = apply_extends(model, defaults, overrides, at, shown)
    data = {**defaults, **merged}
    found = list(extend_problems)
    try:
        validated = validate_toml(model, data, at, shown)
    except TomlValueError as error:
        found.extend(error.problems)
    except ValidationError as error:
        found.extend(describe_errors(error, model, data, at, shown))
    else:
        if not found:
            return validated
    if problems is None:
        raise LessonsConfigError(lesson.toml_path, found[0].message)
    problems.extend(found)
    return None


def _configured_lesson_dir(root: Path, configured: str) -> LessonDir:
    """A `lesson-paths` entry of the scanned repository's config: its code lessons must stay
    inside the root (importing one runs it; see `catalog._refuse_code_outside`)."""
    return LessonDir((root / configured).resolve(), f"lesson-paths: {configured}", confined_to=root)


def _lesson_folders_in(root: Path, lesson_dirs: list[LessonDir]) -> list[str]:
    """Anchored excludes for the lesson directories inside the root: their `bad/` trees are
    mistakes on purpose and their check modules are tooling, so a team keeping its lessons in
    the repository does not fail its own run on them."""
    patterns = []
    for lesson_dir in lesson_dirs:
        try:
            rel = lesson_dir.path.resolve().relative_to(root)
        except ValueError:
            continue
        if rel.parts:
            patterns.append("/" + re.sub(r"([*?\[\\])", r"\\\1", rel.as_posix()) + "/")
    return patterns
