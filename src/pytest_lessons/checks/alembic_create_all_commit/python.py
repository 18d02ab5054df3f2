"""The Python half of `alembic-create-all-commit`: the uncommitted work of each alembic env.py."""

from __future__ import annotations

import re

from pydantic import Field

from pytest_lessons.checks.alembic_create_all_commit.options import AlembicCreateAllCommitOptions
from pytest_lessons.checks.alembic_create_all_commit.uncommitted import UncommittedWork
from pytest_lessons.checks.base import Half
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.lang.common.records import Record
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PREFILTER", "PythonFacts", "PythonHalf"]

SQLALCHEMY_SPELLINGS = (b"sqlalchemy", b"SQLAlchemy", b"SQLALCHEMY", b"Sqlalchemy")
PREFILTER = (b"context.configure", b"run_migrations", *SQLALCHEMY_SPELLINGS)
"""What an env.py (or a dependency file) must mention to be read."""
_ALEMBIC_CALL = re.compile(r"\.[\s\\]*(?:configure|run_migrations)\b")
"""An env.py calls `context.configure` or `context.run_migrations` (under any alias): a module
without that attribute call is no env.py, and is not parsed (`configure_mappers()`,
`configure_logging` in a settings module hold the bare word)."""


class PythonFacts(Record):
    uncommitted: list[UncommittedWork] = Field(default_factory=list)


class PythonHalf(Half[AlembicCreateAllCommitOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})
    prefilter = PREFILTER

    def reads(self, file: SourceFile) -> bool:
        """Every Python module but `setup.py`, which the dependency half reads."""
        return file.rel.rsplit("/", 1)[-1] != "setup.py"

    def extract(self, file: SourceFile) -> PythonFacts:
        if _ALEMBIC_CALL.search(file.text) is None:
            return PythonFacts()
        # Walked with libcst (its concrete syntax), imported only here: an env.py is one file
        # in thousands, and building the check for the survey no longer imports libcst
        # (an eighth of a second of every run that builds the Python checks).
        from pytest_lessons.checks.alembic_create_all_commit.transactions import (
            uncommitted_work,
        )

        try:
            return PythonFacts(uncommitted=uncommitted_work(file, self.options.commit_helpers))
        except RecursionError:
            raise too_deep_to_analyse() from None
