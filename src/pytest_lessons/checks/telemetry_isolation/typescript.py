"""The TypeScript half of `telemetry-isolation`: `Promise.all` over telemetry, and awaited
telemetry in route handlers, in server code (see the lesson's docstring for both rules)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.telemetry_isolation.options import (
    WRAPPER_DEPTH,
    TelemetryIsolationOptions,
)
from pytest_lessons.checks.typescript_project import TypeScriptProjectHalf
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.typescript.auth_callbacks import AuthCallback, auth_callbacks
from pytest_lessons.lang.typescript.call_reach import CallIndex, Reach, emitting
from pytest_lessons.lang.typescript.emitter_index import EmitterIndex
from pytest_lessons.lang.typescript.project_index import (
    JsContext,
    JsProject,
)
from pytest_lessons.lang.typescript.routes import RouteHandler, route_facts
from pytest_lessons.lang.typescript.runtime import Side, runtime_of
from pytest_lessons.lang.typescript.syntax import root_of, span
from pytest_lessons.lang.typescript.telemetry import (
    CallSite,
    Emission,
    TelemetryFacts,
    telemetry_facts,
    telemetry_markers,
)
from pytest_lessons.source import SourceFile

__all__ = ["HandlerScope", "TypeScriptFacts", "TypeScriptHalf"]


class HandlerScope(Record):
    """Where one route handler's code is: a span of this file, or a function of another."""

    label: str
    """`the POST /api/orders handler`, `server action placeOrder`: for messages."""
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    function: str | None = None
    """A top-level function of this file holding the handler (`export async function POST`)."""
    module: str | None = None
    """The module an imported handler comes from (`export { POST } from "./impl"`)..."""
    imported: str | None = None
    """...and the name it has there."""


class TypeScriptFacts(Record):
    context: JsContext = Field(default_factory=JsContext)
    telemetry: TelemetryFacts | None = None
    side: Side = "unknown"
    handlers: list[HandlerScope] = Field(default_factory=list)
    after_response: list[tuple[int, int]] = Field(default_factory=list)
    """(line, column) of calls that run after the handler already sent its response."""
    subject: bool = False


Rule = Literal["promise-all", "unguarded", "responds", "rethrows"]
Site = Emission | CallSite


def _label(handler: RouteHandler) -> str:
    if handler.framework == "next-server-action":
        return f"server action `{handler.exported_as or handler.handler.name or '?'}`"
    method = "" if handler.method == "ANY" else f" {handler.method}"
    path = f" {handler.path}" if handler.path else ""
    return f"the{method}{path} handler"


def _scopes(handlers: Iterable[RouteHandler]) -> list[HandlerScope]:
    found: dict[tuple[object, ...], HandlerScope] = {}
    for handler in handlers:
        ref = handler.handler
        scope = HandlerScope(
            label=_label(handler),
            line=ref.line,
            column=ref.column,
            end_line=ref.end_line,
            end_column=ref.end_column,
            function=ref.name if ref.kind == "local" else None,
            module=ref.module if ref.kind == "import" else None,
            imported=(ref.imported or ref.name) if ref.kind == "import" else None,
        )
        key = (scope.line, scope.column, scope.function, scope.module, scope.imported)
        found.setdefault(key, scope)
    return list(found.values())


def _callback_scopes(callbacks: Iterable[AuthCallback]) -> list[HandlerScope]:
    """Auth-library callbacks run inside the sign-in request: they are handlers here too."""
    return [
        HandlerScope(
            label=callback.label,
            line=callback.line,
            column=callback.column,
            end_line=callback.end_line,
            end_column=callback.end_column,
            function=callback.function,
            module=callback.module,
            imported=callback.imported,
        )
        for callback in callbacks
    ]


def _inside(scope: HandlerScope, site: Site) -> bool:
    if scope.line is None or scope.end_line is None:
        return False
    start = (scope.line, scope.column or 0)
    end = (scope.end_line, scope.end_column or 0)
    return start <= (site.line, site.column) <= end


def _describe(site: Site) -> str:
    if isinstance(site, Emission):
        receiver = f"{site.receiver}." if site.receiver else ""
        return f"`{receiver}{site.method}()`"
    return f"`{site.callee}()`"


