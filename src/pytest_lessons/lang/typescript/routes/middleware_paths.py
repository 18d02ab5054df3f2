"""Which request paths reach the part of a Next.js middleware that says no.

A matcher that covers a route only says the middleware runs; the body then branches on the
pathname, and a route on a public list (`publicRoutes.some((p) => pathname.startsWith(p))`,
`isPublicRoute(req)` from Clerk's `createRouteMatcher`, `if (pathname.startsWith("/api/hooks"))
return NextResponse.next()`) is let through before the check. This module reads the middleware
function's top-level statements in order as gates (`PathGate`):

- `protect`: a statement that answers 401/403, redirects to a sign-in page, calls Clerk's
  `protect()` or `redirectToSignIn()` (a *marker*), calls a function of this module that does, or
  returns through a call it cannot read (`return AppMiddleware(req)`: that may protect);
- `guard`: an `if` whose branch holds such a statement: reached when its condition can be true;
- `skip`: an `if` whose branch returns through pass-through calls only (`NextResponse.next()`,
  a rewrite): the paths for which its condition is true never reach what follows.

Conditions are kept as a small tree over path tests (`PathCondition`) and evaluated per route
with three values, on the route's sample URLs: a test the reader cannot follow (a helper imported
from another file, a test of the session or a header) is *unknown*, an unknown `guard` counts as
reached and an unknown `skip` as not taken. So a middleware is reported as not protecting a route
only when its own branching says so.

When the body holds a marker where the gates cannot be read (inside a loop, a `switch`, a
`try`), or no marker at all, `path_gates` returns None and the lesson keeps judging the
middleware as a whole; the exception is Clerk's `clerkMiddleware`, which protects nothing unless
told to (`auth.protect()`), so a body without a marker there gives an empty gate list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.matcher import compile_matcher, matcher_matches, sample_paths
from pytest_lessons.lang.typescript.routes.bindings import ModuleScope, unwrap
from pytest_lessons.lang.typescript.routes.facts import PathCondition, PathGate, PathTest, TestOp
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    object_properties,
    string_value,
)

__all__ = ["gates_reach", "path_gates"]

_UNKNOWN = PathCondition(op="test", test=PathTest(op="unknown"))
_DEPTH = 4
"""How far named tests and helpers are followed into one another."""
_FUNCTIONS = ("arrow_function", "function_expression", "function_declaration")
_MARKER = re.compile(
    r"\bprotect\s*\(|\bredirectToSignIn\s*\(|\bredirectToLogin\s*\(|\bunauthorized\s*\(\s*\)"
    r"|status\s*:\s*40[13]\b|\.status\(\s*40[13]\b|,\s*40[13]\s*\)"
)
_SIGN_IN_LITERAL = re.compile(
    r"[\"'`][^\"'`\n]*(?:log-?in|sign-?in|signin|/auth\b)[^\"'`\n]*[\"'`]", re.IGNORECASE
)
"""A redirect in a statement naming a sign-in page (`new URL("/login", req.url)`)."""
_PASS_THROUGH = re.compile(
    r"^(?:NextResponse\.(?:next|rewrite)|Response\.(?:next|rewrite)|next|rewrite|URL"
    r"|\w+\.(?:clone|set|get|has|delete|append|toString|startsWith|endsWith|includes|replace"
    r"|split|test|match|some|includes|push|slice|json)|console\.\w+|logger\.\w+|log"
    r"|encodeURIComponent|decodeURIComponent|String|Boolean|Headers)$"
)
"""Calls that let the request through (or only shape the response): a branch returning after
only these is a skip, not a check."""


def _marker(node: SgNode) -> bool:
    """The statement answers 401/403, redirects to a sign-in page, or calls Clerk's protect."""
    text = node.text()
    if _MARKER.search(text):
        return True
    redirects = any(
        (callee_name(call) or "").rsplit(".", 1)[-1] == "redirect"
        for call in node.find_all(kind="call_expression")
    )
    return redirects and bool(_SIGN_IN_LITERAL.search(text))


