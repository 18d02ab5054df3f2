"""The options of `pagination-tiebreaker`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["PaginationTiebreakerOptions"]


class PaginationTiebreakerOptions(LessonOptions):
    unique_columns: tuple[str, ...]
    """Column and field names taken as unique in every model (the primary keys' usual names);
    columns a model declares unique are found in its declaration."""
