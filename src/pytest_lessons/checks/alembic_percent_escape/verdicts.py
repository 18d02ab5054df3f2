"""What `safety` says of a value: safe, a path, or unsafe, and why; and configparser's own
test of a literal, which the ini half applies without parsing any Python."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

_INTERPOLATION_REFERENCE = re.compile(r"%\(([^)]+)\)s")


def interpolation_rejects(text: str) -> bool:
    """Whether `ConfigParser.set` refuses `text` (BasicInterpolation's own `before_set` test)."""
    remainder = _INTERPOLATION_REFERENCE.sub("", text.replace("%%", ""))
    return "%" in remainder


def first_unescaped_percent(text: str) -> int | None:
    """The index of the first `%` that makes reading `text` from a config file fail, or None.

    This is BasicInterpolation's read-time scan (`%%`, then `%(name)s`, left to right); it agrees
    with `interpolation_rejects` except on nestings like `%(%%)s` that no real value has.
    """
    index = 0
    while (index := text.find("%", index)) >= 0:
        if text.startswith("%%", index):
            index += 2
            continue
        reference = _INTERPOLATION_REFERENCE.match(text, index)
        if reference is None:
            return index
        index = reference.end()
    return None


class Safety(str, Enum):
    SAFE = "safe"
    PATH = "path"
    """A filesystem path: safe only while the lesson's `trust-path-values` option is on."""
    UNSAFE = "unsafe"


class Reason(str, Enum):
    """Why a value is not safe; stored in the facts, so the values are stable codes."""

    NONE = "none"
    LITERAL = "literal"
    ENVIRONMENT = "environment"
    ENCODED = "percent-encoded"
    DECODED = "percent-decoded"
    FSTRING = "f-string"
    FORMAT = "str-format"
    PERCENT_FORMAT = "percent-format"
    CONCATENATION = "concatenation"
    JOIN = "join"
    ATTRIBUTE = "attribute"
    SUBSCRIPT = "subscript"
    CALL = "call"
    PARAMETER = "parameter"
    IMPORTED = "imported"
    UNRESOLVED = "unresolved"
    LOOP = "loop-variable"
    EXPRESSION = "expression"
    PATH = "path"
    UNREADABLE = "unreadable"
    """The call has no value argument that can be read (`*args`, `**options`, none at all)."""
    FORWARDED = "forwarded"
    """Not a finding: a setter's own implementation passing its `value` parameter on."""


@dataclass(frozen=True)
class Verdict:
    safety: Safety
    reason: Reason
    detail: str = ""
    """A clause for the finding message, e.g. "value read from the environment (...) is ..."."""


SAFE = Verdict(Safety.SAFE, Reason.NONE)

STRONG_REASONS = (Reason.ENCODED, Reason.DECODED, Reason.LITERAL)
"""Reasons that show a `%` is there, not just unproven; they win when verdicts combine."""


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict of a value that may be any of `verdicts`: unsafe beats path beats safe."""
    unsafe: Verdict | None = None
    path: Verdict | None = None
    for verdict in verdicts:
        if verdict.safety is Safety.UNSAFE:
            if unsafe is None or _rank(verdict) < _rank(unsafe):
                unsafe = verdict
        elif verdict.safety is Safety.PATH and path is None:
            path = verdict
    return unsafe or path or SAFE


def _rank(verdict: Verdict) -> int:
    if verdict.reason in STRONG_REASONS:
        return STRONG_REASONS.index(verdict.reason)
    return len(STRONG_REASONS)
