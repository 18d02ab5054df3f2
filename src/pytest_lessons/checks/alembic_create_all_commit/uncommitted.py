"""The record `transactions` makes of each statement an env.py leaves uncommitted."""

from __future__ import annotations

from typing import Literal

from pytest_lessons.lang.common.records import Record

__all__ = ["Reason", "UncommittedWork"]


Reason = Literal["takeover", "late-commit", "closed"]


class UncommittedWork(Record):
    """A statement on a connection whose transaction is still open when it matters."""

    line: int
    column: int
    end_line: int
    end_column: int
    statement: str
    """The call as written (shortened), e.g. `Base.metadata.create_all(connection)`."""
    connection: str
    """The name the connection has where the statement runs."""
    reason: Reason
    """takeover: alembic got the connection with the transaction open; late-commit: the commit
    came only after `context.configure`; closed: the connection closed with the DDL uncommitted."""
    commit_line: int | None = None
    """For late-commit: the line of the commit that came too late."""
    nested: bool = False
    """The statement is `begin_nested()`, whose SAVEPOINT autobegins the outer transaction."""
    awaited: bool = False
    """The statement is awaited (an async env.py): the commit must be awaited too."""
    reads_only: bool = False
    """The statement only reads (a SELECT, an inspector call): it opens the transaction all
    the same."""
