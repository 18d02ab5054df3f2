"""`Depends`/`Security` read from stdlib `ast` nodes: the twin of `dependencies` for `ast` readers.

A reader that walks a module with `ast` (the fast path) must record the very `Dependency`
records the libcst reader does, texts included, so a fact does not depend on which parser built
it; the differential tests of the readers hold both to that.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Literal

from pytest_lessons.lang.python.routes.ast_syntax import (
    ast_arguments_by_parameter,
    ast_dotted,
    call_arguments,
)
from pytest_lessons.lang.python.routes.facts import Dependency

__all__ = [
    "Text",
    "ast_annotated_dependencies",
    "ast_call_dependency",
    "ast_dotted",
    "call_arguments",
]

_MARKERS = {"Depends": "depends", "Security": "security"}
Text = Callable[[ast.AST], str]
"""The source text of a node as libcst's `code_for_node` gives it (see `evidence_ast`)."""
_Where = Literal["param", "annotated", "decorator", "router", "include", "app", "class"]


def ast_call_dependency(
    node: ast.AST | None,
    where: _Where,
    source: Text,
    *,
    annotation: ast.AST | None = None,
) -> Dependency | None:
    """The `Depends(...)`/`Security(...)` that `node` is, else None."""
    if not isinstance(node, ast.Call):
        return None
    callee = ast_dotted(node.func)
    kind = _MARKERS.get(callee.rsplit(".", 1)[-1] if callee else "")
    if kind is None:
        return None
    target = ast_arguments_by_parameter(node, ("dependency",)).get("dependency")
    call = ast_dotted(target)
    if call is None and isinstance(target, ast.Call):
        call = ast_dotted(target.func)
    if call is None and target is None and annotation is not None:
        call = ast_dotted(annotation)  # `x: Service = Depends()` depends on Service itself
    if call is None:
        call = source(target) if target is not None else "?"
    return Dependency(
        call=call,
        kind="security" if kind == "security" else "depends",
        where=where,
        text=source(node),
    )


def ast_annotated_dependencies(annotation: ast.AST | None, source: Text) -> list[Dependency]:
    """The `Depends` inside `Annotated[T, Depends(f)]` (also under `Optional[...]`/`X | None`)."""
    if isinstance(annotation, ast.BinOp):
        return ast_annotated_dependencies(annotation.left, source) + ast_annotated_dependencies(
            annotation.right, source
        )
    if not isinstance(annotation, ast.Subscript):
        return []
    found: list[Dependency] = []
    dotted = ast_dotted(annotation.value)
    is_annotated = dotted is not None and dotted.rsplit(".", 1)[-1] == "Annotated"
    elements = (
        annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    )
    for index, value in enumerate(elements):
        if isinstance(value, ast.Slice):
            continue
        if is_annotated and index > 0:
            first = elements[0]
            dependency = ast_call_dependency(
                value,
                "annotated",
                source,
                annotation=None if isinstance(first, ast.Slice) else first,
            )
            if dependency is not None:
                found.append(dependency)
        elif not is_annotated:
            found.extend(ast_annotated_dependencies(value, source))
    return found
