"""The sort key of a raw SQL string: what its `ORDER BY` ends with, when the query pages.

Both halves read SQL held in strings (`text("...")`, `cursor.execute("...")`, a tagged
`$queryRaw` template). A statement pages when it has an `ORDER BY` and an `OFFSET`, or a
`LIMIT` after a keyset condition on the sort column (`created_at < :last`); its last sort key
is a bare column (an optional table prefix, `ASC`/`DESC`, `NULLS FIRST/LAST`). Anything else
(an expression, a placeholder, a position) is left alone: the lesson only speaks when it knows
the column. A keyset that keeps the boundary (`>= :last_seen`) and skips the rows already
handled with an anti-join (`NOT EXISTS`, the shape of a backfill that copies rows the target
lacks) loses no tied row and repeats none, and is left alone too.
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
_ANTI_JOIN = re.compile(
    r"\bnot\s+exists\s*\(|\bnot\s+in\s*\(\s*select\b|\bleft\s+(?:outer\s+)?join\b.*\bis\s+null\b",
    re.IGNORECASE | re.DOTALL,
)
"""`NOT EXISTS (...)`, `NOT IN (SELECT ...)`, `LEFT JOIN ... IS NULL`: rows already handled are
skipped by the query itself (a backfill that copies what the target does not hold yet)."""
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
    bounds = [
        bound
        for bound in re.finditer(
            rf"\b{re.escape(name)}\"?\s*(?P<op>[<>]=?)\s*(?P<value>[^\s,)]+)", before, re.I
        )
        if CURSOR_NAME.search(bound.group("value"))
    ]
    if not re.search(r"\boffset\b", found.group(0), re.IGNORECASE) and not bounds:
        return None  # LIMIT alone: the top rows once, not a page
    if any(bound.group("op").endswith("=") for bound in bounds) and _ANTI_JOIN.search(before):
        return None  # the tied rows come back, and the anti-join skips those already done
    return name.lower(), found.start()
