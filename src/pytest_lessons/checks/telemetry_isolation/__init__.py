"""`telemetry-isolation`: a telemetry call whose failure can take the request down with it.

In the reorder-experiment postmortem a worker route ran
`await Promise.all([trackReminderTriggered(), trackReminderDelivered()])`; when PostHog was
unavailable the wrappers threw, `Promise.all` rejected, the worker answered 500 and the cron
counted a failed run although every database write had succeeded. Telemetry is a side effect
the user never asked for: its outage must never decide the status of a request.

Two rules, for server code only (a file `runtime_of` calls client is skipped: a browser-side
capture cannot fail a request):

* **(a) `Promise.all`**: a telemetry call (a direct emission, `flush`/`shutdown` included, or a
  call of an emitter wrapper that does not catch inside its own body) that is an element of the
  array handed to `Promise.all`, written in the literal or returned by a `.map(...)` callback,
  without its own `.catch(...)`. The finding sits on the telemetry call, not on the
  `Promise.all`: that is the line the fix touches (add `.catch`, or switch the combinator), and a
  `Promise.all` over several calls gets one finding per unprotected call. Anywhere in server
  code, not only in handlers: a helper that rejects hands the failure to whoever awaits it.
* **(b) awaited in a handler**: an awaited telemetry call in a route handler (Next.js App Router
  and Pages API handlers, Express/Hono/Fastify registrations, server actions) that no try/catch
  isolates: outside any try, or inside a try whose catch rethrows or answers 4xx/5xx (a webhook
  sender retries, a user sees an error). A handler re-exported from another module is followed
  to the function that defines it.

Fine: `Promise.allSettled`, a per-call `.catch()`, a try/catch whose catch neither rethrows nor
answers with an error (it logs and carries on), a call inside `after(...)`/`waitUntil(...)` (the
response is already on its way), and a wrapper whose own body catches every telemetry failure
(followed across files through `EmitterIndex`: many real `track()` helpers swallow errors, so
`await track()` is safe there). A `Promise.all` inside a try whose catch swallows is fine too:
the failure stops there.

Found hunting false positives in real code (each is a `good/` example):

* A wrapper counts only when a telemetry failure can leave it: its body awaits (or gathers in a
  `Promise.all`) an emission or another such wrapper, at most three functions deep, without
  catching. Business functions that also queue an event (`posthog.capture()` without await, as
  in rallly's Stripe webhook mutations) cannot reject because of it, and awaiting them in a
  handler whose catch answers 400 is not a telemetry risk. Conversely a helper that only awaits
  `flush()` (rallly's `flushPostHog()`) is a wrapper although it sends no event.
* Express/Pages/Fastify handlers that already sent the response (`res.status(200).json(data);`
  as a statement of its own, earlier in an enclosing block) before awaiting telemetry: the
  failure can no longer change the status. A send inside an `if` does not count.

Known gaps: handlers that the route layer does not recognise (Vercel root `api/*.js`
functions, Cloudflare `onRequestPost`), server-component pages awaiting `shutdown()`, and
wrappers that reject through a hand-made `new Promise` around a callback-style `flush(cb)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

from ast_grep_py import SgNode
from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.checks.base import Check
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.emitter_index import PyEmitterIndex
from pytest_lessons.lang.python.imports import PythonImportIndex, module_surface
from pytest_lessons.lang.python.markers import telemetry_markers
from pytest_lessons.lang.python.routes import PyRoute
from pytest_lessons.lang.python.routes import route_facts as py_route_facts
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.telemetry import (
    PyCallSite,
    PyEmission,
    PyTelemetryFacts,
    py_telemetry_facts,
)
from pytest_lessons.lang.typescript.emitter_index import EmitterIndex
from pytest_lessons.lang.typescript.project_index import (
    JsContext,
    JsProject,
    is_context_file,
    js_context,
)
from pytest_lessons.lang.typescript.routes import RouteHandler, route_facts
from pytest_lessons.lang.typescript.runtime import Side, runtime_of
from pytest_lessons.lang.typescript.syntax import root_of, span
from pytest_lessons.lang.typescript.telemetry import (
    CallSite,
    Emission,
    TelemetryFacts,
    telemetry_facts,
)
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = [
    "HandlerScope",
    "TelemetryIsolation",
    "TelemetryIsolationFacts",
    "TelemetryIsolationOptions",
]


class TelemetryIsolationOptions(LessonOptions):
    extra_emitters: tuple[str, ...]
    """Dotted names of calls that send telemetry besides the known SDKs (`metrics.send`)."""


class HandlerScope(BaseModel):
    """Where one route handler's code is: a span of this file, or a function of another."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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


