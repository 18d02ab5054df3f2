"""What a handler depends on and what a function answers: read from libcst nodes.

`dependencies` come from `Depends`/`Security` parameter defaults (`Depends()` with no argument
depends on the annotation's class), `Annotated[T, Depends(f)]` annotations and aliases of them.
The `rejects` heuristic: a body mentions 401 or 403 as an integer literal (`abort(401)`,
`HTTPException(status_code=403)`, `return \"no\", 401`) or a name/attribute such as
`HTTP_401_UNAUTHORIZED`, `HTTPStatus.FORBIDDEN`, `Unauthorized`, `Forbidden`; a body that only
redirects to a login page does not reject. `path_prefixes` are the string literals a middleware
tests the request path with (`request.url.path.startswith(\"/admin\")`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import libcst as cst

from pytest_lessons.lang.python.routes.ast_syntax import last_part
from pytest_lessons.lang.python.routes.facts import REJECT_NAME, Dependency
from pytest_lessons.lang.python.syntax import (
    arguments_by_parameter,
    callee_name,
    dotted_name,
    expression_elements,
    integer_value,
    node_text,
    string_list,
    string_value,
)

_DEPENDENCY_MARKERS = {"Depends": "depends", "Security": "security"}


def read_dependency(
    node: cst.BaseExpression | None,
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"],
    *,
    annotation: cst.BaseExpression | None = None,
    param: str | None = None,
) -> Dependency | None:
    if not isinstance(node, cst.Call):
        return None
    kind = _DEPENDENCY_MARKERS.get(last_part(callee_name(node)) or "")
    if kind is None:
        return None
    target = arguments_by_parameter(node, ("dependency",)).get("dependency")
    call = dotted_name(target) or callee_name(target)
    if call is None and target is None and annotation is not None:
        call = dotted_name(annotation)  # `x: Service = Depends()` depends on Service itself
    if call is None:
        call = node_text(target) if target is not None else "?"
    return Dependency(
        call=call,
        kind="security" if kind == "security" else "depends",
        where=where,
        text=node_text(node),
        param=param,
    )


def dependency_list(
    node: cst.BaseExpression | None,
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"],
) -> list[Dependency]:
    found: list[Dependency] = []
    for item in expression_elements(node) or []:
        dependency = read_dependency(item, where)
        if dependency is not None:
            found.append(dependency)
    return found


def dependencies_in_annotation(annotation: cst.BaseExpression | None) -> list[Dependency]:
    """The `Depends` inside `Annotated[T, Depends(f)]` (also under `Optional[...]`/`X | None`)."""
    if isinstance(annotation, cst.BinaryOperation):
        return dependencies_in_annotation(annotation.left) + dependencies_in_annotation(
            annotation.right
        )
    if not isinstance(annotation, cst.Subscript):
        return []
    found: list[Dependency] = []
    is_annotated = last_part(dotted_name(annotation.value)) == "Annotated"
    for index, element in enumerate(annotation.slice):
        if not isinstance(element.slice, cst.Index):
            continue
        value = element.slice.value
        if is_annotated and index > 0:
            dependency = read_dependency(
                value,
                "annotated",
                annotation=annotation.slice[0].slice.value
                if isinstance(annotation.slice[0].slice, cst.Index)
                else None,
            )
            if dependency is not None:
                found.append(dependency)
        elif not is_annotated:
            found.extend(dependencies_in_annotation(value))
    return found


def call_dependency(
    node: cst.BaseExpression | None,
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"],
    *,
    annotation: cst.BaseExpression | None = None,
    param: str | None = None,
) -> Dependency | None:
    """The `Depends(...)`/`Security(...)` that `node` is, else None (for lessons that read
    dependencies outside routes: a dependency's own parameters, a cbv's attributes)."""
    return read_dependency(node, where, annotation=annotation, param=param)


def annotated_dependencies(annotation: cst.BaseExpression | None) -> list[Dependency]:
    """The dependencies an annotation carries (`Annotated[T, Depends(f)]`, also nested)."""
    return dependencies_in_annotation(annotation)


def mentions_reject(node: cst.CSTNode) -> bool:
    """The 401/403 heuristic of the module docstring."""
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Integer(self, integer: cst.Integer) -> None:
            nonlocal found
            if integer_value(integer) in (401, 403):
                found = True

        def visit_Name(self, name: cst.Name) -> None:
            nonlocal found
            if REJECT_NAME.search(name.value):
                found = True

    node.visit(Finder())
    return found


def path_prefixes(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if (
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "startswith"
                and "path" in node_text(call.func.value).lower()
                and call.args
            ):
                value = call.args[0].value
                single = string_value(value)
                found.extend([single] if single is not None else string_list(value) or [])

        def visit_Comparison(self, comparison: cst.Comparison) -> None:
            if "path" not in node_text(comparison.left).lower():
                return
            for target in comparison.comparisons:
                single = string_value(target.comparator)
                found.extend(
                    [single] if single is not None else string_list(target.comparator) or []
                )

    node.visit(Finder())
    return found


def body_statements(node: cst.ClassDef | cst.Module | cst.FunctionDef) -> Sequence[cst.CSTNode]:
    body = node.body
    if isinstance(body, (cst.IndentedBlock, cst.Module)):
        return body.body
    return []
