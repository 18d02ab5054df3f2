"""The Python telemetry facts read with the standard library's `ast`: the fast path.

Both telemetry lessons read every Python module of a project that names an analytics SDK
(a wrapper may live anywhere), so this reader runs on every file; libcst with position metadata
cost about 40 ms a module, `ast` a few. The facts must not depend on the reader (a differential
test holds this module to `from_cst`), which takes two cares:

- **Source order and columns** (`lang.python.ast_source`): the walk visits children in the
  written order, so sites are listed and client assignments seen as libcst does, and positions
  count characters, not UTF-8 bytes.
- **What `ast` folds.** `"a" "b"` is one constant, `False` is a constant, not a name, and an
  integer's base is only in the source text (`0x190` is not the status `400` libcst reads).

`ast` only parses the running interpreter's grammar; the caller falls back to `from_cst` when
`ast_facts` raises `SyntaxError` (or `ValueError`/`RecursionError`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from pytest_lessons.lang.common.telemetry import DYNAMIC, CatchEffect, EventRef
from pytest_lessons.lang.common.telemetry import event_ref as _ref
from pytest_lessons.lang.python.ast_source import (
    AstSource,
    Parsed,
    children_in_source_order,
    parsed,
)
from pytest_lessons.lang.python.routes.ast_syntax import ast_dotted, call_arguments
from pytest_lessons.lang.python.telemetry.collect import (
    RESPONDERS,
    Argument,
    Bindings,
    Collector,
    Position,
    suppress_frame,
    try_frame,
)
from pytest_lessons.lang.python.telemetry.facts import TelemetryFacts

__all__ = ["ast_facts"]

_Function = (ast.FunctionDef, ast.AsyncFunctionDef)
_TRY_KINDS: tuple[type[ast.AST], ...] = (
    (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
)
_LEAVES: frozenset[type[ast.AST]] = frozenset(
    {ast.Name, ast.Constant, ast.alias, ast.Pass, ast.Break, ast.Continue, ast.Global}
    | {ast.Nonlocal}
    | {
        kind
        for family in (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
        for kind in family.__subclasses__()
    }
)
"""Nodes that hold no call, assignment, scope or guard (a name, a literal, an operator): half
the nodes of a module, skipped without a visit."""


def _name_chain(node: ast.AST) -> bool:
    """`self.client.settings`: attributes down to a name hold no call, and are skipped like
    the leaves."""
    while type(node) is ast.Attribute:
        node = node.value
    return type(node) is ast.Name


def ast_facts(text: Parsed, bindings: Bindings, extras: tuple[str, ...]) -> TelemetryFacts:
    """The telemetry facts of one module; raises SyntaxError when `ast` cannot parse it."""
    tree, source = parsed(text)
    reader = _Reader(source, bindings, extras)
    reader.walk(tree)
    return reader.collector.facts()


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _integer(node: ast.AST | None, source: AstSource) -> int | None:
    """A plain decimal integer literal, as libcst's `integer_value` reads it."""
    if not isinstance(node, ast.Constant) or type(node.value) is not int:
        return None
    written = source.segment(node).replace("_", "")
    return node.value if written.isdigit() and written.isascii() else None


def _exception_names(node: ast.expr | None, source: AstSource) -> list[str]:
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        names: list[str] = []
        for element in node.elts:
            inner = element.value if isinstance(element, ast.Starred) else element
            names.extend(_exception_names(inner, source))
        return names
    name = ast_dotted(node)
    return [name if name is not None else source.text(node)]


def _handler_effect(handler: ast.ExceptHandler, source: AstSource) -> CatchEffect:
    """What an except body does with the failure: swallow it, re-raise it, or answer 4xx/5xx."""
    raises = responds = False
    pending: list[ast.AST] = list(reversed(handler.body))
    while pending:
        node = pending.pop()
        if isinstance(node, (*_Function, ast.Lambda)):
            continue
        if isinstance(node, ast.Raise):
            raises = True
            callee = ast_dotted(node.exc.func) if isinstance(node.exc, ast.Call) else None
            if callee is not None and callee.rsplit(".", 1)[-1] in RESPONDERS:
                responds = True
        elif isinstance(node, ast.Call):
            callee = ast_dotted(node.func)
            if callee is not None and callee.rsplit(".", 1)[-1] == "abort":
                responds = True
            for keyword in node.keywords:
                if keyword.arg in ("status_code", "status"):
                    code = _integer(keyword.value, source)
                    if code is not None and code >= 400:
                        responds = True
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and node.value.elts:
            code = _integer(node.value.elts[-1], source)
            if code is not None and code >= 400:
                responds = True
        pending.extend(reversed(list(ast.iter_child_nodes(node))))
    if responds:
        return "responds"
    return "rethrows" if raises else "swallows"


def _handlers(
    node: ast.Try, source: AstSource
) -> Iterator[tuple[list[str] | None, Callable[[], CatchEffect]]]:
    for handler in node.handlers:
        names = None if handler.type is None else _exception_names(handler.type, source)
        yield names, partial(_handler_effect, handler, source)


