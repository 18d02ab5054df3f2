"""What both readers of the lesson recognise: width keywords alembic ignores, the SQL and column
types that widen `version_num`."""

from __future__ import annotations

import re

__all__ = [
    "ALEMBIC_VERSION_OPTIONS",
    "ALTER_SQL",
    "BOUNDED_TYPES",
    "UNBOUNDED_TYPES",
    "is_ignored_width_keyword",
    "shorten",
]

ALEMBIC_VERSION_OPTIONS = frozenset({"version_table", "version_table_schema", "version_table_pk"})
"""The `context.configure` keywords about the version table that alembic actually reads."""

_WIDTH_WORDS = ("length", "width", "size", "type")
BOUNDED_TYPES = frozenset({"String", "VARCHAR", "Unicode", "NVARCHAR", "CHAR", "NCHAR"})
UNBOUNDED_TYPES = frozenset({"Text", "TEXT", "UnicodeText", "CLOB"})
ALTER_SQL = re.compile(
    r"\balter\s+table\s+[\w.\"`\[\]]*version\w*[\"`\]]?\s+"
    r"(?:alter|modify)\s+(?:column\s+)?[\"`\[]?version_num[\"`\]]?\s+"
    r"(?:(?:set\s+data\s+)?type\s+)?"
    r"(?:(?:varchar|character\s+varying|nvarchar|varchar2)\s*\(\s*(?P<width>\d+)\s*\)|(?P<text>text))",
    re.IGNORECASE,
)


def is_ignored_width_keyword(keyword: str) -> bool:
    """Whether a `context.configure` keyword looks like a version-column width yet is ignored.

    alembic passes unknown keywords on in a dict that nothing reads, so a width/length/size/type
    keyword about the version table is silently dropped; its real version options are excluded.
    """
    lowered = keyword.lower()
    return (
        "version" in lowered
        and any(word in lowered for word in _WIDTH_WORDS)
        and keyword not in ALEMBIC_VERSION_OPTIONS
    )


def shorten(code: str) -> str:
    flat = " ".join(code.split())
    return flat if len(flat) <= 40 else flat[:37] + "..."
