"""What both halves record of a paged query: where its ordering ends, on which model."""

from __future__ import annotations

from pydantic import Field

from pytest_lessons.lang.common.records import Record, Spanned

__all__ = ["Sort", "SortFacts", "UnorderedPage"]


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


class UnorderedPage(Spanned):
    """A page of a query with no ordering at all (its span is the paging call's name, or the
    Prisma `skip`/`cursor` key)."""

    query: str
    """The query the page is of (`Users.query`, `prisma.user.findMany`), for the message."""
    paging: str
    ordering: str
    """How this language orders by a unique column, for the message."""


class SortFacts(Record):
    sorts: list[Sort] = Field(default_factory=list)
    unordered: list[UnorderedPage] = Field(default_factory=list)
