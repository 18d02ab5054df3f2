"""The Python half of `worker-failure-event`: cron and worker routes (FastAPI, Starlette,
Flask, Django, from the route layer), background-job functions (Celery, APScheduler, dramatiq,
or the team's decorators), and the helpers of their module they call."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping, Sequence

from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.worker_failure_event.messages import ignored_message, swallow_message
from pytest_lessons.checks.worker_failure_event.options import WorkerFailureEventOptions
from pytest_lessons.checks.worker_failure_event.python_ast import ast_items
from pytest_lessons.checks.worker_failure_event.python_records import WorkerItems
from pytest_lessons.checks.worker_failure_event.reach import reach
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.schedules import is_worker_path
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.emitter_index import EmitterIndex
from pytest_lessons.lang.python.imports import ImportIndex, resolution_surface
from pytest_lessons.lang.python.route_index import RouteIndex
from pytest_lessons.lang.python.routes import RouteFacts, route_facts
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.telemetry import TelemetryFacts, telemetry_facts
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["PythonFacts", "PythonHalf", "worker_items"]


class PythonFacts(Record):
    surface: ModuleSurface
    routes: RouteFacts = Field(default_factory=RouteFacts)
    telemetry: TelemetryFacts | None = None
    items: WorkerItems = Field(default_factory=WorkerItems)
    sentry: bool = False
    """The module imports sentry-sdk, whose logging integration reports ERROR records."""


def worker_items(
    file: SourceFile, log_calls: Sequence[str], failure_events: Sequence[str]
) -> WorkerItems:
    """The file's worker items: read with `ast`, or with libcst where `ast` cannot parse it
    (newer syntax than the interpreter's, or a real error libcst reports with its position)."""
    try:
        return ast_items(ast_module(file), log_calls, failure_events)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # libcst (a tenth of a second to import) only for a module `ast` cannot read
        from pytest_lessons.checks.worker_failure_event.python_syntax import extract_items

        return extract_items(file.python_metadata(), log_calls, failure_events)


class PythonHalf(Half[WorkerFailureEventOptions, PythonFacts]):
    name = "python"
    facts_model = PythonFacts
    file_kinds = frozenset({FileKind.PYTHON})

    def extract(self, file: SourceFile) -> PythonFacts:
        surface = resolution_surface(file)
        routes = route_facts(file)
        sentry = file.contains_any((b"sentry_sdk",))
        if not file.contains_any((b"except", b"return_exceptions")):
            return PythonFacts(surface=surface, routes=routes, sentry=sentry)
        options = self.options
        items = worker_items(file, options.log_calls, options.failure_events)
        if not (items.swallows or items.ignored):
            return PythonFacts(surface=surface, routes=routes, items=items, sentry=sentry)
        return PythonFacts(
            surface=surface,
            routes=routes,
            telemetry=telemetry_facts(file),
            items=items,
            sentry=sentry,
        )

    def is_subject(self, facts: PythonFacts) -> bool:
        return bool(facts.items.swallows or facts.items.ignored)

    def judge(self, facts: Mapping[str, PythonFacts]) -> Iterator[Finding]:
        if not any(f.items.swallows or f.items.ignored for f in facts.values()):
            return
        imports = ImportIndex({rel: f.surface for rel, f in facts.items()})
        entries: dict[str, dict[str, str]] = {}
        routes = RouteIndex({rel: f.routes for rel, f in facts.items()}, imports)
        for resolved in routes.resolved_routes():
            route = resolved.route
            if not route.endpoint_defined or not is_worker_path(
                resolved.display_path, (), self.options.worker_paths
            ):
                continue
            key = f"{route.class_name}.{route.function}" if route.class_name else route.function
            methods = "/".join(route.methods)
            label = f"the {methods} {resolved.display_path} handler".replace("  ", " ")
            entries.setdefault(resolved.rel, {}).setdefault(key, label)
        globs = self.options.worker_decorators
        for rel, file_facts in facts.items():
            for unit in file_facts.items.units:
                if unit.scheduled or any(
                    fnmatch.fnmatchcase(d, g) for d in unit.decorators for g in globs
                ):
                    entries.setdefault(rel, {}).setdefault(
                        unit.name, f"background job `{unit.name}`"
                    )
        if not entries:
            return
        telemetry = {rel: f.telemetry for rel, f in facts.items() if f.telemetry is not None}
        index = EmitterIndex(telemetry, imports)
        sentry = any(f.sentry for f in facts.values())
        for rel in sorted(entries):
            yield from self._judge_file(rel, facts[rel], entries[rel], index, sentry)

    def _judge_file(
        self,
        rel: str,
        facts: PythonFacts,
        entries: Mapping[str, str],
        index: EmitterIndex,
        sentry: bool,
    ) -> Iterator[Finding]:
        items = facts.items
        units = {unit.name for unit in items.units}
        per_item: set[str] = set()
        reached = reach(entries.items(), items.calls, units, per_item)
        telemetry: set[tuple[int, int]] = set()
        if facts.telemetry is not None:
            telemetry = {(e.line, e.column) for e in index.emissions(rel)}
            telemetry |= {
                (c.line, c.column)
                for c in facts.telemetry.calls
                if index.wrapper_summary(rel, c) is not None
            }
        for swallow in items.swallows:
            owner = reached.get(swallow.unit or "")
            if owner is None or not (swallow.per_item or swallow.unit in per_item):
                continue
            if sentry and swallow.error_logs:
                continue  # sentry-sdk's logging integration reports this record as an event
            if swallow.guards and all(tuple(g) in telemetry for g in swallow.guards):
                continue
            yield self.finding(
                rel,
                swallow.line,
                swallow.column,
                swallow_message("except", swallow.logs, owner, "Python"),
                end_line=swallow.end_line,
                end_column=swallow.end_column,
            )
        for ignored in items.ignored:
            owner = reached.get(ignored.unit or "")
            if owner is None:
                continue
            yield self.finding(
                rel,
                ignored.line,
                ignored.column,
                ignored_message("`asyncio.gather(..., return_exceptions=True)`", owner, "Python"),
                end_line=ignored.end_line,
                end_column=ignored.end_column,
            )
