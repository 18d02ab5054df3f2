"""The JS/TS extraction of `worker-failure-event`: per-item catches that only log, ignored
`Promise.allSettled` results, and the local calls that tie a route handler to its helpers.

Everything is recorded for every file that has a route handler; whether a handler is a cron or
worker route is decided at judge time, when `vercel.json` and the options are known.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.worker_failure_event.swallow import is_log_call
from pytest_lessons.lang.common.records import Spanned
from pytest_lessons.lang.typescript.nodes import FUNCTION_KINDS
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    dotted_name,
    span,
    span_fields,
)

__all__ = ["LocalCall", "Observed", "Swallow", "Unit", "extract_items"]

_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
_ITERATORS = frozenset({"map", "forEach", "flatMap", "filter", "reduce", "some", "every"})
_POOL_CALLS = frozenset({"pMap", "pMapSeries", "mapLimit", "eachLimit", "asyncPool", "mapSeries"})
_COMBINATORS = frozenset({"Promise.all", "Promise.allSettled", "Promise.any", "Promise.race"})
_TRANSPARENT = frozenset(
    {"parenthesized_expression", "non_null_expression", "as_expression", "await_expression"}
)
_QUIET_RETURNS = frozenset({"null", "undefined"})
_CACHE_CLEANUP = frozenset(
    {"del", "unlink", "expire", "expireMany", "revalidatePath", "revalidateTag", "invalidate"}
)


class Unit(Spanned):
    """A top-level function of the file (`async function processUser`, `const run = () => ...`)."""

    name: str


class LocalCall(Spanned):
    """A call of a plain name (`processUser(u)`): how a handler reaches the file's helpers."""

    callee: str
    unit: str | None = None
    per_item: bool = False


class Swallow(Spanned):
    """A catch that only logs (or does nothing) with a failure.

    `guards` are the positions of the outermost calls its try (or the promise its `.catch` is
    chained on) runs: when they are all telemetry, the catch isolates a telemetry call, which is
    what `telemetry-isolation` asks for, not a swallowed item failure.
    """

    kind: Literal["catch", "promise-catch"]
    unit: str | None = None
    per_item: bool = False
    guards: list[tuple[int, int]] = Field(default_factory=list)
    logs: list[str] = Field(default_factory=list)


class Observed(Spanned):
    """A `Promise.allSettled(...)` whose results nobody reads, over promises no catch handles."""

    unit: str | None = None


def _is_function(node: SgNode) -> bool:
    return node.kind() in FUNCTION_KINDS


def _contains(outer: SgNode, inner: SgNode) -> bool:
    a, b = outer.range(), inner.range()
    return a.start.index <= b.start.index and b.end.index <= a.end.index


def _units(root: SgNode) -> Iterator[tuple[str, SgNode]]:
    """Top-level named functions: declarations and `const f = (async) () => ...` bindings (the
    binding's value, so `const GET = withCron(async () => ...)` holds its callback too)."""
    for statement in root.children():
        target = statement
        if statement.kind() == "export_statement":
            inner = statement.field("declaration")
            if inner is None:
                continue
            target = inner
        if target.kind() in ("function_declaration", "generator_function_declaration"):
            name = target.field("name")
            if name is not None:
                yield name.text(), target
        elif target.kind() in ("lexical_declaration", "variable_declaration"):
            for declarator in target.children():
                if declarator.kind() != "variable_declarator":
                    continue
                name = declarator.field("name")
                value = declarator.field("value")
                if name is None or value is None or name.kind() != "identifier":
                    continue
                if _is_function(value) or any(True for _ in _functions_in(value)):
                    yield name.text(), value


def _functions_in(node: SgNode) -> Iterator[SgNode]:
    for kind in ("arrow_function", "function_expression"):
        yield from node.find_all(kind=kind)


def _iteration_callback(function: SgNode) -> bool:
    """A function handed to `.map`/`.forEach`/`pMap(...)`: its body runs once per item."""
    arguments = function.parent()
    call = arguments.parent() if arguments is not None else None
    if arguments is None or call is None or arguments.kind() != "arguments":
        return False
    if call.kind() != "call_expression":
        return False
    name = callee_name(call) or ""
    return (name.rsplit(".", 1)[-1] in _ITERATORS and "." in name) or name in _POOL_CALLS


