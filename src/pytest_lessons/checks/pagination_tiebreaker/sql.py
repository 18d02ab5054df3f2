"""The sort key of a raw SQL string: what its `ORDER BY` ends with, when the query pages.

Both halves read SQL held in strings (`text("...")`, `cursor.execute("...")`, a tagged
`$queryRaw` template). A statement pages when it has an `ORDER BY` and an `OFFSET`, or a
`LIMIT` after a keyset condition on the sort column (`created_at < :last`); its last sort key
is a bare column (an optional table prefix, `ASC`/`DESC`, `NULLS FIRST/LAST`). Anything else
(an expression, a placeholder, a position) is left alone: the lesson only speaks when it knows
the column.
"""

from __future__ import annotations

import re

__all__ = ["CURSOR_NAME", "paged_sort_column"]

CURSOR_NAME = re.compile(r"(?i)last|cursor|after|prev|next|seen|marker")
"""What the value a keyset page compares with is called: the last row seen, not a fixed bound."""

_PAGED = re.compile(
    r"\border\s+by\s+(?P<keys>[^;]*?)\s+(?:limit|offset|fetch)\b(?P<rest>[^;]*)",
    re.IGNORECASE | re.DOTALL,
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
    name = column.group("name")
    before = sql[: found.start()]
    keyset = any(
        CURSOR_NAME.search(bound.group(1))
        for bound in re.finditer(rf"\b{re.escape(name)}\"?\s*[<>]=?\s*([^\s,)]+)", before, re.I)
    )
    if not re.search(r"\boffset\b", found.group(0), re.IGNORECASE) and not keyset:
        return None  # LIMIT alone: the top rows once, not a page
    return name.lower(), found.start()
