"""Small readers over libcst nodes, shared by every Python lesson.

The questions every Python check asks of a call (which argument is parameter `value`, what dotted
name is this callee, what string does this literal hold) are answered here once, so the lessons
agree on the edge cases: arguments after `*args`, implicit string concatenation, bytes literals,
escape sequences Python warns about.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import libcst as cst

_EVALUATION_ERRORS = (ValueError, SyntaxError, TypeError, MemoryError, RecursionError)


def arguments_by_parameter(
    call: cst.Call, parameters: Sequence[str]
) -> dict[str, cst.BaseExpression]:
    """Arguments by parameter name; positions after a `*args` are unknowable and left out."""
    found: dict[str, cst.BaseExpression] = {}
    position: int | None = 0
    for arg in call.args:
        if arg.star == "*":
            position = None
        elif arg.star == "**":
            continue
        elif arg.keyword is not None:
            found[arg.keyword.value] = arg.value
        elif position is not None:
            if position < len(parameters):
                found[parameters[position]] = arg.value
            position += 1
    return found


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """`a.b.c` for names and attribute chains, None for anything computed."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def literal_value(node: cst.CSTNode | None) -> str | bytes | None:
    """The value of a plain (non-f) string or bytes literal, concatenation included; else None.

    Evaluating a literal can warn (invalid escape sequences) or fail (mixed bytes and str); a
    check must neither print warnings nor crash on such source, so both are absorbed here.
    """
    if not isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = node.evaluated_value
        except _EVALUATION_ERRORS:
            return None
    return value if isinstance(value, (str, bytes)) else None


def string_value(node: cst.CSTNode | None) -> str | None:
    """The value of a plain string literal (not bytes), else None."""
    value = literal_value(node)
    return value if isinstance(value, str) else None
