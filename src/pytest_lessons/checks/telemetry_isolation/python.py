"""The Python half of `telemetry-isolation`: `asyncio.gather` over telemetry without
`return_exceptions=True`, and awaited telemetry in a route handler that no `try` isolates.

Every Python module is read, since a wrapper (`await track(...)`) may be defined in any of them;
the telemetry layer follows it across modules (`lang.python.emitter_index`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.telemetry_isolation.options import (
    WRAPPER_DEPTH,
    TelemetryIsolationOptions,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.emitter_index import EmitterIndex
from pytest_lessons.lang.python.imports import ImportIndex, resolution_surface
from pytest_lessons.lang.python.markers import telemetry_markers
from pytest_lessons.lang.python.routes import Route, route_facts
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.telemetry import (
    CallSite,
    Emission,
    TelemetryFacts,
    telemetry_facts,
)
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonFacts", "PythonHalf"]


class Handler(Record):
    """A Python route handler: `function` is its key in this file (`create`, `OrderView.post`)
    when `local`, else the dotted name the route registers (`views.create`), resolved at judge
    time."""

    label: str
    function: str
    local: bool = True


class PythonFacts(Record):
    """The facts of one Python file: its surface (to follow imports), telemetry and handlers."""

    surface: ModuleSurface
    telemetry: TelemetryFacts
    handlers: list[Handler] = Field(default_factory=list)
    subject: bool = False


class PythonHalf(Half[TelemetryIsolationOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})

    def project_prefilter(self) -> tuple[bytes, ...]:
        """An analytics SDK (or a configured emitter) named somewhere."""
        return telemetry_markers(self.options.extra_emitters)

    def extract(self, file: SourceFile) -> PythonFacts:
        telemetry = telemetry_facts(file, self.options.extra_emitters)
        handlers = [_handler(route) for route in route_facts(file).routes]
        subject = (
            bool(telemetry.emissions)
            or any(c.gather is not None for c in telemetry.calls)
            or (bool(handlers) and any(c.awaited for c in telemetry.calls))
        )
        return PythonFacts(
            surface=resolution_surface(file),
            telemetry=telemetry,
            handlers=handlers,
            subject=subject,
        )

    def is_subject(self, facts: PythonFacts) -> bool:
        return facts.subject

    def judge(self, facts: Mapping[str, PythonFacts]) -> Iterator[Finding]:
        if not any(f.telemetry.emissions or f.telemetry.calls for f in facts.values()):
            return
        imports = ImportIndex({rel: f.surface for rel, f in facts.items()})
        index = EmitterIndex({rel: f.telemetry for rel, f in facts.items()}, imports)
        if not any(index.emissions(rel) for rel in facts):
            return
        handlers = _handlers(facts, imports)
        escapes: dict[tuple[str, str], bool] = {}
        for rel in sorted(facts):
            if not facts[rel].telemetry.gathers and rel not in handlers:
                continue  # neither rule can fire here: no gather, no handler
            yield from self._judge_file(rel, facts[rel], index, handlers.get(rel, {}), escapes)

    def _judge_file(
        self,
        rel: str,
        file_facts: PythonFacts,
        index: EmitterIndex,
        handlers: Mapping[str, str],
        escapes: dict[tuple[str, str], bool],
    ) -> Iterator[Finding]:
        sites: list[tuple[Emission | CallSite, str | None]] = [
            (emission, None) for emission in index.emissions(rel)
        ]
        for call in file_facts.telemetry.calls:
            if index.is_call_of_client(rel, call):
                continue
            target = index.target(rel, call)
            if target is None or not _wrapper_escapes(index, target, escapes):
                continue
            sites.append((call, f"{target[0]}:{index.facts[target[0]].functions[target[1]].line}"))
        gathers = file_facts.telemetry.gathers
        for site, wrapper_at in sorted(sites, key=lambda s: (s[0].line, s[0].column)):
            if site.deferred:
                continue  # create_task / add_task: outside the request's await chain
            what = _describe(site, wrapper_at)
            if site.gather is not None:
                gather = gathers[site.gather]
                if gather.return_exceptions or gather.catch_effect == "swallows":
                    continue
                message = _gather_message(what)
            else:
                handler = handlers.get(site.in_function or "")
                if handler is None or site.nested or not site.awaited or site.caught:
                    continue
                message = _handler_message(what, handler, site)
            yield self.finding(
                rel,
                site.line,
                site.column,
                message,
                end_line=site.end_line,
                end_column=site.end_column,
            )


def _handler(route: Route) -> Handler:
    methods = "/".join(route.methods) if route.methods else ""
    path = route.path or route.route_path or route.path_expr or ""
    words = " ".join(part for part in (methods, path) if part)
    label = f"the {words} handler" if words else f"handler `{route.function}`"
    if not route.endpoint_defined:
        return Handler(label=label, function=route.function, local=False)
    key = f"{route.class_name}.{route.function}" if route.class_name else route.function
    return Handler(label=label, function=key)


def _handlers(facts: Mapping[str, PythonFacts], imports: ImportIndex) -> dict[str, dict[str, str]]:
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


def _fails_out(site: Emission | CallSite, index: EmitterIndex, rel: str) -> bool:
    """A failure of this call leaves its function: awaited, or gathered without
    `return_exceptions=True`, and not caught around it nor deferred to a task."""
    if site.deferred or site.nested or site.caught:
        return False
    if site.gather is not None:
        gather = index.facts[rel].gathers[site.gather]
        return not gather.return_exceptions and gather.catch_effect != "swallows"
    return site.awaited


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
        if emission.in_function == name and _fails_out(emission, index, rel):
            return True
    for call in index.facts[rel].calls:
        if call.in_function != name or not _fails_out(call, index, rel):
            continue
        inner = index.target(rel, call)
        if inner is not None and _escapes(index, inner, depth - 1, seen):
            return True
    return False


def _describe(site: Emission | CallSite, wrapper_at: str | None) -> str:
    if isinstance(site, Emission):
        called = f"{site.receiver}.{site.method}" if site.receiver else site.method
        return f"`{site.via}({called}, ...)`" if site.via else f"`{called}()`"
    if wrapper_at is None:
        return f"`{site.callee}()`"
    return (
        f"`{site.callee}()` (an emitter wrapper, {wrapper_at}, that does not catch its own "
        "failures)"
    )


def _gather_message(what: str) -> str:
    return (
        f"{what} runs inside `asyncio.gather(...)` without `return_exceptions=True`: a "
        "telemetry outage raises out of the gather and fails the request with it, discarding "
        "the work beside it; pass `return_exceptions=True` or catch inside the telemetry call"
    )


def _handler_message(what: str, handler: str, site: Emission | CallSite) -> str:
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
