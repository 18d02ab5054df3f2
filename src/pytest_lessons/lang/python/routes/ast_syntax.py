"""Small readers over stdlib `ast` nodes shared by the routes layer's `ast` readers."""

from __future__ import annotations

import ast
from collections.abc import Sequence

__all__ = ["ast_arguments_by_parameter", "ast_dotted", "call_arguments"]


def ast_dotted(node: ast.AST | None) -> str | None:
    """`a.b.c` for names and attribute chains, None for anything computed."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool)):
        return repr(node.value)  # libcst reads `None`, `True` as names
    if isinstance(node, ast.Attribute):
        base = ast_dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def call_arguments(call: ast.Call) -> list[tuple[str | None, str, ast.expr]]:
    """The call's arguments in source order: (keyword or None, star: "", "*" or "**", value).

    `ast` keeps positional and keyword arguments apart; libcst, and a reader of the source,
    see them in the order written.
    """
    found: list[tuple[tuple[int, int], str | None, str, ast.expr]] = []
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            found.append(((arg.lineno, arg.col_offset), None, "*", arg.value))
        else:
            found.append(((arg.lineno, arg.col_offset), None, "", arg))
    for keyword in call.keywords:
        star = "**" if keyword.arg is None else ""
        found.append(((keyword.lineno, keyword.col_offset), keyword.arg, star, keyword.value))
    found.sort(key=lambda item: item[0])
    return [(keyword, star, value) for _at, keyword, star, value in found]


def ast_arguments_by_parameter(call: ast.Call, parameters: Sequence[str]) -> dict[str, ast.expr]:
    """Arguments by parameter name; positions after a `*args` are unknowable and left out."""
    found: dict[str, ast.expr] = {}
    position: int | None = 0
    for keyword, star, value in call_arguments(call):
        if star == "*":
            position = None
        elif star == "**":
            continue
        elif keyword is not None:
            found[keyword] = value
        elif position is not None:
            if position < len(parameters):
                found[parameters[position]] = value
            position += 1
    return found