class _Context:
    def __init__(self, root: SgNode) -> None:
        self.units = list(_units(root))
        self._by_range = {
            (node.range().start.index, node.range().end.index): name for name, node in self.units
        }

    def unit_of(self, node: SgNode) -> tuple[str | None, SgNode | None]:
        for candidate in (node, *node.ancestors()):
            where = candidate.range()
            name = self._by_range.get((where.start.index, where.end.index))
            if name is not None:
                return name, candidate
        return None, None

    def per_item(self, node: SgNode, stop: SgNode | None) -> bool:
        """Inside a loop body or an iteration callback, below `stop` (its top-level unit)."""
        current = node
        for parent in node.ancestors():
            if stop is not None and parent == stop:
                return _is_function(parent) and _iteration_callback(parent)
            if parent.kind() in _LOOPS:
                body = parent.field("body")
                if body is not None and _contains(body, current):
                    return True
            if _is_function(parent) and _iteration_callback(parent):
                return True
            current = parent
        return False


def _unwrap_call(node: SgNode) -> SgNode:
    while node.kind() in _TRANSPARENT:
        inner = [child for child in node.children() if child.is_named()]
        if not inner:
            break
        node = inner[-1]
    return node


def _outer_calls(
    node: SgNode, log_calls: Sequence[str], failure_events: Sequence[str]
) -> list[SgNode]:
    """The calls `node` runs that are not arguments of another call (combinators looked
    through, logging left out): what a try around them actually guards."""
    found: list[SgNode] = []
    for call in node.find_all(kind="call_expression"):
        name = callee_name(call) or ""
        if name in _COMBINATORS or is_log_call(
            name, log_calls=log_calls, failure_events=failure_events
        ):
            continue
        nested = False
        for parent in call.ancestors():
            if parent == node:
                break
            if parent.kind() == "arguments":
                owner = parent.parent()
                owner_name = callee_name(owner) if owner is not None else None
                if owner_name not in _COMBINATORS and not (owner_name or "").endswith(".map"):
                    nested = True
                    break
            if _is_function(parent) and not _iteration_callback(parent):
                nested = True
                break
        function = call.field("function")
        if function is not None and function.kind() == "member_expression":
            prop = function.field("property")
            if prop is not None and prop.text() in ("catch", "then", "finally", "map"):
                continue  # the receiver call is what runs
        if not nested:
            found.append(call)
    return found


def _only_logs(
    body: SgNode | None, log_calls: Sequence[str], failure_events: Sequence[str]
) -> list[str] | None:
    """The log calls of a catch body that does nothing else, else None."""
    if body is None:
        return []
    logs: list[str] = []
    statements = (
        [c for c in body.children() if c.is_named()] if body.kind() == "statement_block" else [body]
    )
    for statement in statements:
        kind = statement.kind()
        if kind in ("comment", "empty_statement", "continue_statement", "break_statement"):
            continue
        if kind == "return_statement":
            values = [c for c in statement.children() if c.is_named()]
            if not values or (
                len(values) == 1 and values[0].kind() in _QUIET_RETURNS | {"undefined"}
            ):
                continue
            if len(values) == 1 and values[0].text() in _QUIET_RETURNS:
                continue
            return None
        expression = statement
        if kind == "expression_statement":
            named = [c for c in statement.children() if c.is_named()]
            if len(named) != 1:
                return None
            expression = named[0]
        expression = _unwrap_call(expression)
        if expression.kind() in _QUIET_RETURNS:
            continue
        if expression.kind() != "call_expression":
            return None
        name = callee_name(expression) or ""
        if not is_log_call(name, log_calls=log_calls, failure_events=failure_events):
            return None
        logs.append(name)
    return logs


def _catch_callback_logs(
    argument: SgNode, log_calls: Sequence[str], failure_events: Sequence[str]
) -> list[str] | None:
    """`.catch(console.error)`, `.catch(() => {})`, `.catch((e) => logger.warn(e))`."""
    name = dotted_name(argument)
    if name is not None:
        return (
            [name]
            if is_log_call(name, log_calls=log_calls, failure_events=failure_events)
            else None
        )
    if not _is_function(argument):
        return None
    return _only_logs(argument.field("body"), log_calls, failure_events)


def _position(node: SgNode) -> tuple[int, int]:
    where = span(node)
    return where.line, where.column


def _is_catch_call(call: SgNode) -> bool:
    """`promise.catch(...)` on any receiver, a call chain included (`send(u).catch(...)`)."""
    function = call.field("function")
    prop = function.field("property") if function is not None else None
    return (
        function is not None
        and function.kind() == "member_expression"
        and (prop is not None and prop.text() == "catch")
    )


