"""The TypeScript half of `worker-failure-event`: cron and worker route handlers (Next.js,
Express, Hono, Fastify, from the route layer) and the helpers of their file they call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from pydantic import Field

from pytest_lessons.checks.typescript_project import TypeScriptProjectHalf
from pytest_lessons.checks.worker_failure_event.messages import ignored_message, swallow_message
from pytest_lessons.checks.worker_failure_event.options import WorkerFailureEventOptions
from pytest_lessons.checks.worker_failure_event.reach import reach
from pytest_lessons.checks.worker_failure_event.typescript_syntax import (
    LocalCall,
    Observed,
    Swallow,
    Unit,
    extract_items,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.schedules import is_worker_path
from pytest_lessons.lang.typescript.emitter_index import EmitterIndex
from pytest_lessons.lang.typescript.project_index import JsContext, JsProject
from pytest_lessons.lang.typescript.routes import RouteHandler, route_facts
from pytest_lessons.lang.typescript.runtime import runtime_of
from pytest_lessons.lang.typescript.syntax import root_of
from pytest_lessons.lang.typescript.telemetry import TelemetryFacts, telemetry_facts
from pytest_lessons.source import SourceFile

__all__ = ["TypeScriptFacts", "TypeScriptHalf"]


class Handler(Record):
    """A route handler of this file: its path (to tell a worker) and where its code is."""

    label: str
    path: str | None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    function: str | None = None


class TypeScriptFacts(Record):
    context: JsContext = Field(default_factory=JsContext)
    telemetry: TelemetryFacts | None = None
    handlers: list[Handler] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    calls: list[LocalCall] = Field(default_factory=list)
    swallows: list[Swallow] = Field(default_factory=list)
    ignored: list[Observed] = Field(default_factory=list)


def _handler(route: RouteHandler) -> Handler:
    method = "" if route.method == "ANY" else f" {route.method}"
    path = f" {route.path}" if route.path else ""
    ref = route.handler
    return Handler(
        label=f"the{method}{path} handler",
        path=route.path,
        line=ref.line,
        column=ref.column,
        end_line=ref.end_line,
        end_column=ref.end_column,
        function=ref.name if ref.kind == "local" else None,
    )


Span = tuple[tuple[int, int], tuple[int, int]]


def _inside(spans: Iterable[Span], line: int, column: int) -> bool:
    return any(start <= (line, column) <= end for start, end in spans)


class TypeScriptHalf(TypeScriptProjectHalf[WorkerFailureEventOptions, TypeScriptFacts]):
    facts_model = TypeScriptFacts

    def extract_source(self, file: SourceFile, context: JsContext) -> TypeScriptFacts:
        telemetry = telemetry_facts(file)
        routes = route_facts(file).handlers
        if not routes or runtime_of(file).side == "client":
            return TypeScriptFacts(context=context, telemetry=telemetry)
        if not file.contains_any((b"catch", b"allSettled")):
            return TypeScriptFacts(context=context, telemetry=telemetry)
        options = self.options
        units, calls, swallows, ignored = extract_items(
            root_of(file), options.log_calls, options.failure_events
        )
        return TypeScriptFacts(
            context=context,
            telemetry=telemetry,
            handlers=[_handler(route) for route in routes],
            units=units,
            calls=calls,
            swallows=swallows,
            ignored=ignored,
        )

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return bool(facts.swallows or facts.ignored)

    def judge(self, facts: Mapping[str, TypeScriptFacts]) -> Iterator[Finding]:
        if not any(f.swallows or f.ignored for f in facts.values()):
            return
        project = JsProject.build({rel: f.context for rel, f in facts.items()})
        telemetry = {rel: f.telemetry for rel, f in facts.items() if f.telemetry is not None}
        index = EmitterIndex(telemetry, project.symbols)
        for rel in sorted(facts):
            file_facts = facts[rel]
            workers = [
                h
                for h in file_facts.handlers
                if is_worker_path(h.path, project.cron_paths, self.options.worker_paths)
            ]
            if workers:
                yield from self._judge_file(rel, file_facts, workers, index)

    def _judge_file(
        self, rel: str, facts: TypeScriptFacts, workers: list[Handler], index: EmitterIndex
    ) -> Iterator[Finding]:
        units = {unit.name: unit for unit in facts.units}
        spans: list[Span] = []
        labels: list[tuple[Span, str]] = []
        frontier: list[tuple[str, str]] = []
        for worker in workers:
            if worker.line is not None and worker.end_line is not None:
                where: Span = (
                    (worker.line, worker.column or 0),
                    (worker.end_line, worker.end_column or 0),
                )
                spans.append(where)
                labels.append((where, worker.label))
            if worker.function is not None:
                frontier.append((worker.function, worker.label))
        per_item_units: set[str] = set()
        for call in facts.calls:
            if _inside(spans, call.line, call.column) and call.callee in units:
                frontier.append((call.callee, _label_at(labels, call.line, call.column)))
                if call.per_item:
                    per_item_units.add(call.callee)
        reached = reach(frontier, facts.calls, units, per_item_units)
        emissions = {
            (e.line, e.column) for e in (facts.telemetry.emissions if facts.telemetry else [])
        }
        wrappers = {
            (c.line, c.column)
            for c in (facts.telemetry.calls if facts.telemetry else [])
            if index.is_wrapper(rel, c.callee)
        }
        telemetry = emissions | wrappers

        def scope(line: int, column: int, unit: str | None) -> str | None:
            if _inside(spans, line, column):
                return _label_at(labels, line, column)
            return reached.get(unit or "")

        for swallow in facts.swallows:
            owner = scope(swallow.line, swallow.column, swallow.unit)
            if owner is None:
                continue
            if not (swallow.per_item or (swallow.unit in per_item_units)):
                continue
            if swallow.guards and all(tuple(g) in telemetry for g in swallow.guards):
                continue  # a catch around telemetry alone isolates it (telemetry-isolation)
            yield self.finding(
                rel,
                swallow.line,
                swallow.column,
                swallow_message(swallow.kind, swallow.logs, owner, "TypeScript"),
                end_line=swallow.end_line,
                end_column=swallow.end_column,
            )
        for settled in facts.ignored:
            owner = scope(settled.line, settled.column, settled.unit)
            if owner is None:
                continue
            yield self.finding(
                rel,
                settled.line,
                settled.column,
                ignored_message("`Promise.allSettled(...)`", owner, "TypeScript"),
                end_line=settled.end_line,
                end_column=settled.end_column,
            )


def _label_at(labels: Iterable[tuple[Span, str]], line: int, column: int) -> str:
    for (start, end), label in labels:
        if start <= (line, column) <= end:
            return label
    return "a cron or worker handler"
