"""`Depends`/`Security` read from stdlib `ast` nodes: the twin of `dependencies` for `ast` readers.

A reader that walks a module with `ast` (the fast path) must record the very `Dependency`
records the libcst reader does, texts included, so a fact does not depend on which parser built
it; the differential tests of the readers hold both to that.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

from pytest_lessons.lang.python.ast_source import AstSource
from pytest_lessons.lang.python.routes.ast_syntax import (
    ast_arguments_by_parameter,
    ast_dotted,
    ast_elements,
    ast_string,
    ast_string_list,
    call_arguments,
    source_walk,
)
from pytest_lessons.lang.python.routes.facts import REJECT_NAME, Dependency

__all__ = [
    "Text",
    "ast_annotated_dependencies",
    "ast_call_dependency",
    "ast_dependency_list",
    "ast_dotted",
    "ast_mentions_reject",
    "ast_path_prefixes",
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
    param: str | None = None,
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
        param=param,
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


def ast_dependency_list(node: ast.AST | None, where: _Where, source: Text) -> list[Dependency]:
    """The `Depends(...)` items of a literal `dependencies=[...]` list."""
    found: list[Dependency] = []
    for item in ast_elements(node) or []:
        dependency = ast_call_dependency(item, where, source)
        if dependency is not None:
            found.append(dependency)
    return found


def _names(node: ast.AST) -> Iterator[str]:
    """The identifiers libcst holds as `Name` nodes in `node` itself (`ast` keeps most of them
    as plain strings: a `def`'s name, a parameter, a keyword argument's keyword, an import)."""
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, ast.keyword):
        if node.arg is not None:
            yield node.arg
    elif isinstance(node, ast.alias):
        yield node.name
        if node.asname is not None:
            yield node.asname
    elif isinstance(node, ast.ImportFrom):
        if node.module:
            yield node.module
    elif isinstance(node, ast.ExceptHandler):
        if node.name is not None:
            yield node.name
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
        if node.name is not None:
            yield node.name
    elif isinstance(node, ast.MatchMapping):
        if node.rest is not None:
            yield node.rest
    elif isinstance(node, ast.MatchClass):
        yield from node.kwd_attrs
    else:
        name = getattr(node, "name", None)  # type parameters (Python 3.12)
        if isinstance(name, str):
            yield name


def ast_mentions_reject(body: Sequence[ast.stmt], source: AstSource) -> bool:
    """The 401/403 heuristic of `dependencies.mentions_reject`, over a function's body: an
    integer literal written in decimal (libcst reads no other as an integer: `0x191` is not a
    401) or a name saying 401/403 (dotted imports are searched whole: no pattern spans a dot)."""
    for node in ast.walk(ast.Module(body=list(body), type_ignores=[])):
        if isinstance(node, ast.Constant):
            value = node.value
            if (
                type(value) is int
                and value in (401, 403)
                and source.segment(node).replace("_", "").isdigit()
            ):
                return True
        elif any(REJECT_NAME.search(name) for name in _names(node)):
            return True
    return False


def ast_path_prefixes(body: Sequence[ast.stmt], source: Text) -> list[str]:
    """The string literals a function's body tests the request path with, in source order
    (`request.url.path.startswith("/admin")`, `path in ("/a", "/b")`), as
    `dependencies.path_prefixes` reads them."""
    found: list[str] = []
    for node in source_walk(body):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "startswith"
                and "path" in source(func.value).lower()
            ):
                arguments = call_arguments(node)
                if arguments:
                    value = arguments[0][2]
                    single = ast_string(value)
                    found.extend([single] if single is not None else ast_string_list(value) or [])
        elif isinstance(node, ast.Compare):
            if "path" not in source(node.left).lower():
                continue
            for comparator in node.comparators:
                single = ast_string(comparator)
                found.extend([single] if single is not None else ast_string_list(comparator) or [])
    return found


def ast_body_statements(node: ast.ClassDef, source: AstSource) -> list[ast.stmt]:
    """A class's statements, or none for a body on the header's line (`class A: x = 1`), as
    libcst's `body_statements` gives them."""
    first = node.body[0]
    start = source.starts[first.lineno - 1]
    if source.data[start : start + first.col_offset].strip():
        return []
    return node.body
