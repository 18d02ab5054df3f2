"""The Python telemetry facts read with the standard library's `ast`: the fast path.

Both telemetry lessons read every Python module of a project that names an analytics SDK
(a wrapper may live anywhere), so this reader runs on every file; libcst with position metadata
cost about 40 ms a module, `ast` a few. The facts must not depend on the reader (a differential
test holds this module to `from_cst`), which takes three cares:

- **Source order.** libcst visits children as written; `ast` keeps some fields apart from the
  source order (a function's decorators after its body, defaults after every parameter, a
  call's keywords after its positionals, a conditional expression's test first). The walk
  restores the written order, so sites are listed and client assignments seen as libcst does.
- **Columns in characters.** `ast` counts UTF-8 bytes; lines with non-ASCII text are converted.
- **What `ast` folds.** `"a" "b"` is one constant, `False` is a constant, not a name, and an
  integer's base is only in the source text (`0x190` is not the status `400` libcst reads).

`ast` only parses the running interpreter's grammar; the caller falls back to `from_cst` when
`ast_facts` raises `SyntaxError` (or `ValueError`/`RecursionError`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import cast

from pytest_lessons.lang.common.telemetry import DYNAMIC, CatchEffect, EventRef
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


def ast_facts(text: str, bindings: Bindings, extras: tuple[str, ...]) -> TelemetryFacts:
    """The telemetry facts of one module's text; raises SyntaxError when `ast` cannot parse it."""
    tree = ast.parse(text)
    reader = _Reader(_Source(text), bindings, extras)
    reader.walk(tree)
    return reader.collector.facts()


class _Source:
    """Character columns and source slices from `ast`'s byte offsets."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self._encoded: dict[int, bytes] = {}

    def _line(self, line: int) -> bytes:
        found = self._encoded.get(line)
        if found is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            found = text.encode("utf-8")
            self._encoded[line] = found
        return found

    def column(self, line: int, offset: int) -> int:
        """The 0-based character column of a UTF-8 byte offset."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return offset
        return len(self._line(line)[:offset].decode("utf-8", "replace"))

    def position(self, node: ast.expr) -> Position:
        end_line = node.end_lineno if node.end_lineno is not None else node.lineno
        end_offset = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Position(
            node.lineno,
            self.column(node.lineno, node.col_offset) + 1,
            end_line,
            self.column(end_line, end_offset) + 1,
        )

    def text(self, node: ast.expr) -> str:
        """The node's source text (one line; used for a rare message detail)."""
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            return ast.unparse(node)
        data = self._line(node.lineno)
        return data[node.col_offset : node.end_col_offset].decode("utf-8", "replace").strip()


def _dotted(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and (
        node.value is True or node.value is False or node.value is None
    ):
        return str(node.value)  # names in libcst's tree, as in the source
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _integer(node: ast.AST | None, source: _Source) -> int | None:
    """A plain decimal integer literal, as libcst's `integer_value` reads it."""
    if not isinstance(node, ast.Constant) or type(node.value) is not int:
        return None
    written = source.text(node).replace("_", "")
    return node.value if written.isdigit() and written.isascii() else None


def _exception_names(node: ast.expr | None, source: _Source) -> list[str]:
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        names: list[str] = []
        for element in node.elts:
            inner = element.value if isinstance(element, ast.Starred) else element
            names.extend(_exception_names(inner, source))
        return names
    name = _dotted(node)
    return [name if name is not None else source.text(node)]


def _handler_effect(handler: ast.ExceptHandler, source: _Source) -> CatchEffect:
    """What an except body does with the failure: swallow it, re-raise it, or answer 4xx/5xx."""
    raises = responds = False
    pending: list[ast.AST] = list(reversed(handler.body))
    while pending:
        node = pending.pop()
        if isinstance(node, (*_Function, ast.Lambda)):
            continue
        if isinstance(node, ast.Raise):
            raises = True
            callee = _dotted(node.exc.func) if isinstance(node.exc, ast.Call) else None
            if callee is not None and callee.rsplit(".", 1)[-1] in RESPONDERS:
                responds = True
        elif isinstance(node, ast.Call):
            callee = _dotted(node.func)
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
    node: ast.Try, source: _Source
) -> Iterator[tuple[list[str] | None, Callable[[], CatchEffect]]]:
    for handler in node.handlers:
        names = None if handler.type is None else _exception_names(handler.type, source)
        yield names, partial(_handler_effect, handler, source)


def _by_position(nodes: Iterable[ast.AST]) -> list[ast.AST]:
    return sorted(nodes, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))


def _arguments_in_order(arguments: ast.arguments) -> Iterator[ast.AST]:
    """A signature's parts as written: each parameter (its annotation) before its default."""
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults.extend(arguments.defaults)
    for parameter, default in zip(positional, defaults, strict=True):
        yield parameter
        if default is not None:
            yield default
    if arguments.vararg is not None:
        yield arguments.vararg
    for parameter, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        yield parameter
        if kw_default is not None:
            yield kw_default
    if arguments.kwarg is not None:
        yield arguments.kwarg


