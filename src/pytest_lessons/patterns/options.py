"""A pattern lesson's options: lists of names a team sets in its config, read by the rule as utils.

A pattern lesson declares each option in its TOML with a default and a description:

    [options.idempotent-marks]
    default = ["idempotent"]
    description = "Decorators, context managers and wrappers that make a call idempotent."

and its rules use it as an ast-grep util of the same name (`matches = "idempotent-marks"`). That
util matches a node whose text holds one of the option's values as a whole word: the value is
neither preceded nor followed by a letter, a digit, `_` or `$` (`idempotent` matches
`@idempotent(key=...)` and `store.idempotent(...)`, not `@idempotent_task`; a dotted value such as
`billing.once` matches that text exactly). Values are escaped, so they are names, never regexes.
An empty list matches nothing. The team sets the option like a code lesson's
(`[tool.pytest-lessons.options.<id>]`, `extend-<option>` adds to the default), through the same
strict validation; the options model is built from the declarations, so `explain`, the README and
the fact cache's key (which holds the options) treat both kinds of lesson alike.

An option util is an alternation, from which the prefilter derives no literal: a lesson's
prefilter is the same whatever its options say.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from pytest_lessons.options import LessonOptions

OPTION_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
NEVER = "[^\\s\\S]"
"""A regex no text matches: the util of an option whose list is empty."""

Name = Annotated[str, StringConstraints(min_length=1)]


class OptionDeclaration(BaseModel):
    """One `[options.<name>]` table of a pattern lesson."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: list[Name]
    description: str = Field(min_length=1)


class OptionsDeclarationError(ValueError):
    """A malformed `[options]` table: `key` is the dotted path (`options.marks.default`)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"`{key}`: {message}")
        self.key = key
        self.message = message


def declarations(raw: Mapping[str, Any]) -> dict[str, OptionDeclaration]:
    """The `[options]` table of a pattern lesson, validated; raises OptionsDeclarationError."""
    found: dict[str, OptionDeclaration] = {}
    for name, table in raw.items():
        at = f"options.{name}"
        if not OPTION_NAME.match(name):
            raise OptionsDeclarationError(
                at, "an option name is lowercase words joined by '-', like 'idempotent-marks'"
            )
        if not isinstance(table, dict):
            raise OptionsDeclarationError(
                at,
                "a pattern lesson declares each option as a table with `default` (a list of "
                f'names) and `description`: [options.{name}] default = ["..."] description = '
                '"..."',
            )
        for key in ("default", "description"):
            if key not in table:
                raise OptionsDeclarationError(f"{at}.{key}", "required key is missing")
        for key in table:
            if key not in OptionDeclaration.model_fields:
                raise OptionsDeclarationError(
                    f"{at}.{key}", "unknown key; an option has `default` and `description`"
                )
        default, description = table["default"], table["description"]
        if not isinstance(default, list) or not all(
            isinstance(item, str) and item for item in default
        ):
            raise OptionsDeclarationError(
                f"{at}.default", "must be a list of non-empty strings (the names the rule reads)"
            )
        if not isinstance(description, str) or not description.strip():
            raise OptionsDeclarationError(f"{at}.description", "must be a non-empty string")
        found[name] = OptionDeclaration(default=default, description=description)
    return found


@functools.lru_cache(maxsize=256)
def _model_for(lesson_id: str, declared: tuple[tuple[str, tuple[str, ...], str], ...]) -> Any:
    fields: dict[str, Any] = {
        name.replace("-", "_"): (
            tuple[Name, ...],
            Field(default=default, description=description),
        )
        for name, default, description in declared
    }
    title = "".join(part.title() for part in lesson_id.split("-")) + "Options"
    return create_model(title, __base__=LessonOptions, **fields)


def options_model(lesson_id: str, raw: Mapping[str, Any]) -> type[LessonOptions]:
    """The options model of a pattern lesson (one per declaration, built once per process):
    each option a tuple of names, its default and description those of its TOML."""
    declared = tuple(
        (name, tuple(declaration.default), declaration.description)
        for name, declaration in declarations(raw).items()
    )
    model: type[LessonOptions] = _model_for(lesson_id, declared)
    return model


def option_values(options: LessonOptions) -> dict[str, tuple[str, ...]]:
    """The options as the rule reads them: by their TOML name."""
    values: dict[str, tuple[str, ...]] = options.model_dump(by_alias=True)
    return values


def option_utils(values: Mapping[str, Sequence[str]]) -> dict[str, dict[str, str]]:
    """One ast-grep util per option: a node whose text holds one of the values as a whole word."""
    return {name: {"regex": word_regex(names)} for name, names in values.items()}


def word_regex(names: Sequence[str]) -> str:
    """A regex (ast-grep's, Rust syntax) finding any of `names` as a whole word, anywhere."""
    if not names:
        return NEVER
    alternatives = "|".join(_escaped(name) for name in sorted(set(names), key=len, reverse=True))
    return f"(?:^|[^\\w$])(?:{alternatives})(?:[^\\w$]|$)"


def _escaped(name: str) -> str:
    """Every ASCII character but a letter, digit or `_` as `\\x{..}`: literal in Rust's regex
    syntax whatever it is (Python's `re.escape` writes escapes Rust may refuse)."""
    return "".join(
        f"\\x{{{ord(char):x}}}" if char.isascii() and not (char.isalnum() or char == "_") else char
        for char in name
    )