class _Reader:
    """Reads one middleware function against its module's scope."""

    def __init__(self, scope: ModuleScope, function: SgNode) -> None:
        self.scope = scope
        self.function = function
        self.path_names: set[str] = {"pathname"}
        self.request_names: set[str] = set()
        self.named_conditions: dict[str, SgNode] = {}
        """`const isProtected = LIST.some(...)`: a test named before the `if` that uses it."""
        parameters = function.field("parameters") or function.field("parameter")
        if parameters is not None:
            names = re.findall(r"[A-Za-z_$][\w$]*", parameters.text())
            self.request_names.update(n for n in names if n in ("req", "request", "r"))
            if function.field("parameter") is not None and names:
                self.request_names.add(names[0])
        self.guarding_functions = {
            name for name, node in self._local_functions().items() if _marker(node)
        }

    def _local_functions(self) -> Mapping[str, SgNode]:
        found: dict[str, SgNode] = dict(self.scope.functions)
        for name, value in self.scope.values.items():
            inner = unwrap(value)
            if inner is not None and inner.kind() in _FUNCTIONS:
                found[name] = inner
        return found

    # -- the body ------------------------------------------------------------------------------

    def gates(self) -> list[PathGate] | None:
        body = self.function.field("body")
        if body is None:
            return None
        if body.kind() != "statement_block":  # `(req) => expression`
            return [PathGate(kind="protect")] if self._protects(body) else []
        gates: list[PathGate] = []
        for statement in body.children():
            if not statement.is_named() or statement.kind() == "comment":
                continue
            self._bind(statement)
            kind = statement.kind()
            if kind == "if_statement":
                found = self._if(statement)
                if found is None:
                    return None
                gates.extend(found)
            elif kind in (
                "for_statement",
                "for_in_statement",
                "while_statement",
                "do_statement",
                "switch_statement",
                "try_statement",
            ):
                if self._protects(statement) or self._returns_through_unknown(statement):
                    return None
            elif self._protects(statement) or self._returns_through_unknown(statement):
                gates.append(PathGate(kind="protect"))
                break
            elif kind == "return_statement":
                break  # the request is let through here, whatever its path
        return gates

    def _bind(self, statement: SgNode) -> None:
        """`const path = req.nextUrl.pathname`, `const { pathname } = req.nextUrl`, and a
        `const` holding a test of the path (`const isPublic = LIST.some(...)`)."""
        constant = statement.kind() == "lexical_declaration" and statement.text().startswith(
            "const"
        )
        for declarator in statement.find_all(kind="variable_declarator"):
            name, value = declarator.field("name"), declarator.field("value")
            if name is None or value is None:
                continue
            text = value.text()
            if name.kind() == "identifier" and re.search(r"\.pathname\s*;?$", text):
                self.path_names.add(name.text())
            elif constant and name.kind() == "identifier" and declarator.parent() == statement:
                self.named_conditions[name.text()] = value
            elif (
                name.kind() == "object_pattern"
                and re.search(r"nextUrl|URL\(|\burl\b", text)
                and re.search(r"\bpathname\b", name.text())
            ):
                self.path_names.add("pathname")

    def _protects(self, node: SgNode) -> bool:
        if _marker(node):
            return True
        return any(
            (callee_name(call) or "") in self.guarding_functions
            for call in node.find_all(kind="call_expression")
        )

    def _returns_through_unknown(self, node: SgNode) -> bool:
        """A `return` whose calls may do anything (`return AppMiddleware(req)`)."""
        returns = [node] if node.kind() == "return_statement" else []
        for statement in [*returns, *node.find_all(kind="return_statement")]:
            for call in statement.find_all(kind="call_expression"):
                if not _PASS_THROUGH.match(callee_name(call) or ""):
                    return True
        return False

    def _exits(self, node: SgNode) -> bool:
        if node.kind() == "return_statement":
            return True
        if node.kind() == "statement_block":
            return any(c.kind() == "return_statement" for c in node.children())
        return False

    def _if(self, statement: SgNode) -> list[PathGate] | None:
        condition_node = statement.field("condition")
        consequence = statement.field("consequence")
        alternative = statement.field("alternative")
        if condition_node is None or consequence is None:
            return None
        if self._protects(condition_node):  # `if (await handleAuth(req)) ...`
            return [PathGate(kind="protect")]
        condition = self.condition(condition_node)
        negated = PathCondition(op="not", children=[condition])
        gates: list[PathGate] = []
        branches = [(consequence, condition)]
        if alternative is not None:
            branches.append((alternative, negated))
        for branch, when in branches:
            if branch.kind() == "else_clause":
                inner = [c for c in branch.children() if c.is_named()]
                if len(inner) == 1 and inner[0].kind() == "if_statement":
                    nested = self._if(inner[0])
                    if nested is None:
                        return None
                    gates.extend(
                        PathGate(
                            kind=g.kind,
                            condition=PathCondition(
                                op="and", children=[when, g.condition or _TRUE]
                            ),
                        )
                        for g in nested
                    )
                    continue
                branch = inner[0] if len(inner) == 1 else branch
            if self._protects(branch) or self._returns_through_unknown(branch):
                gates.append(PathGate(kind="guard", condition=when))
            elif self._exits(branch):
                gates.append(PathGate(kind="skip", condition=when))
        return gates

    # -- conditions ----------------------------------------------------------------------------

    def _is_path(self, node: SgNode | None) -> bool:
        node = unwrap(node)
        if node is None:
            return False
        if node.kind() == "identifier":
            return node.text() in self.path_names
        return node.kind() == "member_expression" and node.text().endswith(".pathname")

    def _mentions_path(self, node: SgNode) -> bool:
        text = node.text()
        return ".pathname" in text or any(
            re.search(rf"\b{re.escape(n)}\b", text) for n in self.path_names
        )

    def condition(
        self, node: SgNode, bound: Mapping[str, list[str]] | None = None, depth: int = 0
    ) -> PathCondition:
        bound = bound or {}
        node = unwrap(node) or node
        kind = node.kind()
        if kind == "parenthesized_expression":
            inner = [c for c in node.children() if c.is_named()]
            return self.condition(inner[0], bound, depth) if inner else _UNKNOWN
        if kind == "unary_expression":
            operator = node.field("operator")
            argument = node.field("argument")
            if operator is not None and operator.text() == "!" and argument is not None:
                return PathCondition(op="not", children=[self.condition(argument, bound, depth)])
            return _UNKNOWN
        if kind == "binary_expression":
            return self._binary(node, bound, depth)
        if kind == "call_expression":
            return self._call(node, bound, depth)
        if kind == "identifier" and node.text() in self.named_conditions and depth < _DEPTH:
            return self.condition(self.named_conditions[node.text()], bound, depth + 1)
        return _UNKNOWN

    def values(self, node: SgNode | None, bound: Mapping[str, list[str]]) -> list[str] | None:
        """The strings a node stands for: a literal, a name bound by `.some(...)`, an array."""
        node = unwrap(node)
        if node is None:
            return None
        literal = string_value(node)
        if literal is not None:
            return [literal]
        if node.kind() == "identifier":
            if node.text() in bound:
                return bound[node.text()]
            value = self.scope.values.get(node.text())
            if value is not None and unwrap(value) is not node:
                return self.values(value, bound)
            return None
        if node.kind() == "array":
            values: list[str] = []
            for element in node.children():
                if not element.is_named() or element.kind() == "comment":
                    continue
                found = self.values(element, bound)
                if found is None:
                    return None
                values.extend(found)
            return values
        return None

    def _binary(self, node: SgNode, bound: Mapping[str, list[str]], depth: int) -> PathCondition:
        operator = node.field("operator")
        left, right = node.field("left"), node.field("right")
        if operator is None or left is None or right is None:
            return _UNKNOWN
        op = operator.text()
        if op in ("&&", "||"):
            return PathCondition(
                op="and" if op == "&&" else "or",
                children=[
                    self.condition(left, bound, depth),
                    self.condition(right, bound, depth),
                ],
            )
        if op in ("===", "==", "!==", "!="):
            for path, other in ((left, right), (right, left)):
                if self._is_path(path):
                    values = self.values(other, bound)
                    if values is None:
                        return _UNKNOWN
                    equal = PathCondition(op="test", test=PathTest(op="equals", values=values))
                    return (
                        equal if op in ("===", "==") else PathCondition(op="not", children=[equal])
                    )
        return _UNKNOWN

    def _call(self, node: SgNode, bound: Mapping[str, list[str]], depth: int) -> PathCondition:
        function = unwrap(node.field("function"))
        arguments = call_arguments(node)
        if function is None:
            return _UNKNOWN
        if function.kind() == "member_expression":
            target = function.field("object")
            method = function.field("property")
            name = method.text() if method is not None else ""
            ops: dict[str, TestOp] = {
                "startsWith": "prefix",
                "endsWith": "suffix",
                "includes": "contains",
                "match": "regex",
            }
            if self._is_path(target) and name in ops and arguments:
                values = (
                    self._regex(arguments[0])
                    if name == "match"
                    else self.values(arguments[0], bound)
                )
                if values is None:
                    return _UNKNOWN
                return PathCondition(op="test", test=PathTest(op=ops[name], values=values))
            if name == "test" and arguments and self._is_path(arguments[0]):
                values = self._regex(target)
                if values is None:
                    return _UNKNOWN
                return PathCondition(op="test", test=PathTest(op="regex", values=values))
            if name == "includes" and arguments and self._is_path(arguments[0]):
                values = self.values(target, bound)
                if values is None:
                    return _UNKNOWN
                return PathCondition(op="test", test=PathTest(op="equals", values=values))
            if name in ("some", "find", "findIndex") and arguments:
                return self._some(target, arguments[0], bound, depth)
            return _UNKNOWN
        if function.kind() == "identifier":
            return self._helper(function.text(), arguments, bound, depth)
        return _UNKNOWN

    def _regex(self, node: SgNode | None) -> list[str] | None:
        node = unwrap(node)
        if node is None:
            return None
        if node.kind() == "identifier" and node.text() in self.scope.values:
            node = unwrap(self.scope.values[node.text()])
        if node is not None and node.kind() == "regex":
            pattern = node.field("pattern")
            return [pattern.text()] if pattern is not None else None
        return None

    def _some(
        self, array: SgNode | None, callback: SgNode, bound: Mapping[str, list[str]], depth: int
    ) -> PathCondition:
        """`LIST.some((prefix) => pathname.startsWith(prefix))`: the test with any of LIST."""
        values = self.values(array, bound)
        callback = unwrap(callback) or callback
        if values is None or callback.kind() != "arrow_function":
            return _UNKNOWN
        parameter = callback.field("parameter") or callback.field("parameters")
        names = re.findall(r"[A-Za-z_$][\w$]*", parameter.text()) if parameter else []
        body = callback.field("body")
        if not names or body is None or body.kind() == "statement_block":
            return _UNKNOWN
        return self.condition(body, {**bound, names[0]: values}, depth)

    def _helper(
        self, name: str, arguments: list[SgNode], bound: Mapping[str, list[str]], depth: int
    ) -> PathCondition:
        """`isPublicRoute(req)` from `createRouteMatcher([...])`, or a one-expression function
        of this module over the path (`isProtected(pathname)`)."""
        value = unwrap(self.scope.values.get(name))
        if value is not None and value.kind() == "call_expression":
            if (callee_name(value) or "") == "createRouteMatcher":
                patterns = call_arguments(value)
                values = self.values(patterns[0], bound) if patterns else None
                if values is None:
                    return _UNKNOWN
                return PathCondition(op="test", test=PathTest(op="matcher", values=values))
            return _UNKNOWN
        function = self._local_functions().get(name)
        if function is None or depth >= 2 or not arguments:
            return _UNKNOWN
        parameters = function.field("parameters") or function.field("parameter")
        names = re.findall(r"[A-Za-z_$][\w$]*", parameters.text()) if parameters else []
        expression = _single_expression(function)
        if not names or expression is None:
            return _UNKNOWN
        inner = _Reader(self.scope, function)
        inner.path_names = set()
        if self._is_path(arguments[0]):
            inner.path_names.add(names[0])
        elif (unwrap(arguments[0]) or arguments[0]).text() not in self.request_names:
            return _UNKNOWN
        return inner.condition(expression, bound, depth + 1)


