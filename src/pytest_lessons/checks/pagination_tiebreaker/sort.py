"""What both halves record of a paged query: where its ordering ends, on which model."""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.lang.common.records import Record, Spanned

__all__ = ["Sort", "SortFacts"]


class Sort(Spanned):
    """The last key of a paged query's ordering (its span is that key's)."""

    model: str | None
    """The model it sorts (`Order`, `order` for Prisma), when the expression names it."""
    key: str
    """The column or field the ordering ends with."""
    keys: list[str] = Field(default_factory=list)
    """Every plain column of the ordering, `key` last (empty when only `key` is known): a
    compound unique key is a tiebreaker when all its columns are among them."""
    paging: str
    """How the query pages, for the message (`.limit()`, `[a:b]`, `take/skip`)."""


class SortFacts(Record):
    sorts: list[Sort] = Field(default_factory=list)