class TypeScriptHalf(TypeScriptProjectHalf[TelemetryIsolationOptions, TypeScriptFacts]):
    facts_model = TypeScriptFacts

    def project_prefilter(self) -> tuple[bytes, ...]:
        """An analytics SDK or client (or a configured emitter) named in some JS/TS file."""
        return telemetry_markers(self.options.extra_emitters)

    def extract_source(self, file: SourceFile, context: JsContext) -> TypeScriptFacts:
        telemetry = telemetry_facts(file, self.options.extra_emitters)
        side = runtime_of(file).side
        handlers = (
            _scopes(route_facts(file).handlers) + _callback_scopes(auth_callbacks(file))
            if side != "client"
            else []
        )
        subject = side != "client" and (
            bool(telemetry.emissions)
            or any(c.in_promise_all for c in telemetry.calls)
            or (bool(handlers) and bool(telemetry.calls))
        )
        sites: list[Site] = [*telemetry.emissions, *telemetry.calls]
        late = _after_response(root_of(file), sites) if handlers else []
        return TypeScriptFacts(
            context=context,
            telemetry=telemetry,
            side=side,
            handlers=handlers,
            after_response=late,
            subject=subject,
        )

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return facts.subject

    def judge(self, facts: Mapping[str, TypeScriptFacts]) -> Iterable[Finding]:
        telemetry = {rel: f.telemetry for rel, f in facts.items() if f.telemetry is not None}
        if not any(t.emissions for t in telemetry.values()):
            return
        project = JsProject.build({rel: f.context for rel, f in facts.items()})
        index = EmitterIndex(telemetry, project.symbols)
        elsewhere = self._imported_handlers(facts, project)
        escapes: dict[tuple[str, str], bool] = {}
        reach = _possible_escapes(index)
        for rel in sorted(telemetry):
            file_facts = facts[rel]
            if file_facts.side == "client":
                continue
            yield from self._judge_file(
                rel, file_facts, index, elsewhere.get(rel, {}), escapes, reach
            )

    def _imported_handlers(
        self, facts: Mapping[str, TypeScriptFacts], project: JsProject
    ) -> dict[str, dict[str, str]]:
        """file -> {function name -> handler label} for handlers defined in another module."""
        found: dict[str, dict[str, str]] = {}
        for rel, file_facts in facts.items():
            for scope in file_facts.handlers:
                if scope.module is None or scope.imported is None:
                    continue
                module = project.symbols.target(rel, scope.module)
                symbol = project.symbols.resolve_export(module, scope.imported) if module else None
                if symbol is None:
                    continue
                name = symbol.name
                if name == "default":
                    target_facts = facts.get(symbol.rel)
                    telemetry = target_facts.telemetry if target_facts else None
                    name = (telemetry.default_export if telemetry else None) or name
                found.setdefault(symbol.rel, {}).setdefault(name, scope.label)
        return found

    def _judge_file(
        self,
        rel: str,
        file_facts: TypeScriptFacts,
        index: EmitterIndex,
        imported: Mapping[str, str],
        escapes: dict[tuple[str, str], bool],
        reach: Reach | None,
    ) -> Iterator[Finding]:
        telemetry = file_facts.telemetry
        assert telemetry is not None
        sites: list[tuple[Site, str | None]] = []
        for emission in telemetry.emissions:
            sites.append((emission, None))
        # any other call's target does not escape (see `_possible_escapes`)
        for call in telemetry.calls if reach is None else reach.calls(rel, telemetry):
            target = index.target(rel, call.callee)
            if target is None or not _wrapper_escapes(index, target, escapes):
                continue
            sites.append((call, f"{target[0]}:{index.facts[target[0]].functions[target[1]].line}"))
        late = {tuple(position) for position in file_facts.after_response}
        for site, wrapper_at in sorted(sites, key=lambda s: (s[0].line, s[0].column)):
            if (site.line, site.column) in late:
                continue  # the response is already sent: a failure here cannot change it
            handler = self._handler_of(site, file_facts, imported)
            rule = self._rule(site, handler is not None, file_facts.side)
            if rule is None:
                continue
            yield self.finding(
                rel,
                site.line,
                site.column,
                _message(rule, site, handler, wrapper_at),
                end_line=site.end_line,
                end_column=site.end_column,
            )

    # -- Python --------------------------------------------------------------------------------

    @staticmethod
    def _handler_of(
        site: Site, file_facts: TypeScriptFacts, imported: Mapping[str, str]
    ) -> str | None:
        for scope in file_facts.handlers:
            if _inside(scope, site) or (
                scope.function is not None and site.in_function == scope.function
            ):
                return scope.label
        if site.in_function is not None and site.in_function in imported:
            return imported[site.in_function]
        return None

    @staticmethod
    def _rule(site: Site, in_handler: bool, side: Side) -> Rule | None:
        if site.deferred or site.has_catch:
            return None
        if site.in_try and site.catch_effect == "swallows":
            return None
        if site.in_promise_all:
            if side == "unknown" and isinstance(site, Emission) and site.emitter == "posthog-js":
                return None  # a browser SDK call in a file of unknown side: not known server code
            return "promise-all"
        if not (in_handler and (site.awaited or site.returned)):
            return None
        if not site.in_try:
            return "unguarded"
        return "responds" if site.catch_effect == "responds" else "rethrows"


_RESPONDERS = ("res", "response", "reply")
_SENDS = frozenset({"json", "send", "end", "sendStatus", "redirect", "sendFile", "render"})
_FUNCTIONS = frozenset(
    {"function_declaration", "function_expression", "arrow_function", "method_definition"}
)


