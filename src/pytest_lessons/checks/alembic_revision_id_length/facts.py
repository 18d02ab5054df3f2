"""The facts the lesson extracts from one file."""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.lang.common.records import Record

__all__ = [
    "AlembicRevisionIdLengthFacts",
    "IgnoredConfigureOption",
    "Migration",
    "VersionColumnWidening",
]


class Migration(Record):
    """A migration file's own id (a string literal) and the ids it follows."""

    revision: str
    line: int
    column: int
    end_line: int
    end_column: int
    down_revisions: list[str] = Field(default_factory=list)
    """The parents' ids; empty for a first migration or when `down_revision` cannot be read."""


class VersionColumnWidening(Record):
    """A statement in a migration that widens `version_num`; `width` None means unbounded text."""

    line: int
    width: int | None


class IgnoredConfigureOption(Record):
    """A `context.configure` keyword that reads like a version-column width but is not one."""

    keyword: str
    value: str
    """The argument's source, shortened: `128`, `sa.String(128)`."""
    line: int


class AlembicRevisionIdLengthFacts(Record):
    migration: Migration | None = None
    widenings: list[VersionColumnWidening] = Field(default_factory=list)
    configures: bool = False
    """The file calls `context.configure`: it is an alembic env file."""
    ignored_options: list[IgnoredConfigureOption] = Field(default_factory=list)
