"""The catalog: every lesson's TOML, validated, with where it came from and how it checks.

Every lesson is a folder named by its id: `<id>/lesson.toml` beside its `bad/` and `good/`
example trees. Lessons come from three places: the built-in ones (the checkout's top-level
`lessons/`, shipped inside the wheel as `pytest_lessons/lessons/`); installed packages that
declare an entry point in the `pytest_lessons.lessons` group (a company's lessons as a wheel); and
the directories a configuration names (`lesson-paths`). The same id from two places is an error
naming both.

A lesson is a pattern lesson (`language` and an ast-grep `[rule]`, or `[[rules]]`: data, compiled
when it loads, or for a built-in one when a run first needs it)
or a code lesson (`check = "module:Class"`). A code lesson's module is imported only when its
check is built for a run, never to list or explain it: importing it runs its code.

Loading fails loudly, with the file and key: a lesson that silently failed to load would be a
lesson silently not enforced.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata
import importlib.util
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pytest_lessons.checks.base import Check
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind
from pytest_lessons.toml_io import key_lines, line_of, line_of_key, load_toml
from pytest_lessons.validation import (
    TomlValueError,
    describe_validation_error,
    dotted,
    validate_toml,
)

LESSON_FILE = "lesson.toml"
ENTRY_POINT_GROUP = "pytest_lessons.lessons"

PATTERN_KEYS = ("language", "rule", "constraints", "utils", "transform", "autofix", "message")
PATTERN_OPTIONAL_KEYS = ("files", "ignores", "rules")
SHORTHAND_ONLY_KEYS = ("language", "rule", "constraints", "utils", "transform", "autofix")
"""Keys of the one-language form that a lesson with `[[rules]]` sets in each entry instead
(`message`, `files` and `ignores` may stay at the top as every entry's default)."""


def _builtin_lessons_dir() -> Path:
    """Inside the installed wheel, else the checkout's `lessons/` (an editable install)."""
    packaged = Path(__file__).parent / "lessons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "lessons"


BUILTIN_LESSONS_DIR = _builtin_lessons_dir()


@dataclass(frozen=True)
class LessonDir:
    """A directory of lesson folders and where it came from."""

    path: Path
    origin: str
    """How `pytest-lessons list` names it: "built-in", "lesson-paths: lint/lessons", ..."""
    builtin: bool = False
    confined_to: Path | None = None
    """The root a configuration's `lesson-paths` belongs to: a code lesson whose folder or
    module resolves outside it is refused (its module would run code the scanned repository's
    config points at)."""


@dataclass(frozen=True)
class Lesson:
    """A loaded lesson: its spec, where it came from, and (on demand) its check class."""

    spec: LessonSpec
    toml_path: Path
    origin: str = "built-in"
    builtin: bool = True
    _loaded: dict[str, type[Check[Any, Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def examples_dir(self) -> Path:
        """The lesson's folder, holding `lesson.toml` and the `bad/` and `good/` example trees."""
        return self.toml_path.parent

    @property
    def is_pattern(self) -> bool:
        return self.spec.is_pattern

    @property
    def runs_team_code(self) -> bool:
        """A code lesson that is not part of pytest-lessons: building its check imports it."""
        return not self.is_pattern and not self.builtin

    @property
    def check_class(self) -> type[Check[Any, Any]]:
        """The check class; for a team's code lesson this imports (runs) its module."""
        loaded = self._loaded.get("class")
        if loaded is None:
            loaded = self._load_check_class()
            self._loaded["class"] = loaded
        return loaded

    def file_kinds(self) -> frozenset[FileKind] | None:
        """The kinds of file the lesson reads; None for a team's code lesson not yet imported
        (knowing would mean running its module)."""
        if self.is_pattern:
            from pytest_lessons.patterns.languages import language_named

            languages = [language_named(name) for name in self.spec.languages]
            return frozenset(language.kind for language in languages if language is not None)
        if self.runs_team_code and "class" not in self._loaded:
            return None
        return self.check_class.file_kinds

    @property
    def options_model(self) -> type[LessonOptions]:
        """The model of the lesson's options: a pattern lesson's is built from its `[options]`
        declarations (nothing is compiled), a code lesson's is in its check module."""
        if self.is_pattern:
            from pytest_lessons.patterns.options import options_model

            return options_model(self.id, self.spec.options)
        model: type[LessonOptions] = self.check_class.options_model
        return model

    @property
    def option_defaults(self) -> dict[str, Any]:
        """The defaults the TOML sets over the model's: a code lesson's `[options]` values; a
        pattern lesson's `[options]` declare the model, whose defaults are already theirs."""
        return {} if self.is_pattern else dict(self.spec.options)

    def options(self, overrides: dict[str, Any]) -> LessonOptions:
        """The TOML defaults overlaid by `overrides` (kebab-case keys), validated strictly;
        raises pydantic's ValidationError (or TomlValueError for a date)."""
        return validate_toml(self.options_model, {**self.option_defaults, **overrides})

    def build_check(self, overrides: dict[str, Any], config_file: Path | None) -> Check[Any, Any]:
        """Instantiate the check with the TOML defaults overlaid by `overrides`."""
        try:
            options = self.options(overrides)
        except (ValidationError, TomlValueError) as error:
            origin = config_file if overrides and config_file is not None else self.toml_path
            table = f"options.{self.id}" if overrides else "options"
            if isinstance(error, TomlValueError):
                first = error.problems[0].message
            else:
                model = self.options_model
                data = {**self.option_defaults, **overrides}
                first = describe_validation_error(error, model, data, prefix=table)
            line = line_of_key(origin, self.id) if overrides else line_of_key(origin, "options")
            raise LessonsConfigError(origin, first, line=line) from None
        return self.check_class(self.spec, options)

    def _load_check_class(self) -> type[Check[Any, Any]]:
        if self.is_pattern:
            return _compiled_pattern_class(self)
        assert self.spec.check is not None
        module_name, _, class_name = self.spec.check.partition(":")
        where = line_of_key(self.toml_path, "check")
        try:
            if self.builtin:
                module = importlib.import_module(module_name)
            else:
                from pytest_lessons.team_code import import_lesson_module

                module = import_lesson_module(self.examples_dir, module_name)
        except Exception as error:  # any failure importing a check is a broken lesson
            raise LessonsConfigError(
                self.toml_path,
                f"check module {module_name!r} cannot be imported "
                f"({type(error).__name__}: {error})",
                line=where,
            ) from None
        candidate = getattr(module, class_name, None)
        if not (isinstance(candidate, type) and issubclass(candidate, Check)):
            raise LessonsConfigError(
                self.toml_path,
                f"{self.spec.check!r} is not a Check subclass; `check` must name a class "
                "deriving from pytest_lessons.Check (or pytest_lessons.PerFileCheck)",
                line=where,
            )
        return candidate


class Catalog:
    """Lessons by id, in a stable order (built-ins first, then packages, then lesson paths)."""

    def __init__(self, lessons: Sequence[Lesson]) -> None:
        self._lessons = {lesson.id: lesson for lesson in lessons}

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self._lessons.values())

    def __len__(self) -> int:
        return len(self._lessons)

    def __contains__(self, lesson_id: object) -> bool:
        return lesson_id in self._lessons

    def __getitem__(self, lesson_id: str) -> Lesson:
        return self._lessons[lesson_id]

    @property
    def ids(self) -> list[str]:
        return list(self._lessons)


def builtin_dir() -> LessonDir:
    return LessonDir(BUILTIN_LESSONS_DIR, "built-in", builtin=True)


def load_catalog(extra_dirs: Sequence[Path | LessonDir] = (), *, packages: bool = True) -> Catalog:
    """The built-in lessons, the installed packages' (unless `packages` is off), and those of
    `extra_dirs` (a plain path is a directory the caller names: "lesson path <dir>")."""
    dirs = [builtin_dir()]
    if packages:
        dirs.extend(package_lesson_dirs())
    for extra in extra_dirs:
        dirs.append(extra if isinstance(extra, LessonDir) else LessonDir(extra, f"{extra}"))
    lessons: list[Lesson] = []
    seen: dict[str, Lesson] = {}
    for directory in dirs:
        for lesson in _lessons_in(directory):
            first = seen.get(lesson.id)
            if first is not None:
                if first.toml_path.resolve() == lesson.toml_path.resolve():
                    continue  # the same folder named twice (config and command line)
                raise LessonsConfigError(
                    lesson.toml_path,
                    f"lesson id {lesson.id!r} is defined twice: by {first.origin} "
                    f"({first.toml_path}) and by {lesson.origin} ({lesson.toml_path}); "
                    "rename one of them (or stop loading one of the two sources)",
                    line=line_of_key(lesson.toml_path, "id"),
                )
            seen[lesson.id] = lesson
            lessons.append(lesson)
    return Catalog(lessons)


def _lessons_in(directory: LessonDir) -> Iterator[Lesson]:
    if not directory.path.is_dir():
        raise LessonsConfigError(
            directory.path,
            f"lesson path is not a directory ({directory.origin}); fix `lesson-paths` in the "
            "config",
        )
    for stray in sorted(directory.path.glob("*.toml")):
        raise LessonsConfigError(
            stray,
            f"a lesson is a folder: move this file to {stray.stem}/{LESSON_FILE} "
            "(its examples go in that folder's bad/ and good/)",
        )
    for toml_path in sorted(directory.path.glob(f"*/{LESSON_FILE}")):
        lesson = load_lesson(toml_path, origin=directory)
        if lesson.runs_team_code and directory.confined_to is not None:
            _refuse_code_outside(lesson, directory.confined_to, directory.origin)
        yield lesson


def _refuse_code_outside(lesson: Lesson, root: Path, origin: str) -> None:
    from pytest_lessons.team_code import module_file

    assert lesson.spec.check is not None
    module = module_file(lesson.examples_dir, lesson.spec.check.partition(":")[0])
    for path in (lesson.examples_dir, module):
        if path is None:
            continue
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise LessonsConfigError(
                lesson.toml_path,
                f"a code lesson outside the root is never imported: {origin} leads to "
                f"{resolved}, outside {root}. Move the lesson into the repository, or install "
                f"it as a package (entry point group {ENTRY_POINT_GROUP})",
                line=line_of_key(lesson.toml_path, "check"),
            )


def package_lesson_dirs() -> list[LessonDir]:
    """The lesson directories installed packages declare (`pytest_lessons.lessons` entry points).

    An entry point names a package (`acme_lessons`) whose directory holds lesson folders; it is
    located without being imported, so listing lessons runs no package code.
    """
    found: list[LessonDir] = []
    for entry in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    ):
        distribution = getattr(entry, "dist", None)
        owner = (
            f"{distribution.metadata['Name']} {distribution.version}"
            if distribution is not None
            else "an installed package"
        )
        origin = f"package {owner} (entry point {entry.name!r})"
        where = f"entry point {entry.name!r} of {owner} (group {ENTRY_POINT_GROUP})"
        if ":" in entry.value:
            raise LessonsConfigError(
                where, f"{entry.value!r} must name a package (the directory of lesson folders)"
            )
        try:
            spec = importlib.util.find_spec(entry.value)
        except (ImportError, ValueError) as error:
            raise LessonsConfigError(
                where, f"cannot find package {entry.value!r} ({error})"
            ) from None
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        if not locations:
            raise LessonsConfigError(
                where, f"{entry.value!r} is not an installed package with lesson folders"
            )
        found.append(LessonDir(Path(locations[0]), origin))
    return found


def load_lesson(toml_path: Path, *, origin: LessonDir | None = None) -> Lesson:
    """Read and validate one lesson: a pattern lesson's rule is compiled, a team's code lesson's
    module is only located (it is imported when its check is built)."""
    raw = load_toml(toml_path)
    try:
        spec = LessonSpec.model_validate(raw)
    except ValidationError as error:
        message = describe_validation_error(error, LessonSpec, raw)
        key = _first_error_key(error)
        raise LessonsConfigError(
            toml_path,
            _with_entry(message, key or ""),
            line=_line_of_path(toml_path, key) if key else None,
        ) from None
    if toml_path.parent.name != spec.id:
        raise LessonsConfigError(
            toml_path, f"the folder name must match the lesson id: rename it to {spec.id}/"
        )
    where = origin
    if where is None:
        builtin = toml_path.resolve().is_relative_to(BUILTIN_LESSONS_DIR.resolve())
        where = builtin_dir() if builtin else LessonDir(toml_path.parent.parent, "lesson path")
    lesson = Lesson(spec=spec, toml_path=toml_path, origin=where.origin, builtin=where.builtin)
    if spec.is_pattern or spec.language is not None or "rules" in raw:
        _check_pattern_lesson(lesson, raw)
    elif spec.check is None:
        raise LessonsConfigError(
            toml_path,
            'a lesson needs either `check = "module:Class"` (a code lesson) or `language` '
            "and a `[rule]` table (a pattern lesson)",
        )
    else:
        _check_code_lesson(lesson, raw)
    return lesson


def _check_pattern_lesson(lesson: Lesson, raw: dict[str, Any]) -> None:
    spec, toml_path = lesson.spec, lesson.toml_path
    if spec.check is not None:
        raise LessonsConfigError(
            toml_path,
            "a lesson has either `check` (a code lesson) or `language` and `[rule]` "
            "(a pattern lesson), not both",
            line=line_of_key(toml_path, "check"),
        )
    if "rules" in raw:
        _check_rules_form(toml_path, raw)
    else:
        for key in ("language", "rule"):
            if raw.get(key) is None:
                raise LessonsConfigError(
                    toml_path,
                    f'a pattern lesson needs `{key}` (`language = "go"` and a `[rule]` table, '
                    "or one `[[rules]]` table per language)",
                )
    if spec.options:
        from pytest_lessons.patterns.options import OptionsDeclarationError, declarations

        try:
            declarations(spec.options)
        except OptionsDeclarationError as error:
            raise LessonsConfigError(
                toml_path, str(error), line=_line_of_path(toml_path, error.key)
            ) from None
    if lesson.builtin:
        # Ours, and proven by the test suite: compiled when a run first needs it, so that a
        # start-up that reads no file of its languages never loads the parser.
        return
    lesson._loaded["class"] = _compiled_pattern_class(lesson)


def _compiled_pattern_class(lesson: Lesson) -> type[Check[Any, Any]]:
    """Compile the lesson's rules with ast-grep; a rule it rejects is a usage error at its key."""
    from pytest_lessons.patterns.check import pattern_check_class, pattern_rules
    from pytest_lessons.patterns.rule import RuleError

    try:
        rules = pattern_rules(lesson.spec)
    except RuleError as error:
        raise LessonsConfigError(
            lesson.toml_path,
            _with_entry(str(error), error.key),
            line=_line_of_path(lesson.toml_path, error.key),
        ) from None
    return pattern_check_class(lesson.spec, rules)


def _check_rules_form(toml_path: Path, raw: dict[str, Any]) -> None:
    """`[[rules]]` replaces the one-language form: both at once would leave a rule unread."""
    for key in SHORTHAND_ONLY_KEYS:
        if key in raw:
            raise LessonsConfigError(
                toml_path,
                f"`{key}` belongs to the one-language form; with `[[rules]]` each entry sets its "
                f"own `{key}` (move it into the `[[rules]]` tables, or drop `[[rules]]`)",
                line=line_of_key(toml_path, key),
            )
    if not raw["rules"]:
        raise LessonsConfigError(
            toml_path,
            "`rules`: needs at least one `[[rules]]` table (`language` and `rule`)",
            line=line_of_key(toml_path, "rules"),
        )


def _check_code_lesson(lesson: Lesson, raw: dict[str, Any]) -> None:
    """Everything about a code lesson that can be known without importing it."""
    toml_path = lesson.toml_path
    for key in (*PATTERN_KEYS, *PATTERN_OPTIONAL_KEYS):
        if key in raw:
            raise LessonsConfigError(
                toml_path,
                f"`{key}` belongs to pattern lessons (`language` and `[rule]`); a code lesson "
                "decides in its check class",
                line=line_of_key(toml_path, key),
            )
    if lesson.builtin:
        # Ours, and imported only when a run builds its check: importing every check module
        # (and the parsers they use) to list the catalog was most of a run's start-up. The
        # test suite builds every built-in lesson, so a broken one cannot ship.
        return
    from pytest_lessons.team_code import module_file

    assert lesson.spec.check is not None
    module = lesson.spec.check.partition(":")[0]
    if module_file(lesson.examples_dir, module) is None:
        raise LessonsConfigError(
            toml_path,
            f"check module {module!r} cannot be imported: no {module.replace('.', '/')}.py in "
            f"{lesson.examples_dir} (a team lesson's check module sits in its lesson folder)",
            line=line_of_key(toml_path, "check"),
        )


def _with_entry(message: str, key: str) -> str:
    """A `rules[N]` error also says which table that is, counted as a person counts."""
    entry = re.match(r"rules\[(\d+)\]", key)
    if entry is None:
        return message
    number = int(entry.group(1)) + 1
    return message.replace("`:", f"` (the [[rules]] table number {number}):", 1)


def _line_of_path(toml_path: Path, key: str) -> int | None:
    """The line of a dotted key path (`rule.inside.pattern`, `rules[1].rule.kind`): the key
    itself where the TOML can be followed, else its last key, else its table."""
    path: list[str | int] = []
    for part in key.split("."):
        name, *indices = re.split(r"\[(\d+)\]", part)
        path.append(name)
        path.extend(int(index) for index in indices if index)
    if isinstance(path[0], str) and path[0] == "rules":
        try:
            text = toml_path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        return line_of(key_lines(text), tuple(path))
    parts = [part.split("[", 1)[0] for part in key.split(".")]
    for part in reversed(parts):
        line = line_of_key(toml_path, part)
        if line is not None:
            return line
    return None


def _first_error_key(error: ValidationError) -> str | None:
    # The problem the message names first: an unknown key before the missing one it misspells.
    for detail in sorted(error.errors(), key=lambda d: d["type"] != "extra_forbidden"):
        loc = detail["loc"]
        if loc:
            if loc[0] == "rules":
                return dotted(tuple(part for part in loc if isinstance(part, (str, int))))
            return str(loc[0])
    return None


def replace_spec(lesson: Lesson, spec: LessonSpec) -> Lesson:
    """The same lesson with another spec (tests and docs render variants)."""
    return dataclasses.replace(lesson, spec=spec, _loaded=dict(lesson._loaded))