_TRUE = PathCondition(op="and")


def _single_expression(function: SgNode) -> SgNode | None:
    body = function.field("body")
    if body is None:
        return None
    if body.kind() != "statement_block":
        return body
    statements = [c for c in body.children() if c.is_named() and c.kind() != "comment"]
    if len(statements) == 1 and statements[0].kind() == "return_statement":
        values = [c for c in statements[0].children() if c.is_named()]
        return values[0] if values else None
    return None


def path_gates(
    scope: ModuleScope, function: SgNode | None, wrappers: list[str], value: SgNode | None = None
) -> list[PathGate] | None:
    """The gates of a middleware function (module docs), or None when they cannot be read.

    `value` is the exported expression: Clerk's older `authMiddleware({ publicRoutes,
    ignoredRoutes })` protects every path but those lists, which are read from it."""
    if wrappers and wrappers[0].rsplit(".", 1)[-1] == "authMiddleware":
        return _auth_middleware_gates(scope, value)
    clerk = any(w.rsplit(".", 1)[-1] == "clerkMiddleware" for w in wrappers)
    if function is None:
        return [] if clerk and len(wrappers) == 1 else None
    reader = _Reader(scope, function)
    if not _marker(function) and not reader.guarding_functions & _called(function):
        return [] if clerk else None
    return reader.gates()