class _AstCollector(Collector[ast.expr]):
    def __init__(self, source: AstSource, bindings: Bindings, extras: tuple[str, ...]) -> None:
        super().__init__(bindings, extras)
        self.source = source

    def where(self, call: ast.expr) -> Position:
        return Position(*self.source.position(call))

    def arguments(self, call: ast.expr) -> list[Argument[ast.expr]]:
        assert isinstance(call, ast.Call)
        return [Argument(*argument) for argument in call_arguments(call)]

    def event_ref(self, node: ast.expr) -> EventRef:
        value = _string(node)
        if value is not None:
            return _ref("literal", value)
        name = ast_dotted(node)
        if name is not None:
            return _ref("name", name)
        return DYNAMIC

    def dotted(self, node: ast.expr) -> str | None:
        return ast_dotted(node)

    def is_false(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Constant) and node.value is False

    def gathered(self, node: ast.expr) -> Iterator[ast.expr]:
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            yield node.elt
        elif isinstance(node, (ast.List, ast.Tuple)):
            for element in node.elts:
                yield element.value if isinstance(element, ast.Starred) else element
        else:
            yield node


class _Reader:
    def __init__(self, source: AstSource, bindings: Bindings, extras: tuple[str, ...]) -> None:
        self.source = source
        self.collector = _AstCollector(source, bindings, extras)

    def walk(self, node: ast.AST) -> None:
        visit = _VISITS.get(type(node))
        if visit is not None and visit(self, node):
            return  # the visit walked the children itself
        self._each(children_in_source_order(node))

    def _each(self, nodes: Iterable[ast.AST]) -> None:
        walk = self.walk
        for child in nodes:
            kind = type(child)
            if kind in _LEAVES or (kind is ast.Attribute and _name_chain(child)):
                continue
            walk(child)

    def _call(self, node: ast.Call) -> bool:
        self.collector.call(node, ast_dotted(node.func))
        return False

    def _await(self, node: ast.Await) -> bool:
        if isinstance(node.value, ast.Call):
            self.collector.awaited(node.value)
        return False

    def _assign(self, node: ast.Assign) -> bool:
        callee = ast_dotted(node.value.func) if isinstance(node.value, ast.Call) else None
        self.collector.assigned((ast_dotted(t) for t in node.targets), callee)
        return False

    def _ann_assign(self, node: ast.AnnAssign) -> bool:
        if node.value is not None:
            callee = ast_dotted(node.value.func) if isinstance(node.value, ast.Call) else None
            self.collector.assigned([ast_dotted(node.target)], callee)
        return False

    def _class(self, node: ast.ClassDef) -> bool:
        self.collector.enter_class(node.name)
        self._each(children_in_source_order(node))
        self.collector.leave_class()
        return True

    def _lambda(self, node: ast.Lambda) -> bool:
        self.collector.enter_lambda()
        self._each(children_in_source_order(node))
        self.collector.leave_lambda()
        return True

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        arguments = node.args
        params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        self.collector.enter_function(
            node.name,
            node.lineno,
            [p.arg for p in params],
            is_async=isinstance(node, ast.AsyncFunctionDef),
            static=any(ast_dotted(d) == "staticmethod" for d in node.decorator_list),
        )
        self._each(children_in_source_order(node))
        self.collector.leave_function()
        return True

    def _try(self, node: ast.Try) -> bool:
        self.collector.enter_guard(try_frame(_handlers(node, self.source)))
        self._each(node.body)
        self.collector.leave_guard()
        self._each([*node.handlers, *node.orelse, *node.finalbody])
        return True

    def _with(self, node: ast.With | ast.AsyncWith) -> bool:
        names = [
            name
            for item in node.items
            if isinstance(item.context_expr, ast.Call)
            and (ast_dotted(item.context_expr.func) or "").rsplit(".", 1)[-1] == "suppress"
            for arg in self.collector.arguments(item.context_expr)
            for name in _exception_names(arg.value, self.source)
        ]
        self._each(node.items)
        self.collector.enter_guard(suppress_frame(names))
        self._each(node.body)
        self.collector.leave_guard()
        return True


_VISITS: dict[type[ast.AST], Callable[[_Reader, Any], bool]] = {
    ast.Call: _Reader._call,
    ast.Await: _Reader._await,
    ast.Assign: _Reader._assign,
    ast.AnnAssign: _Reader._ann_assign,
    ast.FunctionDef: _Reader._function,
    ast.AsyncFunctionDef: _Reader._function,
    ast.ClassDef: _Reader._class,
    ast.Lambda: _Reader._lambda,
    ast.With: _Reader._with,
    ast.AsyncWith: _Reader._with,
    **dict.fromkeys(_TRY_KINDS, _Reader._try),
}
"""What a node of each type does beyond having its children walked, by exact type (`ast` has
no subclasses of these): one look-up a node instead of a chain of `isinstance` tests. A visit
returns True when it walked the children itself."""
