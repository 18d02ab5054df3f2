"""The options of `alembic-create-all-commit` (defaults in the lesson's TOML)."""

from __future__ import annotations

from pytest_lessons.options import LessonOptions

__all__ = ["AlembicCreateAllCommitOptions"]


class AlembicCreateAllCommitOptions(LessonOptions):
    commit_helpers: tuple[str, ...]
    """Functions defined in other modules that commit the connection passed to them
    (`myapp.db.commit_schema` or a bare name), matched against the name the call resolves to."""