def _auth_middleware_gates(scope: ModuleScope, value: SgNode | None) -> list[PathGate] | None:
    """Clerk v4's `authMiddleware`: every path but `publicRoutes`/`ignoredRoutes` is refused.

    An `afterAuth`/`beforeAuth` hook replaces that default (it decides what is refused), and a
    spread or a method may carry one, so any of those makes the gates unreadable (None)."""
    node = unwrap(value)
    if node is not None and node.kind() == "identifier":
        node = unwrap(scope.values.get(node.text()))
    if node is None or node.kind() != "call_expression":
        return None
    arguments = call_arguments(node)
    options = unwrap(arguments[0]) if arguments else None
    if options is None:
        return [PathGate(kind="protect")]
    if options.kind() != "object":
        return None
    if any(child.kind() in ("method_definition", "spread_element") for child in options.children()):
        return None
    reader = _Reader(scope, node)
    public: list[str] = []
    for name, entry in object_properties(options):
        if name in ("afterAuth", "beforeAuth"):
            return None
        if name in ("publicRoutes", "ignoredRoutes"):
            values = reader.values(entry, {})
            if values is None:
                return None  # a function or a regex: not followed
            public.extend(values)
    if not public:
        return [PathGate(kind="protect")]
    test = PathCondition(op="test", test=PathTest(op="matcher", values=public))
    return [PathGate(kind="skip", condition=test), PathGate(kind="protect")]


