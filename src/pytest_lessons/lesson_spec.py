"""The data half of a lesson: its TOML file, validated.

The TOML is the single source of a lesson's identity and text (README tables and
`--lessons-explain` are generated from it), so the model is strict: a missing `why` or a typo in
a key fails loading with the file and key named.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pytest_lessons.findings import Severity
from pytest_lessons.options import kebab

LESSON_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class LessonSource(BaseModel):
    """Where the lesson was paid for: the incident it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    incident: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    date: datetime.date | None = None
    """When it happened (a TOML date: `date = 2025-03-14`)."""
    link: str | None = Field(default=None, min_length=1)
    """Where the postmortem or the incident ticket is."""


class ExamplePair(BaseModel):
    """One more bad/good pair, in another language than the lesson's first pair."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = Field(pattern=r"^[a-z][a-z0-9+-]*$")
    bad: str = Field(min_length=1)
    good: str = Field(min_length=1)


class LessonExamples(BaseModel):
    """Short snippets for explain output; the full example trees live beside the TOML.

    A lesson that reads several languages shows one pair per language: the first pair is `bad` /
    `good` (its fence language is `language`, else the one language the check reads), the others
    are `[[examples.also]]` tables, so a Python team reading the README sees Python code and a
    TypeScript team sees TypeScript.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    bad: str = Field(min_length=1)
    good: str = Field(min_length=1)
    language: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9+-]*$")
    also: list[ExamplePair] = Field(default_factory=list)


class LessonSpec(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=kebab, populate_by_name=True
    )

    id: str
    title: str = Field(min_length=1)
    severity: Severity = Severity.ERROR
    why: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    check: str | None = Field(default=None, pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
    """A code lesson: `module:Class` of its check (the module beside the TOML)."""
    source: LessonSource
    options: dict[str, Any] = Field(default_factory=dict)
    examples: LessonExamples

    # A pattern lesson: ast-grep's rule keys, with their meaning (see patterns/rule.py).
    language: str | None = None
    rule: dict[str, Any] | None = None
    constraints: dict[str, Any] | None = None
    utils: dict[str, Any] | None = None
    transform: dict[str, Any] | None = None
    autofix: str | dict[str, Any] | None = None
    """ast-grep's `fix` (a template, or a table with `template`, `expandStart`, `expandEnd`);
    named apart because `fix` is the lesson's advice to people."""
    message: str | None = Field(default=None, min_length=1)
    """The finding's message; `$NAME` is the text a metavariable bound (default: the title)."""
    files: list[str] | None = None
    """Globs of the only files the rule reads (gitignore syntax, relative to the root)."""
    ignores: list[str] | None = None
    """Globs of files the rule never reads."""

    @property
    def is_pattern(self) -> bool:
        """A pattern lesson (a `[rule]`, no code), as opposed to a code lesson (`check`)."""
        return self.rule is not None

    @field_validator("id")
    @classmethod
    def _id_is_kebab(cls, value: str) -> str:
        if not LESSON_ID.match(value):
            raise ValueError("a lesson id is lowercase words joined by '-', like 'my-lesson'")
        return value

    @property
    def marker(self) -> str:
        """The pytest marker that selects or deselects this lesson's items."""
        return "lesson_" + self.id.replace("-", "_")
