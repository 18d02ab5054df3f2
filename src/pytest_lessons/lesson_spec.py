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


class RuleEntry(BaseModel):
    """One `[[rules]]` table of a pattern lesson that reads several languages.

    The keys mean what they mean at the top level of a one-language lesson (see `LessonSpec`);
    `language` may also list grammars that share one rule (`["typescript", "tsx"]`), which
    ast-grep would otherwise need one copy of the rule for each. `message`, `files` and `ignores`
    fall back to the lesson's top-level ones.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str | list[str]
    rule: dict[str, Any]
    constraints: dict[str, Any] | None = None
    utils: dict[str, Any] | None = None
    transform: dict[str, Any] | None = None
    autofix: str | dict[str, Any] | None = None
    message: str | None = Field(default=None, min_length=1)
    files: list[str] | None = None
    ignores: list[str] | None = None

    @property
    def languages(self) -> list[str]:
        return [self.language] if isinstance(self.language, str) else list(self.language)


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
    rules: list[RuleEntry] | None = None
    """A pattern lesson in several languages: one `[[rules]]` table per language (or group of
    grammars), instead of the top-level `language` and `[rule]`."""

    @property
    def is_pattern(self) -> bool:
        """A pattern lesson (a `[rule]` or `[[rules]]`, no code), as opposed to a code lesson."""
        return self.rule is not None or self.rules is not None

    def rule_entries(self) -> list[tuple[str, RuleEntry]]:
        """Every rule of a pattern lesson with the key path its errors name: `rules[1]` for a
        `[[rules]]` table, "" for the one-language shorthand; top-level `message`, `files` and
        `ignores` fill what an entry leaves out."""
        if self.rules is not None:
            defaults = {"message": self.message, "files": self.files, "ignores": self.ignores}
            return [
                (
                    f"rules[{index}]",
                    entry.model_copy(
                        update={
                            key: value
                            for key, value in defaults.items()
                            if getattr(entry, key) is None and value is not None
                        }
                    ),
                )
                for index, entry in enumerate(self.rules)
            ]
        if self.rule is None or self.language is None:
            return []
        shorthand = RuleEntry.model_validate(
            {key: getattr(self, key) for key in RuleEntry.model_fields}
        )
        return [("", shorthand)]

    @property
    def languages(self) -> list[str]:
        """The ast-grep languages a pattern lesson reads, in the order its rules name them."""
        names = [name for _, entry in self.rule_entries() for name in entry.languages]
        return list(dict.fromkeys(names))

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
