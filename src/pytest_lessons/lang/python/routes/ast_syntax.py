"""Small readers over stdlib `ast` nodes shared by the routes layer's `ast` readers."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from pytest_lessons.lang.python.ast_source import children_in_source_order

__all__ = [
    "ast_arguments_by_parameter",
    "ast_callee",
    "ast_dotted",
    "ast_elements",
    "ast_string",
    "ast_string_list",
    "call_arguments",
    "last_part",
    "source_walk",
]


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


def ast_callee(node: ast.AST | None) -> str | None:
    """The dotted name of the function a call calls (`a.b` for `a.b(...)`), else None."""
    return ast_dotted(node.func) if isinstance(node, ast.Call) else None


def ast_string(node: ast.AST | None) -> str | None:
    """The value of a plain string literal, implicit concatenation included (not bytes, not an
    f-string), else None: what libcst's `string_value` reads."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def ast_string_list(node: ast.AST | None) -> list[str] | None:
    """The strings of a literal list/tuple/set of plain strings (`["POST", "PUT"]`), else None."""
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return None
    values: list[str] = []
    for element in node.elts:
        value = ast_string(element)
        if value is None:
            return None
        values.append(value)
    return values


def ast_elements(node: ast.AST | None) -> list[ast.expr] | None:
    """The items of a literal list/tuple (starred items left out), else None."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    return [element for element in node.elts if not isinstance(element, ast.Starred)]


def source_walk(nodes: Sequence[ast.AST]) -> Iterator[ast.AST]:
    """Every node under `nodes`, each before its children, in the order they are written (as a
    libcst visitor meets them)."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children_in_source_order(node))))


def last_part(dotted: str | None) -> str | None:
    """`Depends` for `fastapi.Depends`: frameworks are matched by their public name."""
    if dotted is None:
        return None
    return dotted.rsplit(".", 1)[-1]
