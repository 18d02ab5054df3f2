"""The records `ops` and `ops_ast` read an alembic upgrade into, and what both readers share:
the names and SQL shapes they recognise."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

NotNullReason = Literal["nullable", "primary-key"]
CallT = TypeVar("CallT")
"""The call node a record points at: libcst's in `ops`, `ast`'s in `ops_ast`."""

_DATABASE_FILLED = frozenset({"Identity", "Computed", "FetchedValue", "DefaultClause"})
"""Positional `Column` arguments with which the database, not the caller, supplies the value."""
_INTEGER_TYPES = frozenset(
    {"Integer", "BigInteger", "SmallInteger", "INTEGER", "BIGINT", "SMALLINT", "INT"}
)
_TEXT_CALLS = frozenset({"text", "literal_column"})
_EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql", "executemany", "executescript"})
_DML_CALLS = frozenset({"update", "delete"})
"""Statement builders that rewrite existing rows (an insert adds rows, it fixes none)."""
_TABLE_CALLS = frozenset({"table", "Table"})
_PLACEHOLDER = "\x00"
"""Stands for an interpolated, unknown part of SQL text."""

_IDENTIFIER = r"(?P<table>[\w\"`\[\].\x00]+)"
_DML = re.compile(
    r"\b(?:UPDATE\s+(?:ONLY\s+)?|DELETE\s+FROM\s+(?:ONLY\s+)?|MERGE\s+INTO\s+)" + _IDENTIFIER,
    re.IGNORECASE,
)
_SET_DEFAULT = re.compile(
    r"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?"
    + _IDENTIFIER
    + r"\s+ALTER\s+(?:COLUMN\s+)?(?P<column>[\w\"`\[\]\x00]+)\s+SET\s+DEFAULT\b",
    re.IGNORECASE,
)


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifa]")
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")


def table_key(name: str) -> str:
    """How table names are compared: unquoted, unqualified, case-folded (as Postgres folds them)."""
    last = name.rsplit(".", 1)[-1] if _PLACEHOLDER not in name else name
    return last.strip('"`[] ').lower()


@dataclass(frozen=True)
class ColumnShape:
    """What a `Column(...)` expression says about NULLs and defaults."""

    name: str | None
    not_null: NotNullReason | None
    """Why the column rejects NULL; None when it accepts NULL or the code does not say."""
    server_default: bool
    database_fills: bool
    """An identity, computed or serial column: the database makes up the value itself."""
    orm_default: bool
    """`default=` is set: SQLAlchemy fills it, the database does not."""


@dataclass(frozen=True)
class AddedColumn(Generic[CallT]):
    call: CallT
    table: str
    table_is_literal: bool
    schema: str | None
    column: ColumnShape


@dataclass(frozen=True)
class AlteredColumn(Generic[CallT]):
    call: CallT
    table: str
    table_is_literal: bool
    schema: str | None
    column: str
    new_name: str | None
    not_null: bool
    """`nullable=False` (literally)."""
    sets_server_default: bool
    keeps_server_default: bool
    """`existing_server_default=` names a default the column already has."""


@dataclass(frozen=True)
class Backfill:
    """A statement that may rewrite existing rows; `table` None when it cannot be told which."""

    node: object
    table: str | None


@dataclass
class UpgradeOps(Generic[CallT]):
    has_upgrade: bool = False
    revision: str | None = None
    down_revisions: list[str] = field(default_factory=list)
    """The revisions this one builds on (`down_revision`, a tuple for a merge)."""
    created_tables: list[str] = field(default_factory=list)
    added: list[AddedColumn[CallT]] = field(default_factory=list)
    altered: list[AlteredColumn[CallT]] = field(default_factory=list)
    backfills: list[Backfill] = field(default_factory=list)
    raw_defaults: list[tuple[str | None, str | None]] = field(default_factory=list)
    """(table, column) given a default in raw SQL (`ALTER TABLE t ALTER COLUMN c SET DEFAULT`);
    None for a name that is interpolated."""


def _is_upgrade(name: str) -> bool:
    return name == "upgrade" or name.startswith("upgrade_")


@dataclass(frozen=True)
class _Batch:
    table: str
    table_is_literal: bool
    schema: str | None
