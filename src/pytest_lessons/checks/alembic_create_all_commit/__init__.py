"""`alembic-create-all-commit`: work done on alembic's connection before alembic takes it over.

SQLAlchemy 2.0 removed autocommit: the first statement run on a `Connection` begins a
transaction that stays open until someone commits. alembic's `context.configure(connection=...)`
looks at the connection when it is called; if a transaction is already open it treats it as the
caller's and neither begins nor commits one. So a `Base.metadata.create_all(connection)` (or an
advisory-lock SELECT, or any `execute`) before `configure` leaves the DDL *and* every migration
in a transaction nobody commits, and all of it is rolled back when the connection closes. Under
SQLAlchemy 1.x the same code worked, because each statement committed on its own; that is why
the lesson reads which SQLAlchemy the project runs and stays quiet under 1.x.

The Python half (`python`) reads each env.py, walking it with `transactions`; the dependency
half (`dependencies`) reads what dependency files say about SQLAlchemy.

Which SQLAlchemy governs an env.py is decided by `pytest_lessons.lang.python.sqlalchemy_version`
(the nearest directory whose dependency files name it; a lock file's pin wins over ranges).

Each finding says which file the verdict came from. A file that cannot be read (broken TOML, a
lock over `max-file-size`) is reported as a problem and is simply not evidence, so the verdict
falls back to the next file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from pytest_lessons.checks.alembic_create_all_commit.dependencies import DependenciesHalf
from pytest_lessons.checks.alembic_create_all_commit.options import AlembicCreateAllCommitOptions
from pytest_lessons.checks.alembic_create_all_commit.python import PythonHalf
from pytest_lessons.checks.alembic_create_all_commit.uncommitted import UncommittedWork
from pytest_lessons.checks.base import ByHalf, Check, FactsByHalf
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.sqlalchemy_version import (
    SqlalchemyRequirement,
    directory_verdicts,
    governing_requirement,
)

__all__ = [
    "AlembicCreateAllCommit",
    "AlembicCreateAllCommitOptions",
    "UncommittedWork",
    "version_basis",
]


class AlembicCreateAllCommit(Check[AlembicCreateAllCommitOptions, ByHalf]):
    options_model = AlembicCreateAllCommitOptions
    halves = (PythonHalf, DependenciesHalf)
    version = 3

    def judge_halves(self, facts: FactsByHalf) -> Iterable[Finding]:
        requirements = directory_verdicts(
            {
                path: file_facts.dependencies
                for path, file_facts in facts.of(DependenciesHalf).items()
                if file_facts.dependencies is not None
            }
        )
        for path, file_facts in sorted(facts.of(PythonHalf).items()):
            if not file_facts.uncommitted:
                continue
            governing = governing_requirement(requirements, posixpath.dirname(path))
            if governing is not None and governing.verdict == "below-2":
                continue  # SQLAlchemy 1.x autocommits this DDL: the lesson does not apply
            for work in file_facts.uncommitted:
                yield self.finding(
                    path,
                    work.line,
                    work.column,
                    f"{finding_message(work)} ({version_basis(governing)})",
                    end_line=work.end_line,
                    end_column=work.end_column,
                )


def finding_message(work: UncommittedWork) -> str:
    """One line: what ran, why SQLAlchemy 2.0 keeps it open, what is lost, and the fix."""
    conn = work.connection
    commit = f"{'await ' if work.awaited else ''}{conn}.commit()"
    if work.nested:
        opened = (
            f"{work.statement} autobegins an outer transaction on '{conn}' that releasing the "
            "SAVEPOINT does not commit (SQLAlchemy 2.0 does not autocommit)"
        )
    elif work.reads_only:
        opened = (
            f"{work.statement} runs on connection '{conn}': under SQLAlchemy 2.0 any statement, "
            "a read included, begins a transaction that stays open until a commit"
        )
    else:
        opened = (
            f"{work.statement} runs on connection '{conn}' and SQLAlchemy 2.0 does not "
            "autocommit it"
        )
    if work.reason == "closed":
        return (
            f"{opened}; nothing commits it, so it is rolled back when the connection closes "
            f"(tables silently missing): call {commit} after it, or run it in "
            "`with engine.begin() as conn:`"
        )
    if work.reason == "late-commit":
        return (
            f"{opened}; the {conn}.commit() on line {work.commit_line} comes after "
            "context.configure(), which already saw the open transaction and left it to the "
            "caller, so the migrations are rolled back when the connection closes (tables "
            "silently missing): move the commit before context.configure()"
        )
    return (
        f"{opened}: alembic then sees an open transaction, leaves it to the caller and never "
        "commits it, so this work and every migration are rolled back when the connection "
        f"closes (tables silently missing); call {commit} right after it, before "
        "context.configure(), or run it in `with engine.begin() as conn:`"
    )


def version_basis(governing: SqlalchemyRequirement | None) -> str:
    """Which file said the project runs SQLAlchemy 2.x, so a wrong verdict is easy to trace."""
    if governing is None:
        return (
            "no pyproject.toml, requirements or lock file at or above it names SQLAlchemy, "
            "so 2.0 is assumed"
        )
    if governing.pinned:
        return f"{governing.source} pins {governing.requirement}"
    return (
        f"{governing.source} declares `{governing.requirement}`, which admits 2.0, and no "
        "lock file beside it pins a version"
    )
