"""Small readers over libcst nodes, shared by every Python lesson.

The questions every Python check asks of a call (which argument is parameter `value`, what dotted
name is this callee, what string does this literal hold) are answered here once, so the lessons
agree on the edge cases: arguments after `*args`, implicit string concatenation, bytes literals,
escape sequences Python warns about.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

_EVALUATION_ERRORS = (ValueError, SyntaxError, TypeError, MemoryError, RecursionError)

_Handler = Callable[[Any, cst.CSTNode], Any]
_HANDLERS: dict[tuple[type[Any], str, type[cst.CSTNode], str], _Handler | None] = {}


def _handler(
    visitor: type[Any], prefix: str, node: type[cst.CSTNode], attribute: str
) -> _Handler | None:
    key = (visitor, prefix, node, attribute)
    if key not in _HANDLERS:
        name = f"{prefix}{node.__name__}{'_' + attribute if attribute else ''}"
        found = getattr(visitor, name, None)
        _HANDLERS[key] = (
            None if found is None or found is getattr(cst.CSTVisitor, name, None) else found
        )
    return _HANDLERS[key]


class QuickVisitor(cst.CSTVisitor):
    """A `CSTVisitor` that finds its `visit_`/`leave_` methods once per node type.

    libcst's own dispatch formats a method name and looks it up four times per node (on visit,
    on leave, before and after each child field), and finds and calls a typed do-nothing stub
    when the visitor has no such method: a third of a visit's cost. Here each (visitor class,
    node type, field) is looked up once and stubs are never called; what runs is the same.
    """

    def on_visit(self, node: cst.CSTNode) -> bool:
        handler = _handler(type(self), "visit_", type(node), "")
        return handler is None or handler(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        handler = _handler(type(self), "leave_", type(original_node), "")
        if handler is not None:
            handler(self, original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        handler = _handler(type(self), "visit_", type(node), attribute)
        if handler is not None:
            handler(self, node)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        handler = _handler(type(self), "leave_", type(original_node), attribute)
        if handler is not None:
            handler(self, original_node)


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


_EMPTY_MODULE = cst.Module(body=[])


def node_text(node: cst.CSTNode) -> str:
    """The source text of a node as written, for facts that keep an expression as text.

    Facts hold text, never nodes (they are cached and shipped to xdist workers), and the text is
    what a lesson prints; comments and spacing inside the node are kept as in the file.
    """
    return _EMPTY_MODULE.code_for_node(node).strip()


def callee_name(node: cst.CSTNode | None) -> str | None:
    """The dotted name of the function a call calls (`a.b` for `a.b(...)`), else None."""
    if isinstance(node, cst.Call):
        return dotted_name(node.func)
    return None


def integer_value(node: cst.CSTNode | None) -> int | None:
    """The value of a plain decimal integer literal (`401`), else None."""
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 10)
        except ValueError:
            return None
    return None


def string_list(node: cst.CSTNode | None) -> list[str] | None:
    """The strings of a literal list/tuple/set of plain strings (`["POST", "PUT"]`), else None."""
    if not isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return None
    values: list[str] = []
    for element in node.elements:
        if not isinstance(element, cst.Element):
            return None
        value = string_value(element.value)
        if value is None:
            return None
        values.append(value)
    return values


def expression_elements(node: cst.CSTNode | None) -> list[cst.BaseExpression] | None:
    """The items of a literal list/tuple (starred items left out), else None."""
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    return [element.value for element in node.elements if isinstance(element, cst.Element)]
