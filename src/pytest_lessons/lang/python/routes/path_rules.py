"""Which request paths a middleware (or a helper it calls) lets through unchecked, and which it
is keyed on, read from its straight-line `if` tests on the path (stdlib `ast`).

A middleware that guards an app seldom guards all of it: it lets a tuple of public prefixes
through (`if request.url.path.startswith(PUBLIC_PATHS): return await call_next(request)`, or a
helper's `return` before its token check), or checks only one area (`if path.startswith("/admin")
and ...: return 401`). A lesson that credits the middleware must know which, in both directions:

- a *skip*: a path test whose branch passes the request on (ends in `return`, raises nothing and
  names no 401/403), or a negated test (`if not path.startswith(P):`) whose branch does the
  checking: routes under it are not checked;
- a *gate*: a path test whose branch does the checking, or a negated test whose branch passes
  the request on: only routes under it are checked.

A path test is `<x>.startswith(...)` on something named after a path (`request.url.path`,
`path`), `any(path.startswith(p) for p in PREFIXES)`, or `<path> == / in ...`, possibly joined
by `or`; its paths are string literals, tuples/lists/sets of them, or names bound to those at
module level (`_PUBLIC_ENDPOINTS = ("/health", "/auth")`). A test joined by `and` to another
condition is a gate when its branch checks (the existing reading) and nothing when it passes
(it lets only some requests through: not a skip of the whole prefix). Only `if` statements on
the function's straight-line path are read (its body, `try`/`with` bodies), not those nested
under another condition, whose paths depend on it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.routes.ast_syntax import ast_dotted
from pytest_lessons.lang.python.routes.facts import REJECT_NAME

__all__ = ["PathRules", "PathTest", "covers", "module_path_rules"]

_REJECT_CODES = frozenset({401, 403})


class PathTest(Record):
    """A path a middleware tests the request with: a prefix, or (`==`, `in`) an exact path."""

    path: str
    exact: bool = False


class PathRules(Record):
    skips: list[PathTest] = Field(default_factory=list)
    gates: list[PathTest] = Field(default_factory=list)


def covers(tests: Sequence[PathTest], path: str) -> bool:
    """Whether a route path falls under one of the tests (a prefix or an exact path; a route
    `/items/` and a test `/items` match either way round of the trailing slash)."""
    bare = path.rstrip("/") or "/"
    for test in tests:
        if test.exact:
            if bare == (test.path.rstrip("/") or "/"):
                return True
        elif path.startswith(test.path) or (bare + "/").startswith(test.path):
            return True
    return False


def module_path_rules(tree: ast.Module) -> dict[str, PathRules]:
    """The path rules of every function of the module that has any, by qualified name."""
    constants = _module_constants(tree)
    found: dict[str, PathRules] = {}
    for qualified, function in _functions(tree.body, []):
        rules = _function_rules(function, constants)
        if rules.skips or rules.gates:
            found[qualified] = rules
    return found


def _functions(
    body: Sequence[ast.stmt], outer: list[str]
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield ".".join([*outer, statement.name]), statement
            yield from _functions(statement.body, [*outer, statement.name])
        elif isinstance(statement, ast.ClassDef):
            yield from _functions(statement.body, [*outer, statement.name])


def _module_constants(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level names bound to a string or a tuple/list/set of strings."""
    found: dict[str, list[str]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name):
            strings = _strings(value, found)
            if strings is not None:
                found[target.id] = strings
    return found


def _strings(node: ast.expr, constants: Mapping[str, list[str]]) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if (
        isinstance(node, ast.Call)
        and ast_dotted(node.func) in ("tuple", "list", "set", "frozenset")
        and len(node.args) == 1
        and not node.keywords
    ):
        return _strings(node.args[0], constants)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values: list[str] = []
        for element in node.elts:
            inner = _strings(element, constants)
            if inner is None:
                return None
            values.extend(inner)
        return values
    return None