def _children(node: ast.AST) -> Iterable[ast.AST]:
    """A node's children in source order (see the module docstring)."""
    if isinstance(node, _Function):
        return [
            *node.decorator_list,
            *getattr(node, "type_params", ()),
            node.args,
            *([node.returns] if node.returns is not None else []),
            *node.body,
        ]
    if isinstance(node, ast.ClassDef):
        return [
            *node.decorator_list,
            *getattr(node, "type_params", ()),
            *_by_position([*node.bases, *node.keywords]),
            *node.body,
        ]
    if isinstance(node, ast.arguments):
        return _arguments_in_order(node)
    if isinstance(node, ast.Call):
        return [node.func, *_by_position([*node.args, *node.keywords])]
    if isinstance(node, ast.Dict):
        return [
            part
            for key, value in zip(node.keys, node.values, strict=True)
            for part in ((value,) if key is None else (key, value))
        ]
    if isinstance(node, ast.IfExp):
        return [node.body, node.test, node.orelse]
    return ast.iter_child_nodes(node)


class _AstCollector(Collector[ast.expr]):
    def event_ref(self, node: ast.expr) -> EventRef:
        value = _string(node)
        if value is not None:
            return EventRef(kind="literal", value=value)
        name = _dotted(node)
        if name is not None:
            return EventRef(kind="name", value=name)
        return DYNAMIC

    def dotted(self, node: ast.expr) -> str | None:
        return _dotted(node)

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


def _arguments(call: ast.Call) -> list[Argument[ast.expr]]:
    found: list[tuple[ast.AST, Argument[ast.expr]]] = []
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            found.append((arg, Argument(None, "*", arg.value)))
        else:
            found.append((arg, Argument(None, "", arg)))
    for keyword in call.keywords:
        star = "**" if keyword.arg is None else ""
        found.append((keyword, Argument(keyword.arg, star, keyword.value)))
    found.sort(key=lambda pair: (getattr(pair[0], "lineno", 0), getattr(pair[0], "col_offset", 0)))
    return [argument for _, argument in found]


class _Reader:
    def __init__(self, source: _Source, bindings: Bindings, extras: tuple[str, ...]) -> None:
        self.source = source
        self.collector = _AstCollector(bindings, extras)

    def walk(self, node: ast.AST) -> None:
        collector = self.collector
        if isinstance(node, ast.Call):
            collector.call(node, self.source.position(node), _dotted(node.func), _arguments(node))
        elif isinstance(node, ast.Await):
            if isinstance(node.value, ast.Call):
                collector.awaited(node.value)
        elif isinstance(node, ast.Assign):
            callee = _dotted(node.value.func) if isinstance(node.value, ast.Call) else None
            collector.assigned((_dotted(t) for t in node.targets), callee)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                callee = _dotted(node.value.func) if isinstance(node.value, ast.Call) else None
                collector.assigned([_dotted(node.target)], callee)
        elif isinstance(node, _Function):
            self._function(node)
            return
        elif isinstance(node, ast.ClassDef):
            collector.enter_class(node.name)
            self._each(_children(node))
            collector.leave_class()
            return
        elif isinstance(node, ast.Lambda):
            collector.enter_lambda()
            self._each(_children(node))
            collector.leave_lambda()
            return
        elif isinstance(node, _TRY_KINDS):
            self._try(cast(ast.Try, node))  # `try` and `try*` have the same fields
            return
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self._with(node)
            return
        self._each(_children(node))

    def _each(self, nodes: Iterable[ast.AST]) -> None:
        for child in nodes:
            self.walk(child)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        arguments = node.args
        params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        self.collector.enter_function(
            node.name,
            node.lineno,
            [p.arg for p in params],
            is_async=isinstance(node, ast.AsyncFunctionDef),
            static=any(_dotted(d) == "staticmethod" for d in node.decorator_list),
        )
        self._each(_children(node))
        self.collector.leave_function()

    def _try(self, node: ast.Try) -> None:
        self.collector.enter_guard(try_frame(_handlers(node, self.source)))
        self._each(node.body)
        self.collector.leave_guard()
        self._each([*node.handlers, *node.orelse, *node.finalbody])

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        names = [
            name
            for item in node.items
            if isinstance(item.context_expr, ast.Call)
            and (_dotted(item.context_expr.func) or "").rsplit(".", 1)[-1] == "suppress"
            for arg in _arguments(item.context_expr)
            for name in _exception_names(arg.value, self.source)
        ]
        self._each(node.items)
        self.collector.enter_guard(suppress_frame(names))
        self._each(node.body)
        self.collector.leave_guard()
