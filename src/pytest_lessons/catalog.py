"""The catalog: every lesson's TOML, validated, paired with its check class and options.

Every lesson is a folder named by its id: `<id>/lesson.toml` beside its `bad/` and `good/`
example trees. Built-in lessons live in the checkout's top-level `lessons/` and ship inside the
wheel as `pytest_lessons/lessons/`; a team adds its own with `lesson-paths`, directories holding
lesson folders of the same shape (a team's check module sits in its lesson's folder).

Loading fails loudly, with the file and key: a lesson that silently failed to load would be a
lesson silently not enforced.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pytest_lessons.checks.base import Check
from pytest_lessons.errors import LessonsConfigError
from pytest_lessons.lesson_spec import LessonSpec
from pytest_lessons.options import LessonOptions
from pytest_lessons.toml_io import line_of_key, load_toml
from pytest_lessons.validation import TomlValueError, describe_validation_error, validate_toml

LESSON_FILE = "lesson.toml"


def _builtin_lessons_dir() -> Path:
    """Inside the installed wheel, else the checkout's `lessons/` (an editable install)."""
    packaged = Path(__file__).parent / "lessons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "lessons"


BUILTIN_LESSONS_DIR = _builtin_lessons_dir()


@dataclass(frozen=True)
class Lesson:
    """A loaded lesson: its spec, where it came from, and its check class."""

    spec: LessonSpec
    toml_path: Path
    check_class: type[Check[Any, Any]]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def examples_dir(self) -> Path:
        """The lesson's folder, holding `lesson.toml` and the `bad/` and `good/` example trees."""
        return self.toml_path.parent

    def options(self, overrides: dict[str, Any]) -> LessonOptions:
        """The TOML defaults overlaid by `overrides` (kebab-case keys), validated strictly;
        raises pydantic's ValidationError (or TomlValueError for a date)."""
        options_model: type[LessonOptions] = self.check_class.options_model
        return validate_toml(options_model, {**self.spec.options, **overrides})

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
                model = self.check_class.options_model
                data = {**self.spec.options, **overrides}
                first = describe_validation_error(error, model, data, prefix=table)
            line = line_of_key(origin, self.id) if overrides else line_of_key(origin, "options")
            raise LessonsConfigError(origin, first, line=line) from None
        return self.check_class(self.spec, options)


class Catalog:
    """Lessons by id, in a stable order (built-ins first, then each lesson path)."""

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


def load_catalog(extra_dirs: Sequence[Path] = ()) -> Catalog:
    lessons: list[Lesson] = []
    seen: dict[str, Path] = {}
    for directory in (BUILTIN_LESSONS_DIR, *extra_dirs):
        if not directory.is_dir():
            raise LessonsConfigError(
                directory, "lesson path is not a directory; fix `lesson-paths` in the config"
            )
        for stray in sorted(directory.glob("*.toml")):
            raise LessonsConfigError(
                stray,
                f"a lesson is a folder: move this file to {stray.stem}/{LESSON_FILE} "
                "(its examples go in that folder's bad/ and good/)",
            )
        for toml_path in sorted(directory.glob(f"*/{LESSON_FILE}")):
            lesson = load_lesson(toml_path, import_root=toml_path.parent)
            if lesson.id in seen:
                raise LessonsConfigError(
                    toml_path,
                    f"lesson id {lesson.id!r} is already defined by {seen[lesson.id]}; "
                    "give the lesson a different id",
                )
            seen[lesson.id] = toml_path
            lessons.append(lesson)
    return Catalog(lessons)


def load_lesson(toml_path: Path, import_root: Path | None = None) -> Lesson:
    raw = load_toml(toml_path)
    try:
        spec = LessonSpec.model_validate(raw)
    except ValidationError as error:
        message = describe_validation_error(error, LessonSpec, raw)
        key = _first_error_key(error)
        raise LessonsConfigError(
            toml_path, message, line=line_of_key(toml_path, key) if key else None
        ) from None
    if toml_path.parent.name != spec.id:
        raise LessonsConfigError(
            toml_path, f"the folder name must match the lesson id: rename it to {spec.id}/"
        )
    check_class = _import_check(spec.check, toml_path, import_root)
    lesson = Lesson(spec=spec, toml_path=toml_path, check_class=check_class)
    lesson.build_check({}, None)  # the TOML's default options must satisfy the options model
    return lesson


def _first_error_key(error: ValidationError) -> str | None:
    for detail in error.errors():
        if detail["loc"]:
            return str(detail["loc"][0])
    return None


def _import_check(
    reference: str, toml_path: Path, import_root: Path | None
) -> type[Check[Any, Any]]:
    module_name, _, class_name = reference.partition(":")
    added = False
    if import_root is not None and not import_root.is_relative_to(BUILTIN_LESSONS_DIR):
        root = str(import_root)
        if root not in sys.path:
            sys.path.insert(0, root)
            added = True
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # any failure importing a check is a broken lesson
        raise LessonsConfigError(
            toml_path,
            f"check module {module_name!r} cannot be imported ({type(error).__name__}: {error})",
            line=line_of_key(toml_path, "check"),
        ) from None
    finally:
        if added:
            sys.path.remove(str(import_root))
    candidate = getattr(module, class_name, None)
    if not (isinstance(candidate, type) and issubclass(candidate, Check)):
        raise LessonsConfigError(
            toml_path,
            f"{reference!r} is not a Check subclass; `check` must name a class deriving from "
            "pytest_lessons.Check",
            line=line_of_key(toml_path, "check"),
        )
    return candidate
