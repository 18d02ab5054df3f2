"""What one pass over a module saw inside each function or class, as plain text.

Both readers of `python_evidence` fill these records, `evidence_ast` (the stdlib `ast`, the fast
path) and `evidence_cst` (libcst, for syntax the running interpreter's `ast` rejects), so the
rules that turn them into evidence are written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from pytest_lessons.lang.python.routes import Dependency

__all__ = [
    "COMPARE_CALLS",
    "LOOKUP_CALLS",
    "REJECT_401",
    "REJECT_403",
    "Scan",
    "Site",
    "Test",
]

COMPARE_CALLS = frozenset(
    {
        "compare_digest",
        "constant_time_compare",
        "safe_str_cmp",
        "secure_compare",
        "timing_safe_compare",
        "consteq",
    }
)
LOOKUP_CALLS = frozenset(
    {"filter", "filter_by", "get", "get_object_or_404", "get_or_404", "first_or_404"}
)
"""Calls that look a record up by keyword (`Invite.objects.get(token=token)`,
`query.filter_by(token=token)`): their keywords are the fields the record is keyed by."""
REJECT_401 = re.compile(
    r"HTTP_401|UNAUTHORI[SZ]ED|NOT_?AUTHENTICATED|AUTHENTICATION_?(?:ERROR|FAILED|REQUIRED)"
    r"|INVALID_?(?:CREDENTIALS?|TOKEN|API_?KEY)|CREDENTIALS_?EXCEPTION",
    re.IGNORECASE,
)
REJECT_403 = re.compile(
    r"HTTP_403|FORBIDDEN|PERMISSION_?DENIED|NOT_?AUTHORI[SZ]ED|INSUFFICIENT_?(?:PERMISSIONS?|SCOPES?)",
    re.IGNORECASE,
)
_REDIRECT_STATUS = re.compile(r"HTTP_30[12378]|\b30[12378]\b|Redirect", re.IGNORECASE)
_LOGIN_PAGE = re.compile(r"log[-_]?in|sign[-_]?in", re.IGNORECASE)


def redirects_to_login(raise_text: str) -> bool:
    """`raise HTTPException(status_code=307, headers={"Location": url_for("auth:login")})`: a
    dependency sending a caller without a session to the login page stops the request there,
    as a 401 would (a redirect only *returned* by a dependency stops nothing)."""
    return bool(_REDIRECT_STATUS.search(raise_text) and _LOGIN_PAGE.search(raise_text))


Test = tuple[frozenset[str] | None, str]
"""An enclosing `if` test: (the names it only checks for presence, or None; its text)."""


class Site(NamedTuple):
    """Where an event is, for the rules that need more than its text."""

    line: int
    """Its first line: evidence after the first line that does the work (`_unit`'s
    `first_effect`) stops nothing, since the work has happened by then."""
    unit: str = ""
    """The qualified name of the innermost function or class it is in: a nested function's
    work (a background task defined before the check) is not work its outer function does at
    that line."""
    when: tuple[str, ...] = ()
    """Truthiness tests of one value that the event runs under: `settings.CRON_SECRET` for
    what is inside `if settings.CRON_SECRET:` (unless that block always returns or raises) or
    after it in `if settings.CRON_SECRET and token != settings.CRON_SECRET:`. When such a value
    is a secret, the event checks the caller only when the secret is configured; with it unset,
    nothing there says no."""


@dataclass
class Scan:
    """What one pass saw inside a function or class (nested ones included), as plain text."""

    assignments: list[tuple[str, str]] = field(default_factory=list)
    params: list[tuple[str, list[str]]] = field(default_factory=list)
    comparisons: list[tuple[str, str, Site]] = field(default_factory=list)
    calls: list[tuple[str, list[str], Site]] = field(default_factory=list)
    opaque_calls: list[str] = field(default_factory=list)
    lookups: list[tuple[str, str, str, Site]] = field(default_factory=list)
    """(field, value, the call's function text) a `LOOKUP_CALLS` call keys a record by, the
    value not a literal: `("token", "token", "db.query(Invite).filter_by", site)`."""
    """Methods called on a computed value (`....filter(...).delete()`), by their own name."""
    rejects: list[tuple[int, list[Test], Site]] = field(default_factory=list)
    raises: list[tuple[str, list[Test], Site]] = field(default_factory=list)
    """Exceptions raised by dotted name (`raise AuthError()`, `raise errors.Denied`), with the
    enclosing tests: a project exception class answers what its definition says."""
    compares: bool = False
    dispatches: bool = False
    depends: list[Dependency] = field(default_factory=list)
    annotations: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    is_class: bool = False