def _called(node: SgNode) -> set[str]:
    return {callee_name(c) or "" for c in node.find_all(kind="call_expression")}


# -- judging ----------------------------------------------------------------------------------

Truth = bool | None


def _test(test: PathTest, path: str) -> Truth:
    if test.op == "unknown":
        return None
    results: list[Truth] = []
    for value in test.values:
        if test.op == "prefix":
            results.append(path.startswith(value))
        elif test.op == "suffix":
            results.append(path.endswith(value))
        elif test.op == "contains":
            results.append(value in path)
        elif test.op == "equals":
            results.append(path == value)
        elif test.op == "matcher":
            readable = compile_matcher(value) is not None
            results.append(matcher_matches(value, path) if readable else None)
        else:
            try:
                results.append(re.search(value, path) is not None)
            except re.error:
                results.append(None)
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def _evaluate(condition: PathCondition, path: str) -> Truth:
    if condition.op == "test":
        return _test(condition.test, path) if condition.test is not None else None
    if condition.op == "not":
        inner = _evaluate(condition.children[0], path) if condition.children else None
        return None if inner is None else not inner
    values = [_evaluate(child, path) for child in condition.children]
    if condition.op == "and":
        if any(v is False for v in values):
            return False
        return True if all(v is True for v in values) else None
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def _on_route(condition: PathCondition | None, route_path: str) -> Truth:
    """The condition on every URL the route answers: True/False when all agree."""
    if condition is None:
        return True
    values = {_evaluate(condition, path) for path in sample_paths(route_path)}
    return values.pop() if len(values) == 1 else None


def gates_reach(gates: list[PathGate] | None, route_path: str) -> bool | None:
    """Whether a request to `route_path` reaches the middleware's check: None when the gates
    could not be read, else True unless the middleware's own branching lets it through first."""
    if gates is None:
        return None
    for gate in gates:
        value = _on_route(gate.condition, route_path)
        if gate.kind == "protect":
            return True
        if gate.kind == "guard" and value is not False:
            return True
        if gate.kind == "skip" and value is True:
            return False
    return False
