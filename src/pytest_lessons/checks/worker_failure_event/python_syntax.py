"""The libcst reader of `worker-failure-event`'s Python records (`python_records`).

`python_ast` reads them first; this reader is the fallback for syntax the running interpreter
cannot parse, and the reference a differential test holds the `ast` reader to."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

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
from pytest_lessons.lang.python.syntax import dotted_name

__all__ = ["extract_items"]


def _spanned(where: CodeRange) -> dict[str, int]:
    return {
        "line": where.start.line,
        "column": where.start.column + 1,
        "end_line": where.end.line,
        "end_column": where.end.column + 1,
    }


class _Visitor(cst.CSTVisitor):
    def __init__(
        self,
        positions: dict[cst.CSTNode, CodeRange],
        log_calls: Sequence[str],
        failure_events: Sequence[str],
    ) -> None:
        self.positions = positions
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
        self.loop_stack: list[int] = []

    # -- scopes ----------------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.functions and len(self.classes) <= 1:
            name = ".".join([*self.classes, node.name.value])
            decorators = [
                dotted_name(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator)
                or ""
                for d in node.decorators
            ]
            self.units.append(
                PyUnit(name=name, line=self.positions[node].start.line, decorators=decorators)
            )
            self.unit = name
        self.functions.append(node.name.value)
        self.loop_stack.append(self.loops)
        self.loops = 0

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()
        self.loops = self.loop_stack.pop()
        if not self.functions:
            self.unit = None

    def visit_For_body(self, node: cst.For) -> None:
        self.loops += 1

    def leave_For_body(self, node: cst.For) -> None:
        self.loops -= 1

    def visit_While_body(self, node: cst.While) -> None:
        self.loops += 1

    def leave_While_body(self, node: cst.While) -> None:
        self.loops -= 1

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self.loops += 1

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self.loops -= 1

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.loops += 1

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self.loops -= 1

    # -- records ---------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func) or ""
        head, _, last = callee.rpartition(".")
        if last in SCHEDULE_CALLS and node.args:
            target = dotted_name(node.args[0].value)
            if target is not None:
                self.scheduled.add(target.rsplit(".", 1)[-1])
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("func", "function"):
                target = dotted_name(arg.value)
                if target is not None:
                    self.scheduled.add(target.rsplit(".", 1)[-1])
        if callee in ("asyncio.gather", "gather") and self._drops(node):
            self.ignored.append(PyIgnored(unit=self.unit, **_spanned(self.positions[node])))
        local = None
        if callee and "." not in callee:
            local = callee
        elif head in ("self", "cls") and self.classes:
            local = f"{self.classes[0]}.{last}"
        if local is not None:
            self.calls.append(
                PyCall(
                    callee=local,
                    unit=self.unit,
                    per_item=self.loops > 0,
                    **_spanned(self.positions[node]),
                )
            )

    def _drops(self, node: cst.Call) -> bool:
        """`gather(..., return_exceptions=True)` whose result is dropped (set by the parent)."""
        return (
            any(
                a.keyword is not None
                and a.keyword.value == "return_exceptions"
                and not (isinstance(a.value, cst.Name) and a.value.value == "False")
                for a in node.args
            )
            and id(node) in self.dropped
        )

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(value, cst.Call):
            self.dropped.add(id(value))

    def visit_Try(self, node: cst.Try) -> None:
        for handler in node.handlers:
            if only_not_found(_caught(handler.type)):
                continue  # the item is gone: nothing failed
            logs = self._only_logs(handler.body)
            if logs is None:
                continue
            guards = [
                (self.positions[c].start.line, self.positions[c].start.column + 1)
                for c in _outer_calls(node.body, self.log_calls, self.failure_events)
            ]
            where = self.positions[handler]
            self.swallows.append(
                PySwallow(
                    unit=self.unit,
                    per_item=self.loops > 0,
                    guards=guards,
                    logs=logs,
                    error_logs=any(n.rsplit(".", 1)[-1] in ERROR_LEVELS for n in logs),
                    line=where.start.line,
                    column=where.start.column + 1,
                    end_line=where.start.line,
                    end_column=where.start.column + 1 + len("except"),
                )
            )

    def _only_logs(self, body: cst.BaseSuite) -> list[str] | None:
        logs: list[str] = []
        statements: Sequence[cst.CSTNode] = (
            body.body if isinstance(body, cst.IndentedBlock) else [body]
        )
        for statement in statements:
            small: Sequence[cst.CSTNode] = (
                statement.body
                if isinstance(statement, cst.SimpleStatementLine | cst.SimpleStatementSuite)
                else [statement]
            )
            for line in small:
                if isinstance(line, cst.Pass | cst.Continue | cst.Break):
                    continue
                if isinstance(line, cst.Return):
                    if line.value is None or (
                        isinstance(line.value, cst.Name) and line.value.value == "None"
                    ):
                        continue
                    return None
                if not isinstance(line, cst.Expr):
                    return None
                value = line.value
                if isinstance(value, cst.Await):
                    value = value.expression
                if isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.Ellipsis):
                    continue
                if not isinstance(value, cst.Call):
                    return None
                name = dotted_name(value.func) or ""
                if not is_log_call(
                    name, log_calls=self.log_calls, failure_events=self.failure_events
                ):
                    return None
                logs.append(name)
        return logs


class _OuterCalls(cst.CSTVisitor):
    def __init__(self, log_calls: Sequence[str], failure_events: Sequence[str]) -> None:
        self.found: list[cst.Call] = []
        self.log_calls = log_calls
        self.failure_events = failure_events

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        name = dotted_name(node.func) or ""
        if name in ("asyncio.gather", "gather"):
            return True  # the gathered calls are what runs
        if is_log_call(name, log_calls=self.log_calls, failure_events=self.failure_events):
            return False
        self.found.append(node)
        return False


def _outer_calls(
    body: cst.BaseSuite, log_calls: Sequence[str], failure_events: Sequence[str]
) -> list[cst.Call]:
    visitor = _OuterCalls(log_calls, failure_events)
    body.visit(visitor)
    return visitor.found


def extract_items(
    wrapper: cst.MetadataWrapper, log_calls: Sequence[str], failure_events: Sequence[str]
) -> WorkerItems:
    positions = dict(wrapper.resolve(PositionProvider))
    visitor = _Visitor(positions, log_calls, failure_events)
    wrapper.module.visit(visitor)
    units = [
        unit.model_copy(update={"scheduled": unit.name.rsplit(".", 1)[-1] in visitor.scheduled})
        for unit in visitor.units
    ]
    return WorkerItems(
        units=units, calls=visitor.calls, swallows=visitor.swallows, ignored=visitor.ignored
    )


def _caught(kind: cst.BaseExpression | None) -> list[str | None]:
    """The dotted names an `except` catches (None for what is not a plain name)."""
    if kind is None:
        return []
    elements = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return [dotted_name(element) for element in elements]
