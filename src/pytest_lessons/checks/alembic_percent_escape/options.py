"""The options of `alembic-percent-escape`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["AlembicPercentEscapeOptions"]


class AlembicPercentEscapeOptions(LessonOptions):
    trust_path_values: bool
    """Treat values built only from `__file__`, `os.path`, `pathlib` as safe (paths hold no `%`)."""
    escape_helpers: tuple[str, ...]
    """Functions defined elsewhere that return %-escaped values (`pkg.db.alembic_url` or a bare
    name, matched against the dotted name the call resolves to)."""
    path_keys: tuple[str, ...]
    """Option names whose values are filesystem paths or separators: a value of unknown origin
    set there counts as a path (see `trust_path_values`). Matched case-insensitively, as
    configparser does."""