class PyHandler(BaseModel):
    """A Python route handler: `function` is its key in this file (`create`, `OrderView.post`)
    when `local`, else the dotted name the route registers (`views.create`), resolved at judge
    time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    function: str
    local: bool = True


class PyIsolationFacts(BaseModel):
    """The facts of one Python file: its surface (to follow imports), telemetry and handlers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    surface: ModuleSurface
    telemetry: PyTelemetryFacts
    handlers: list[PyHandler] = Field(default_factory=list)


class TelemetryIsolationFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    context: JsContext = Field(default_factory=JsContext)
    telemetry: TelemetryFacts | None = None
    side: Side = "unknown"
    handlers: list[HandlerScope] = Field(default_factory=list)
    after_response: list[tuple[int, int]] = Field(default_factory=list)
    """(line, column) of calls that run after the handler already sent its response."""
    subject: bool = False
    python: PyIsolationFacts | None = None
    """Set for Python files only (then every other field keeps its default)."""


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


class TelemetryIsolation(Check[TelemetryIsolationOptions, TelemetryIsolationFacts]):
    options_model = TelemetryIsolationOptions
    facts_model = TelemetryIsolationFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT, FileKind.JSON, FileKind.PYTHON})
    prefilter = ()

    def project_prefilter(self) -> Mapping[FileKind, tuple[bytes, ...]]:
        """The Python side needs an analytics SDK (or a configured emitter) named somewhere."""
        return {FileKind.PYTHON: telemetry_markers(self.options.extra_emitters)}

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        """Every JS/TS and Python file (wrappers and constants live anywhere) and the JSON
        files resolution needs."""
        return file.kind is FileKind.PYTHON or is_context_file(file)

    def extract(self, file: SourceFile) -> TelemetryIsolationFacts:
        if file.kind is FileKind.PYTHON:
            return self._extract_python(file)
        context = js_context(file)
        if file.kind is not FileKind.TYPESCRIPT:
            return TelemetryIsolationFacts(context=context)
        telemetry = telemetry_facts(file, self.options.extra_emitters)
        side = runtime_of(file).side
        handlers = _scopes(route_facts(file).handlers) if side != "client" else []
        subject = side != "client" and (
            bool(telemetry.emissions)
            or any(c.in_promise_all for c in telemetry.calls)
            or (bool(handlers) and bool(telemetry.calls))
        )
        sites: list[Site] = [*telemetry.emissions, *telemetry.calls]
        late = _after_response(root_of(file), sites) if handlers else []
        return TelemetryIsolationFacts(
            context=context,
            telemetry=telemetry,
            side=side,
            handlers=handlers,
            after_response=late,
            subject=subject,
        )

    def _extract_python(self, file: SourceFile) -> TelemetryIsolationFacts:
        telemetry = py_telemetry_facts(file, self.options.extra_emitters)
        handlers = [_py_handler(route) for route in py_route_facts(file).routes]
        subject = (
            bool(telemetry.emissions)
            or any(c.gather is not None for c in telemetry.calls)
            or (bool(handlers) and any(c.awaited for c in telemetry.calls))
        )
        return TelemetryIsolationFacts(
            python=PyIsolationFacts(
                surface=module_surface(file), telemetry=telemetry, handlers=handlers
            ),
            subject=subject,
        )

    def is_subject(self, facts: TelemetryIsolationFacts) -> bool:
        return facts.subject

    def judge(self, facts: Mapping[str, TelemetryIsolationFacts]) -> Iterable[Finding]:
        python = {rel: f.python for rel, f in facts.items() if f.python is not None}
        yield from self._judge_python(python)
        scripts = {rel: f for rel, f in facts.items() if f.python is None}
        yield from self._judge_scripts(scripts)

    def _judge_scripts(self, facts: Mapping[str, TelemetryIsolationFacts]) -> Iterable[Finding]:
        telemetry = {rel: f.telemetry for rel, f in facts.items() if f.telemetry is not None}
        if not any(t.emissions for t in telemetry.values()):
            return
        project = JsProject.build({rel: f.context for rel, f in facts.items()})
        index = EmitterIndex(telemetry, project.symbols)
        elsewhere = self._imported_handlers(facts, project)
        for rel in sorted(telemetry):
            file_facts = facts[rel]
            if file_facts.side == "client":
                continue
            yield from self._judge_file(rel, file_facts, index, elsewhere.get(rel, {}))

    def _imported_handlers(
        self, facts: Mapping[str, TelemetryIsolationFacts], project: JsProject
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
        file_facts: TelemetryIsolationFacts,
        index: EmitterIndex,
        imported: Mapping[str, str],
    ) -> Iterator[Finding]:
        assert file_facts.telemetry is not None
        sites: list[tuple[Site, str | None]] = []
        for emission in file_facts.telemetry.emissions:
            sites.append((emission, None))
        for call in file_facts.telemetry.calls:
            target = index.target(rel, call.callee)
            if target is None or not _escapes(index, target, _WRAPPER_DEPTH, set()):
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

    def _judge_python(self, facts: Mapping[str, PyIsolationFacts]) -> Iterator[Finding]:
        if not any(f.telemetry.emissions or f.telemetry.calls for f in facts.values()):
            return
        imports = PythonImportIndex({rel: f.surface for rel, f in facts.items()})
        index = PyEmitterIndex({rel: f.telemetry for rel, f in facts.items()}, imports)
        if not any(index.emissions(rel) for rel in facts):
            return
        handlers = _py_handlers(facts, imports)
        for rel in sorted(facts):
            yield from self._judge_python_file(rel, facts[rel], index, handlers.get(rel, {}))

    def _judge_python_file(
        self,
        rel: str,
        file_facts: PyIsolationFacts,
        index: PyEmitterIndex,
        handlers: Mapping[str, str],
    ) -> Iterator[Finding]:
        sites: list[tuple[PyEmission | PyCallSite, str | None]] = [
            (emission, None) for emission in index.emissions(rel)
        ]
        for call in file_facts.telemetry.calls:
            if index.is_call_of_client(rel, call):
                continue
            target = index.target(rel, call)
            if target is None or not _py_escapes(index, target, _WRAPPER_DEPTH, set()):
                continue
            sites.append((call, f"{target[0]}:{index.facts[target[0]].functions[target[1]].line}"))
        gathers = file_facts.telemetry.gathers
        for site, wrapper_at in sorted(sites, key=lambda s: (s[0].line, s[0].column)):
            if site.deferred:
                continue  # create_task / add_task: outside the request's await chain
            what = _py_describe(site, wrapper_at)
            if site.gather is not None:
                gather = gathers[site.gather]
                if gather.return_exceptions or gather.catch_effect == "swallows":
                    continue
                message = _py_gather_message(what)
            else:
                handler = handlers.get(site.in_function or "")
                if handler is None or site.nested or not site.awaited or site.caught:
                    continue
                message = _py_handler_message(what, handler, site)
            yield self.finding(
                rel,
                site.line,
                site.column,
                message,
                end_line=site.end_line,
                end_column=site.end_column,
            )

    @staticmethod
    def _handler_of(
        site: Site, file_facts: TelemetryIsolationFacts, imported: Mapping[str, str]
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
        if not (in_handler and site.awaited):
            return None
        if not site.in_try:
            return "unguarded"
        return "responds" if site.catch_effect == "responds" else "rethrows"


_WRAPPER_DEPTH = 3
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
    A call that is neither awaited nor gathered (`posthog.capture()` queues an event and returns)
    cannot reject into its caller."""
    if site.deferred or site.swallowed:
        return False
    return site.awaited or site.in_promise_all


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


# --- Python ----------------------------------------------------------------------------------


def _py_handler(route: PyRoute) -> PyHandler:
    methods = "/".join(route.methods) if route.methods else ""
    path = route.path or route.route_path or route.path_expr or ""
    words = " ".join(part for part in (methods, path) if part)
    label = f"the {words} handler" if words else f"handler `{route.function}`"
    if not route.endpoint_defined:
        return PyHandler(label=label, function=route.function, local=False)
    key = f"{route.class_name}.{route.function}" if route.class_name else route.function
    return PyHandler(label=label, function=key)


def _py_handlers(
    facts: Mapping[str, PyIsolationFacts], imports: PythonImportIndex
) -> dict[str, dict[str, str]]:
    """file -> {function key -> handler label}, endpoints registered by name in another
    module (`app.add_api_route("/x", views.create)`) followed to the module defining them."""
    found: dict[str, dict[str, str]] = {}
    for rel, file_facts in facts.items():
        for handler in file_facts.handlers:
            if handler.local:
                found.setdefault(rel, {}).setdefault(handler.function, handler.label)
                continue
            target = imports.resolve(rel, handler.function)
            if target is not None and not target[0].endswith("/"):
                found.setdefault(target[0], {}).setdefault(target[1], handler.label)
    return found


def _py_fails_out(site: PyEmission | PyCallSite, index: PyEmitterIndex, rel: str) -> bool:
    """A failure of this call leaves its function: awaited, or gathered without
    `return_exceptions=True`, and not caught around it nor deferred to a task."""
    if site.deferred or site.nested or site.caught:
        return False
    if site.gather is not None:
        gather = index.facts[rel].gathers[site.gather]
        return not gather.return_exceptions and gather.catch_effect != "swallows"
    return site.awaited


def _py_escapes(
    index: PyEmitterIndex, target: tuple[str, str], depth: int, seen: set[tuple[str, str]]
) -> bool:
    """Whether awaiting the coroutine function `target` can raise because of telemetry: its body
    awaits (or gathers) an emission or another such function, at most `depth` deep, without a
    catching try. A wrapper around sync `posthog.capture()` only queues the event, so it cannot."""
    if depth <= 0 or target in seen:
        return False
    seen.add(target)
    rel, name = target
    function = index.facts[rel].functions.get(name)
    if function is None or not function.is_async:
        return False
    for emission in index.emissions(rel):
        if emission.in_function == name and _py_fails_out(emission, index, rel):
            return True
    for call in index.facts[rel].calls:
        if call.in_function != name or not _py_fails_out(call, index, rel):
            continue
        inner = index.target(rel, call)
        if inner is not None and _py_escapes(index, inner, depth - 1, seen):
            return True
    return False


def _py_describe(site: PyEmission | PyCallSite, wrapper_at: str | None) -> str:
    if isinstance(site, PyEmission):
        called = f"{site.receiver}.{site.method}" if site.receiver else site.method
        return f"`{site.via}({called}, ...)`" if site.via else f"`{called}()`"
    if wrapper_at is None:
        return f"`{site.callee}()`"
    return (
        f"`{site.callee}()` (an emitter wrapper, {wrapper_at}, that does not catch its own "
        "failures)"
    )


def _py_gather_message(what: str) -> str:
    return (
        f"{what} runs inside `asyncio.gather(...)` without `return_exceptions=True`: a "
        "telemetry outage raises out of the gather and fails the request with it, discarding "
        "the work beside it; pass `return_exceptions=True` or catch inside the telemetry call"
    )


def _py_handler_message(what: str, handler: str, site: PyEmission | PyCallSite) -> str:
    if site.catch_effect == "responds":
        return (
            f"{what} is awaited in {handler} inside a try/except that answers with an error "
            "status: a telemetry outage would fail the request; give the telemetry call its own "
            "try/except that only logs"
        )
    if site.catch_effect == "rethrows":
        return (
            f"{what} is awaited in {handler} inside a try/except that re-raises: a telemetry "
            "outage would fail the request; give the telemetry call its own try/except that "
            "only logs"
        )
    narrow = f" (`{site.narrow}` around it cannot catch a network error)" if site.narrow else ""
    return (
        f"{what} is awaited in {handler} outside any try/except that catches it{narrow}: a "
        "telemetry outage would fail the request; wrap it in `try/except Exception` that only "
        "logs, or move it off the request with `asyncio.create_task(...)` or "
        "`BackgroundTasks.add_task(...)`"
    )
