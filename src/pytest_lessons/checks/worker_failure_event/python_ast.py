"""The Python extraction of `worker-failure-event` read with the standard library's `ast`.

The lesson reads every Python module that has an `except` (a worker's helpers may live in any
of them), so this reader runs on nearly every file of a Python project: libcst with position
metadata cost about 20 ms a module there, `ast` a tenth of that. The records are
`python_syntax`'s, and a differential test holds them equal to what the libcst reader there
gives, which still reads what the running interpreter cannot parse. Three cares make them equal:
children are visited in the written order (`children_in_source_order`), columns count
characters (`AstSource`), and what `ast` folds is unfolded (`False` is a constant, `"a" f"b"`
is one f-string).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable, Sequence

from pytest_lessons.checks.worker_failure_event.python_records import (
    ERROR_LEVELS,
    SCHEDULE_CALLS,
    PyCall,
    PyIgnored,
    PySwallow,
    PyUnit,
    WorkerItems,
)
from pytest_lessons.checks.worker_failure_event.swallow import is_log_call, only_not_found
from pytest_lessons.lang.python.ast_source import (
    AstSource,
    Parsed,
    children_in_source_order,
    parsed,
)
from pytest_lessons.lang.python.routes.ast_syntax import ast_dotted, call_arguments

__all__ = ["ast_items"]

_Function = (ast.FunctionDef, ast.AsyncFunctionDef)
_Loop = (ast.For, ast.AsyncFor, ast.While)
_LEAVES = frozenset(
    {
        ast.Name,
        ast.Constant,
        *(
            kind
            for base in (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
            for kind in base.__subclasses__()
        ),
    }
)
"""Nodes the walk has nothing to read in, nor below (a name holds only its context): half the
nodes of a module, each of which cost a walk call and a look for children."""


def ast_items(
    module: Parsed, log_calls: Sequence[str], failure_events: Sequence[str]
) -> WorkerItems:
    """The worker items of one module (the run's shared `ast` tree, or text); raises
    SyntaxError (or ValueError, RecursionError) for the libcst fallback."""
    tree, source = parsed(module)
    reader = _Reader(source, log_calls, failure_events)
    reader.walk(tree)
    units = [
        unit.model_copy(update={"scheduled": unit.name.rsplit(".", 1)[-1] in reader.scheduled})
        for unit in reader.units
    ]
    return WorkerItems(
        units=units, calls=reader.calls, swallows=reader.swallows, ignored=reader.ignored
    )


class _Reader:
    """One walk in source order, keeping the scopes the libcst visitor keeps."""

    def __init__(
        self, source: AstSource, log_calls: Sequence[str], failure_events: Sequence[str]
    ) -> None:
        self.source = source
        self.log_calls = log_calls
        self.failure_events = failure_events
        self.calls: list[PyCall] = []
        self.swallows: list[PySwallow] = []
        self.ignored: list[PyIgnored] = []
        self.dropped: set[int] = set()
        self.units: list[PyUnit] = []
        self.scheduled: set[str] = set()
        self.classes: list[str] = []
        self.functions: list[str] = []
        self.unit: str | None = None
        self.loops = 0

    def walk(self, node: ast.AST) -> None:
        if isinstance(node, _Function):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self.classes.append(node.name)
            self._children(node)
            self.classes.pop()
        elif isinstance(node, _Loop):
            self._loop(node)
        elif isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            self.loops += 1
            self._children(node)
            self.loops -= 1
        else:
            if isinstance(node, ast.Call):
                self._call(node)
            elif isinstance(node, ast.Expr):
                value = node.value.value if isinstance(node.value, ast.Await) else node.value
                if isinstance(value, ast.Call):
                    self.dropped.add(id(value))
            elif isinstance(node, ast.Try):
                self._try(node)
            self._children(node)

    def _children(self, node: ast.AST) -> None:
        walk = self.walk
        for child in children_in_source_order(node):
            if type(child) not in _LEAVES:
                walk(child)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.functions and len(self.classes) <= 1:
            name = ".".join([*self.classes, node.name])
            decorators = [
                ast_dotted(d.func if isinstance(d, ast.Call) else d) or ""
                for d in node.decorator_list
            ]
            self.units.append(PyUnit(name=name, line=node.lineno, decorators=decorators))
            self.unit = name
        self.functions.append(node.name)
        outer_loops, self.loops = self.loops, 0
        self._children(node)
        self.functions.pop()
        self.loops = outer_loops
        if not self.functions:
            self.unit = None

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While) -> None:
        """Only the body runs per item: the header and the `else` run once."""
        heads: list[ast.AST] = (
            [node.test] if isinstance(node, ast.While) else [node.target, node.iter]
        )
        for child in heads:
            self.walk(child)
        self.loops += 1
        for child in node.body:
            self.walk(child)
        self.loops -= 1
        for child in node.orelse:
            self.walk(child)

    def _call(self, node: ast.Call) -> None:
        callee = ast_dotted(node.func) or ""
        head, _, last = callee.rpartition(".")
        arguments = call_arguments(node)
        if last in SCHEDULE_CALLS and arguments:
            target = ast_dotted(arguments[0][2])
            if target is not None:
                self.scheduled.add(target.rsplit(".", 1)[-1])
        for keyword, _star, value in arguments:
            if keyword in ("func", "function"):
                target = ast_dotted(value)
                if target is not None:
                    self.scheduled.add(target.rsplit(".", 1)[-1])
        if callee in ("asyncio.gather", "gather") and self._drops(node):
            self.ignored.append(PyIgnored(unit=self.unit, **self._span(node)))
        local = None
        if callee and "." not in callee:
            local = callee
        elif head in ("self", "cls") and self.classes:
            local = f"{self.classes[0]}.{last}"
        if local is not None:
            self.calls.append(
                PyCall(callee=local, unit=self.unit, per_item=self.loops > 0, **self._span(node))
            )

    def _drops(self, node: ast.Call) -> bool:
        """`gather(..., return_exceptions=True)` whose result is dropped (set by the parent)."""
        return (
            any(
                k.arg == "return_exceptions"
                and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in node.keywords
            )
            and id(node) in self.dropped
        )

    def _span(self, node: ast.AST) -> dict[str, int]:
        line, column, end_line, end_column = self.source.position(node)
        return {"line": line, "column": column, "end_line": end_line, "end_column": end_column}

    def _try(self, node: ast.Try) -> None:
        for handler in node.handlers:
            if only_not_found(_caught(handler.type)):
                continue  # the item is gone: nothing failed
            logs = self._only_logs(handler.body)
            if logs is None:
                continue
            guards = [
                self.source.position(call)[:2]
                for call in _outer_calls(node.body, self.log_calls, self.failure_events)
            ]
            line, column, _, _ = self.source.position(handler)
            self.swallows.append(
                PySwallow(
                    unit=self.unit,
                    per_item=self.loops > 0,
                    guards=guards,
                    logs=logs,
                    error_logs=any(n.rsplit(".", 1)[-1] in ERROR_LEVELS for n in logs),
                    line=line,
                    column=column,
                    end_line=line,
                    end_column=column + len("except"),
                )
            )

    def _only_logs(self, body: Iterable[ast.stmt]) -> list[str] | None:
        logs: list[str] = []
        for statement in body:
            if isinstance(statement, (ast.Pass, ast.Continue, ast.Break)):
                continue
            if isinstance(statement, ast.Return):
                if statement.value is None or (
                    isinstance(statement.value, ast.Constant) and statement.value.value is None
                ):
                    continue
                return None
            if not isinstance(statement, ast.Expr):
                return None
            value = statement.value
            if isinstance(value, ast.Await):
                value = value.value
            if self._is_literal_statement(value):
                continue
            if not isinstance(value, ast.Call):
                return None
            name = ast_dotted(value.func) or ""
            if not is_log_call(name, log_calls=self.log_calls, failure_events=self.failure_events):
                return None
            logs.append(name)
        return logs

    def _is_literal_statement(self, value: ast.expr) -> bool:
        """A string, bytes or `...` statement, as libcst tells them: an f-string alone is not
        one, but an f-string concatenated with a plain string is (`ast` folds both alike)."""
        if isinstance(value, ast.Constant):
            return isinstance(value.value, (str, bytes)) or value.value is Ellipsis
        if isinstance(value, ast.JoinedStr):
            return _string_tokens(self.source.segment(value)) > 1
        return False


def _caught(kind: ast.expr | None) -> list[str | None]:
    """The dotted names an `except` catches (None for what is not a plain name)."""
    if kind is None:
        return []
    elements = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return [ast_dotted(element) for element in elements]


def _string_tokens(text: str) -> int:
    """How many string literals make up `text` (an implicit concatenation has several)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(f"({text})").readline))
    except (tokenize.TokenError, SyntaxError):
        return 1
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    return sum(1 for t in tokens if t.type in (tokenize.STRING, fstring_start))


def _outer_calls(
    body: Iterable[ast.stmt], log_calls: Sequence[str], failure_events: Sequence[str]
) -> list[ast.Call]:
    """The outermost calls a `try` body runs, in source order, with no function or lambda body
    entered: the calls inside `gather(...)` are what it runs; a log call is left out."""
    found: list[ast.Call] = []
    pending: list[ast.AST] = list(reversed(list(body)))
    while pending:
        node = pending.pop()
        if isinstance(node, (*_Function, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            name = ast_dotted(node.func) or ""
            if name not in ("asyncio.gather", "gather"):
                if not is_log_call(name, log_calls=log_calls, failure_events=failure_events):
                    found.append(node)
                continue
        pending.extend(reversed(list(children_in_source_order(node))))
    return found