def _function_rules(
    function: ast.FunctionDef | ast.AsyncFunctionDef, constants: Mapping[str, list[str]]
) -> PathRules:
    skips: list[PathTest] = []
    gates: list[PathTest] = []
    for statement in _straight_line(function.body):
        if not isinstance(statement, ast.If):
            continue
        read = _path_test(statement.test, constants)
        if read is None:
            continue
        tests, negated, alone = read
        passes = _passes(statement.body)
        if passes != negated:  # lets the tested paths through
            if alone:
                skips.extend(tests)
        else:
            gates.extend(tests)
    return PathRules(skips=skips, gates=gates)


def _straight_line(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in body:
        yield statement
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from _straight_line(statement.body)
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            yield from _straight_line(getattr(statement, "body", []))


def _passes(body: Sequence[ast.stmt]) -> bool:
    """A branch that hands the request on: it ends in `return` and neither raises nor names a
    401/403."""
    if not body or not isinstance(body[-1], ast.Return):
        return False
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Raise):
                return False
            if (
                isinstance(node, ast.Constant)
                and type(node.value) is int
                and node.value in _REJECT_CODES
            ):
                return False
            name = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else None
            )
            if name is not None and REJECT_NAME.search(name):
                return False
    return True


def _path_test(
    test: ast.expr, constants: Mapping[str, list[str]]
) -> tuple[list[PathTest], bool, bool] | None:
    """(the paths, whether the test is negated, whether it is a path test alone), or None."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _path_test(test.operand, constants)
        return None if inner is None else (inner[0], not inner[1], inner[2])
    if isinstance(test, ast.BoolOp):
        parts = [_path_test(value, constants) for value in test.values]
        if all(part is not None and part[2] for part in parts):
            negated = {part[1] for part in parts if part is not None}
            # `a or b`, and `not a and not b` (which is `not (a or b)`)
            if negated == {isinstance(test.op, ast.And)}:
                paths = [found for part in parts if part is not None for found in part[0]]
                return paths, isinstance(test.op, ast.And), True
        if isinstance(test.op, ast.Or):
            return None
        # `path.startswith(P) and <something else>`: keyed on P, but no skip of all of P
        keyed = [t for part in parts if part is not None and not part[1] for t in part[0]]
        return (keyed, False, False) if keyed else None
    tests = _plain_path_test(test, constants)
    return None if tests is None else (tests, False, True)


def _about_path(node: ast.expr) -> bool:
    name = ast_dotted(node)
    return name is not None and "path" in name.rsplit(".", 1)[-1].lower()


def _plain_path_test(test: ast.expr, constants: Mapping[str, list[str]]) -> list[PathTest] | None:
    if isinstance(test, ast.Call):
        func = test.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "startswith"
            and _about_path(func.value)
            and len(test.args) == 1
        ):
            values = _strings(test.args[0], constants)
            return None if values is None else [PathTest(path=v) for v in values]
        return _any_startswith(test, constants)
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Eq, ast.In))
        and _about_path(test.left)
    ):
        values = _strings(test.comparators[0], constants)
        return None if values is None else [PathTest(path=v, exact=True) for v in values]
    return None


def _any_startswith(call: ast.Call, constants: Mapping[str, list[str]]) -> list[PathTest] | None:
    """`any(path.startswith(p) for p in PUBLIC_PREFIXES)`."""
    if ast_dotted(call.func) != "any" or len(call.args) != 1:
        return None
    generator = call.args[0]
    if not isinstance(generator, ast.GeneratorExp) or len(generator.generators) != 1:
        return None
    loop = generator.generators[0]
    element = generator.elt
    if (
        loop.ifs
        or not isinstance(loop.target, ast.Name)
        or not isinstance(element, ast.Call)
        or not isinstance(element.func, ast.Attribute)
        or element.func.attr != "startswith"
        or not _about_path(element.func.value)
        or len(element.args) != 1
        or ast_dotted(element.args[0]) != loop.target.id
    ):
        return None
    values = _strings(loop.iter, constants)
    return None if values is None else [PathTest(path=v) for v in values]
