"""The Python telemetry facts read with libcst: the fallback for syntax `ast` cannot parse.

`from_ast` reads almost every file; this reader exists for the rest (a file using syntax newer
than the running interpreter, which libcst parses for every version) and as the reference the
differential test holds `from_ast` to. Both feed the same `collect.Collector`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from pytest_lessons.lang.common.telemetry import DYNAMIC, CatchEffect, EventRef
from pytest_lessons.lang.common.telemetry import event_ref as _ref
from pytest_lessons.lang.python.syntax import dotted_name, integer_value, node_text, string_value
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

__all__ = ["cst_facts"]


def cst_facts(
    wrapper: cst.MetadataWrapper, bindings: Bindings, extras: tuple[str, ...]
) -> TelemetryFacts:
    """The telemetry facts of one module (a metadata wrapper, for positions)."""
    reader = _Reader(_CstCollector(wrapper.resolve(PositionProvider), bindings, extras))
    wrapper.module.visit(reader)
    return reader.collector.facts()


def _exception_names(node: cst.BaseExpression | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, cst.Tuple):
        return [
            name for e in node.elements for name in _exception_names(e.value) if name is not None
        ]
    name = dotted_name(node)
    return [name if name is not None else node_text(node)]


class _EffectFinder(cst.CSTVisitor):
    """What an except body does with the failure: swallow it, re-raise it, or answer 4xx/5xx."""

    def __init__(self) -> None:
        super().__init__()
        self.raises = False
        self.responds = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Raise(self, node: cst.Raise) -> None:
        self.raises = True
        callee = dotted_name(node.exc.func) if isinstance(node.exc, cst.Call) else None
        if callee is not None and callee.rsplit(".", 1)[-1] in RESPONDERS:
            self.responds = True

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee is not None and callee.rsplit(".", 1)[-1] == "abort":
            self.responds = True
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("status_code", "status"):
                code = integer_value(arg.value)
                if code is not None and code >= 400:
                    self.responds = True

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Tuple) and node.value.elements:
            code = integer_value(node.value.elements[-1].value)
            if code is not None and code >= 400:
                self.responds = True


def _handler_effect(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> CatchEffect:
    finder = _EffectFinder()
    handler.body.visit(finder)
    if finder.responds:
        return "responds"
    return "rethrows" if finder.raises else "swallows"


def _handlers(
    node: cst.Try | cst.TryStar,
) -> Iterator[tuple[list[str] | None, Callable[[], CatchEffect]]]:
    for handler in node.handlers:
        names = None if handler.type is None else _exception_names(handler.type)
        yield names, partial(_handler_effect, handler)


class _CstCollector(Collector[cst.BaseExpression]):
    def __init__(
        self,
        positions: Mapping[cst.CSTNode, CodeRange],
        bindings: Bindings,
        extras: tuple[str, ...],
    ) -> None:
        super().__init__(bindings, extras)
        self.positions = positions

    def where(self, call: cst.BaseExpression) -> Position:
        where = self.positions[call]
        return Position(
            where.start.line, where.start.column + 1, where.end.line, where.end.column + 1
        )

    def arguments(self, call: cst.BaseExpression) -> list[Argument[cst.BaseExpression]]:
        assert isinstance(call, cst.Call)
        return [
            Argument(a.keyword.value if a.keyword is not None else None, a.star, a.value)
            for a in call.args
        ]

    def event_ref(self, node: cst.BaseExpression) -> EventRef:
        value = string_value(node)
        if value is not None:
            return _ref("literal", value)
        name = dotted_name(node)
        if name is not None:
            return _ref("name", name)
        return DYNAMIC

    def dotted(self, node: cst.BaseExpression) -> str | None:
        return dotted_name(node)

    def is_false(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value == "False"

    def gathered(self, node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            yield node.elt
        elif isinstance(node, (cst.List, cst.Tuple)):
            for element in node.elements:
                yield element.value
        else:
            yield node


class _Reader(cst.CSTVisitor):
    def __init__(self, collector: _CstCollector) -> None:
        super().__init__()
        self.positions = collector.positions
        self.collector = collector

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.collector.enter_class(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.collector.leave_class()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
        self.collector.enter_function(
            node.name.value,
            self.positions[node].start.line,
            [p.name.value for p in params],
            is_async=node.asynchronous is not None,
            static=any(dotted_name(d.decorator) == "staticmethod" for d in node.decorators),
        )

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.collector.leave_function()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.collector.enter_lambda()

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.collector.leave_lambda()

    def visit_Try_body(self, node: cst.Try) -> None:
        self.collector.enter_guard(try_frame(_handlers(node)))

    def leave_Try_body(self, node: cst.Try) -> None:
        self.collector.leave_guard()

    def visit_TryStar_body(self, node: cst.TryStar) -> None:
        self.collector.enter_guard(try_frame(_handlers(node)))

    def leave_TryStar_body(self, node: cst.TryStar) -> None:
        self.collector.leave_guard()

    def visit_With_body(self, node: cst.With) -> None:
        names = [
            name
            for item in node.items
            if isinstance(item.item, cst.Call)
            and (dotted_name(item.item.func) or "").rsplit(".", 1)[-1] == "suppress"
            for arg in item.item.args
            for name in _exception_names(arg.value)
        ]
        self.collector.enter_guard(suppress_frame(names))

    def leave_With_body(self, node: cst.With) -> None:
        self.collector.leave_guard()

    def visit_Assign(self, node: cst.Assign) -> None:
        callee = dotted_name(node.value.func) if isinstance(node.value, cst.Call) else None
        self.collector.assigned((dotted_name(t.target) for t in node.targets), callee)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            callee = dotted_name(node.value.func) if isinstance(node.value, cst.Call) else None
            self.collector.assigned([dotted_name(node.target)], callee)

    def visit_Await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            self.collector.awaited(node.expression)

    def visit_Call(self, node: cst.Call) -> None:
        self.collector.call(node, dotted_name(node.func))
