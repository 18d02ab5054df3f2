"""The sort key of a raw SQL string: what its `ORDER BY` ends with, when the query pages.

Both halves read SQL held in strings (`text("...")`, `cursor.execute("...")`, a tagged
`$queryRaw` template). A statement pages when `LIMIT`, `OFFSET` or `FETCH` follows its `ORDER
BY`; its last sort key is a bare column (an optional table prefix, `ASC`/`DESC`, `NULLS
FIRST/LAST`). Anything else (an expression, a placeholder, a position) is left alone: the
lesson only speaks when it knows the column.
"""

from __future__ import annotations

import re

__all__ = ["paged_sort_column"]

_PAGED = re.compile(
    r"\border\s+by\s+(?P<keys>[^;]*?)\s+(?:limit|offset|fetch)\b", re.IGNORECASE | re.DOTALL
)
_COLUMN = re.compile(
    r"^(?:[A-Za-z_][\w]*\.)?\"?(?P<name>[A-Za-z_]\w*)\"?"
    r"(?:\s+(?:asc|desc))?(?:\s+nulls\s+(?:first|last))?$",
    re.IGNORECASE,
)


def paged_sort_column(sql: str) -> tuple[str, int] | None:
    """(the last sort column of a paged `ORDER BY`, its offset in `sql`), or None."""
    found = _PAGED.search(sql)
    if found is None:
        return None
    keys = found.group("keys")
    if "(" in keys or "{" in keys or "$" in keys or "%" in keys:
        return None
    last = keys.rsplit(",", 1)[-1].strip()
    column = _COLUMN.match(last)
    if column is None:
        return None
    return column.group("name"), found.start()