def _sends_response(statement: SgNode) -> bool:
    """`res.json(...);`, `res.status(200).send(...);`, `reply.send(...);` (Express, Pages API,
    Fastify) as a statement of its own: it answers the request whenever it runs. A send inside
    an `if` (`if (!ok) return res.status(400).json(...)`) answers only on that branch."""
    if statement.kind() != "expression_statement":
        return False
    expression = next((c for c in statement.children() if c.is_named()), None)
    if expression is not None and expression.kind() == "await_expression":
        expression = next((c for c in expression.children() if c.is_named()), None)
    for call in [expression] if expression is not None else []:
        if call.kind() != "call_expression":
            continue
        function = call.field("function")
        if function is None or function.kind() != "member_expression":
            continue
        prop = function.field("property")
        root = function.text().split(".", 1)[0].split("(", 1)[0].strip()
        if prop is not None and prop.text() in _SENDS and root in _RESPONDERS:
            return True
    return False


def _after_response(root: SgNode, sites: Iterable[Site]) -> list[tuple[int, int]]:
    """The awaited sites that an earlier statement of the same function already answered for:
    `res.status(200).json(data); await posthog.captureImmediate(...)` cannot fail the request,
    whose response is on its way."""
    wanted = {(s.line, s.column) for s in sites if s.awaited and not s.in_promise_all}
    if not wanted:
        return []
    found: list[tuple[int, int]] = []
    for call in root.find_all(kind="call_expression"):
        where = span(call)
        if (where.line, where.column) not in wanted:
            continue
        node = call
        for parent in call.ancestors():
            if parent.kind() in _FUNCTIONS:
                break
            if parent.kind() == "statement_block":
                before = [
                    sibling
                    for sibling in parent.children()
                    if sibling.is_named() and sibling.range().end.index <= node.range().start.index
                ]
                if any(_sends_response(statement) for statement in before):
                    found.append((where.line, where.column))
                    break
            node = parent
    return found


def _propagates(site: Site) -> bool:
    """A failure of this call leaves the function it sits in: it is awaited (or gathered in a
    `Promise.all`) with no `.catch()`, no swallowing try/catch and no `after()`/`waitUntil()`.
    A call returned as is (`(args) => analytics.track(args)`) hands its rejection to the caller.
    A call that is neither awaited, gathered nor returned (`posthog.capture()` queues an event
    and returns) cannot reject into its caller."""
    if site.deferred or site.swallowed:
        return False
    return site.awaited or site.in_promise_all or site.returned


def _possible_escapes(index: EmitterIndex) -> Reach | None:
    """A superset of the functions `_escapes` holds, and the calls that may lead to one
    (`call_reach`), whatever depth: a function escapes only through an emission of its own
    that `_propagates`, or a call that `_propagates` of a function that escapes."""
    seeds = emitting(index.facts, _propagates)
    return CallIndex.of(index.facts).reach(seeds, _propagates, index.resolver)


def _wrapper_escapes(
    index: EmitterIndex, target: tuple[str, str], known: dict[tuple[str, str], bool]
) -> bool:
    """`_escapes` from the top, asked once per wrapper however many files call it."""
    escapes = known.get(target)
    if escapes is None:
        escapes = known[target] = _escapes(index, target, WRAPPER_DEPTH, set())
    return escapes


def _escapes(
    index: EmitterIndex, target: tuple[str, str], depth: int, seen: set[tuple[str, str]]
) -> bool:
    """Whether calling the function `target` can reject because of telemetry: an emission of
    its own body (a capture, flush or shutdown) or a call of such a function, at most `depth`
    functions deep, whose failure `_propagates`. Wrappers that catch inside are safe to await;
    so are business functions that only queue events (`posthog.capture()` without await)."""
    if depth <= 0 or target in seen:
        return False
    seen.add(target)
    rel, name = target
    facts = index.facts[rel]
    if any(e.in_function == name and _propagates(e) for e in facts.emissions):
        return True
    for call in facts.calls:
        if call.in_function != name or not _propagates(call):
            continue
        inner = index.target(rel, call.callee)
        if inner is not None and _escapes(index, inner, depth - 1, seen):
            return True
    return False


def _message(rule: Rule, site: Site, handler: str | None, wrapper_at: str | None) -> str:
    what = _describe(site)
    if wrapper_at is not None:
        what += f" (an emitter wrapper, {wrapper_at}, that does not catch its own failures)"
    if rule == "promise-all":
        return (
            f"{what} runs inside `Promise.all` without its own `.catch()`: a telemetry outage "
            "rejects the whole `Promise.all` and fails the request with it; use "
            "`Promise.allSettled` or add `.catch()` to the telemetry call"
        )
    where = handler or "a route handler"
    if rule == "unguarded":
        return (
            f"{what} is awaited in {where} outside any try/catch: a telemetry outage would fail "
            "the request; add `.catch()`, wrap it in a try/catch that only logs, or defer it with "
            "`after()`/`waitUntil()`"
        )
    if rule == "responds":
        return (
            f"{what} is awaited in {where} inside a try/catch that answers with an error status: "
            "a telemetry outage would fail the request (a webhook sender retries, a user sees an "
            "error); give the telemetry call its own `.catch()`"
        )
    return (
        f"{what} is awaited in {where} inside a try/catch that rethrows: a telemetry outage "
        "would fail the request; give the telemetry call its own `.catch()`"
    )