def _cache_cleanup(call: SgNode) -> bool:
    """`Promise.allSettled([redis.del(a), redis.del(b)])`: a list of cache deletions and
    expiries only. Best-effort cleanup of keys that expire anyway has no item to lose (dub's CSV
    import cron clears its scratch keys this way)."""
    arguments = call_arguments(call)
    if len(arguments) != 1 or arguments[0].kind() != "array":
        return False
    elements = [e for e in arguments[0].children() if e.is_named() and e.kind() != "comment"]
    return bool(elements) and all(
        _unwrap_call(e).kind() == "call_expression"
        and (callee_name(_unwrap_call(e)) or "").rsplit(".", 1)[-1] in _CACHE_CLEANUP
        for e in elements
    )


def _settled_ignored(call: SgNode) -> bool:
    """The result of this `Promise.allSettled(...)` is dropped or bound to an unread name."""
    node = call
    parent = node.parent()
    while parent is not None and parent.kind() in _TRANSPARENT | {"unary_expression"}:
        if parent.kind() == "unary_expression" and not parent.text().startswith("void"):
            return False
        node, parent = parent, parent.parent()
    if parent is None:
        return False
    if parent.kind() == "expression_statement":
        return True
    if parent.kind() == "variable_declarator":
        name = parent.field("name")
        if name is None or name.kind() != "identifier":
            return False
        scope = next((a for a in parent.ancestors() if _is_function(a)), None)
        if scope is None:
            return False
        uses = [
            ident
            for ident in scope.find_all(kind="identifier")
            if ident.text() == name.text() and ident != name
        ]
        shorthand = [
            ident
            for ident in scope.find_all(kind="shorthand_property_identifier")
            if ident.text() == name.text()
        ]
        return not uses and not shorthand
    return False


def extract_items(
    root: SgNode, log_calls: Sequence[str], failure_events: Sequence[str]
) -> tuple[list[Unit], list[LocalCall], list[Swallow], list[Observed]]:
    """The file's top-level units, plain-name calls, swallowing catches and ignored
    `allSettled` results (see the records)."""
    context = _Context(root)
    units = [Unit(name=name, **span_fields(node)) for name, node in context.units]
    calls: list[LocalCall] = []
    swallows: list[Swallow] = []
    observed: list[Observed] = []
    for call in root.find_all(kind="call_expression"):
        function = call.field("function")
        if function is None:
            continue
        unit, stop = context.unit_of(call)
        if function.kind() == "identifier":
            calls.append(
                LocalCall(
                    callee=function.text(),
                    unit=unit,
                    per_item=context.per_item(call, stop),
                    **span_fields(call),
                )
            )
            continue
        name = callee_name(call) or ""
        if name == "Promise.allSettled" and _settled_ignored(call):
            arguments = call.field("arguments")
            handled = arguments is not None and (
                any(True for _ in arguments.find_all(kind="try_statement"))
                or any(
                    _is_catch_call(inner) for inner in arguments.find_all(kind="call_expression")
                )
            )
            if not handled and not _cache_cleanup(call):
                observed.append(Observed(unit=unit, **span_fields(call)))
            continue
        if function.kind() != "member_expression":
            continue
        prop = function.field("property")
        receiver = function.field("object")
        args = call_arguments(call)
        if prop is None or prop.text() != "catch" or receiver is None or len(args) != 1:
            continue
        logs = _catch_callback_logs(args[0], log_calls, failure_events)
        if logs is None:
            continue
        guarded = _unwrap_call(receiver)
        guards = [_position(guarded)] if guarded.kind() == "call_expression" else []
        swallows.append(
            Swallow(
                kind="promise-catch",
                unit=unit,
                per_item=context.per_item(call, stop),
                guards=guards,
                logs=logs,
                **span_fields(prop),
            )
        )
    for statement in root.find_all(kind="try_statement"):
        handler = statement.field("handler")
        body = statement.field("body")
        if handler is None or body is None:
            continue
        logs = _only_logs(handler.field("body"), log_calls, failure_events)
        if logs is None:
            continue
        unit, stop = context.unit_of(statement)
        catch_keyword = handler.children()[0] if handler.children() else handler
        swallows.append(
            Swallow(
                kind="catch",
                unit=unit,
                per_item=context.per_item(statement, stop),
                guards=[_position(c) for c in _outer_calls(body, log_calls, failure_events)],
                logs=logs,
                **span_fields(catch_keyword),
            )
        )
    return units, calls, swallows, observed
