"""`single-emission-source`: one analytics event sent from both server and client code.

The reorder experiment's North Star metric was doubled because `order_placed` was captured by
posthog-node in `app/api/reorder-events/route.ts` and again by posthog-js in the reorder page's
`useEffect`: every reorder was counted twice. This lesson joins the emission sites of the whole
project (`js.telemetry.EmitterIndex`, which follows wrappers across files and resolves event names
held in constants, `as const` maps and enums) and gives every site a side.

Sites and sides:

* A site is where the event NAME is fixed: a capture with a literal or constant name
  (`posthog.capture("order_placed")`, `client.capture({ event: EVENTS.ORDER_PLACED })`), or a call
  of a generic wrapper that passes the name (`track("order_placed")`). A wrapper with its event
  fixed inside (`trackOrderPlaced()`) is reported at its capture, which is the line to change; its
  call sites are not sites of their own. Reporting every transitive caller instead floods real
  code (formbricks: one server-side `subscription_updated` capture reached through billing
  getters gave 600+ findings), and the SDK at the capture, not the caller, decides where it runs.
* A site's side is its file's (`js.runtime.runtime_of`), with three per-site overrides: a
  posthog-node capture is server code (the Node SDK cannot run in a browser), a capture inside a
  Pages Router `getServerSideProps`/`getStaticProps` runs on the server although the page is
  client code, and a call of a server action (a function of a `'use server'` file, see
  `EmitterIndex.server_action`) runs on the server although a client component makes it.
* A file with no signal ("unknown") takes the side all its runtime importers agree on (a
  `components/` module only client files import is client code; iterated along chains; `import
  type` loads nothing and does not count). A site still unknown then takes the sides of the
  callers of its function (through fixed-event wrapper calls, any depth): a helper without a side
  called from a route and from a client component is one site on both sides. A site with no side
  at all counts for `north-star`, but never makes an event "both sides".
* Calls that reach an event only through a server action are not sites: the action's capture is.

Rules: an event with a client site and a server site (and not listed in `allow-both-sides`) is a
finding at every client and server site, each naming the other side's sites. A `north-star`
event must have exactly one site anywhere: with two or more, every site is a finding naming the
others (this wins over `allow-both-sides`). Dynamic event names are ignored.

Python: a Python module is backend code, so every Python site is a server site
(`py.telemetry.PyEmitterIndex`: posthog-python `capture` in both the old `capture(distinct_id,
event)` and the new `capture(event, distinct_id=...)` signatures, Segment analytics-python
`track`, extra emitters, and wrappers defined in the project that pass the event on, followed
across modules, with names from module constants and `Enum`/`StrEnum` members). Python sites join
the JS/TS sites by event name: `order_placed` captured by a FastAPI route and again by a React
component is the incident across two languages, and `allow-both-sides` and `north-star` apply to
the joined sites.

Facts: every JS/TS file keeps its `JsContext` (to resolve imports and constants), its
`TelemetryFacts` and its side; every Python file its module surface (to follow imports) and its
`PyTelemetryFacts`. Only files with a direct emission are subjects (get an item). A finding at a
generic wrapper's call site in another file is reported by the lesson's status item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.checks.base import Check
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.emitter_index import PyEmitterIndex
from pytest_lessons.lang.python.imports import PythonImportIndex, module_surface
from pytest_lessons.lang.python.markers import telemetry_markers
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.telemetry import PyEmission, PyTelemetryFacts, py_telemetry_facts
from pytest_lessons.lang.typescript.emitter_index import EmitterIndex, NamedEmission
from pytest_lessons.lang.typescript.modules import ModuleFacts
from pytest_lessons.lang.typescript.project_index import (
    JsContext,
    JsProject,
    is_context_file,
    js_context,
)
from pytest_lessons.lang.typescript.runtime import Side, runtime_of
from pytest_lessons.lang.typescript.telemetry import (
    CallSite,
    Emission,
    TelemetryFacts,
    telemetry_facts,
)
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile

__all__ = [
    "SingleEmissionSource",
    "SingleEmissionSourceFacts",
    "SingleEmissionSourceOptions",
]

_SERVER_DATA_FUNCTIONS = frozenset({"getServerSideProps", "getStaticProps"})
_PROPAGATION_ROUNDS = 8


class SingleEmissionSourceOptions(LessonOptions):
    allow_both_sides: dict[str, str]
    """Events allowed on both sides, each with the reason (event name -> reason)."""
    north_star: tuple[str, ...]
    """Events that must have exactly one emission site in the whole project."""
    extra_emitters: tuple[str, ...]
    """More functions that send an event given as their first argument (`trackEvent`,
    `analytics.send`)."""


class PyEmitterFacts(BaseModel):
    """A Python file's part: its surface (imports, constants, enums) and telemetry facts."""

    model_config = ConfigDict(frozen=True)

    surface: ModuleSurface
    telemetry: PyTelemetryFacts


class SingleEmissionSourceFacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    context: JsContext = Field(default_factory=JsContext)
    telemetry: TelemetryFacts | None = None
    side: Side = "unknown"
    reason: str | None = None
    """The strongest signal for `side`, for messages."""
    python: PyEmitterFacts | None = None
    """Set for Python files only (then every other field keeps its default)."""


@dataclass(frozen=True, eq=False)
class _Site:
    rel: str
    line: int
    column: int
    end_line: int
    end_column: int
    sides: frozenset[Side]
    """client and/or server; empty when unknown. Both for a helper called from both sides."""
    why: str

    @property
    def shared(self) -> bool:
        return len(self.sides) > 1


class SingleEmissionSource(Check[SingleEmissionSourceOptions, SingleEmissionSourceFacts]):
    options_model = SingleEmissionSourceOptions
    facts_model = SingleEmissionSourceFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT, FileKind.JSON, FileKind.PYTHON})
    prefilter = ()

    def project_prefilter(self) -> Mapping[FileKind, tuple[bytes, ...]]:
        """The Python side needs an analytics SDK (or a configured emitter) named somewhere."""
        return {FileKind.PYTHON: telemetry_markers(self.options.extra_emitters)}

    def applies_to(self, file: SourceFile, *, use_prefilter: bool = True) -> bool:
        return file.kind is FileKind.PYTHON or is_context_file(file)

    def extract(self, file: SourceFile) -> SingleEmissionSourceFacts:
        if file.kind is FileKind.PYTHON:
            return SingleEmissionSourceFacts(
                python=PyEmitterFacts(
                    surface=module_surface(file),
                    telemetry=py_telemetry_facts(file, self.options.extra_emitters),
                )
            )
        context = js_context(file)
        if file.kind is not FileKind.TYPESCRIPT:
            return SingleEmissionSourceFacts(context=context)
        runtime = runtime_of(file)
        return SingleEmissionSourceFacts(
            context=context,
            telemetry=telemetry_facts(file, self.options.extra_emitters),
            side=runtime.side,
            reason=runtime.reasons[0] if runtime.side != "unknown" and runtime.reasons else None,
        )

    def is_subject(self, facts: SingleEmissionSourceFacts) -> bool:
        if facts.python is not None:
            return bool(facts.python.telemetry.emissions)
        return facts.telemetry is not None and bool(facts.telemetry.emissions)

    def judge(self, facts: Mapping[str, SingleEmissionSourceFacts]) -> Iterable[Finding]:
        by_event: dict[str, dict[tuple[str, int, int], _Site]] = defaultdict(dict)
        scripts = {rel: f for rel, f in facts.items() if f.python is None}
        python = {rel: f.python for rel, f in facts.items() if f.python is not None}
        for site_event, site in [*_script_sites(scripts), *_python_sites(python)]:
            by_event[site_event].setdefault((site.rel, site.line, site.column), site)
        for event in sorted(by_event):
            yield from self._judge_event(event, sorted(by_event[event].values(), key=_order))

    def _judge_event(self, event: str, sites: list[_Site]) -> Iterable[Finding]:
        north_star = event in self.options.north_star
        client = [s for s in sites if "client" in s.sides]
        server = [s for s in sites if "server" in s.sides]
        both = bool(client) and bool(server)
        if north_star and len(sites) > 1:
            for site in sites:
                yield self._finding(site, _north_star_message(event, site, sites, both))
            return
        if not both or event in self.options.allow_both_sides:
            return
        for site in sites:
            if not site.sides:
                continue
            others = [
                other
                for other in sites
                if other is not site and other.sides and (other.sides - site.sides or site.shared)
            ]
            yield self._finding(site, _both_sides_message(event, site, others))

    def _finding(self, site: _Site, message: str) -> Finding:
        return self.finding(
            site.rel,
            site.line,
            site.column,
            message,
            end_line=site.end_line,
            end_column=site.end_column,
        )


def _script_sites(facts: Mapping[str, SingleEmissionSourceFacts]) -> Iterator[tuple[str, _Site]]:
    """The JS/TS sites that fix an event name, each with its side (see the module docstring)."""
    telemetry = {rel: f.telemetry for rel, f in facts.items() if f.telemetry is not None}
    if not any(t.emissions for t in telemetry.values()):
        return
    project = JsProject.build({rel: f.context for rel, f in facts.items()})
    index = EmitterIndex(telemetry, project.symbols)
    graph = _Graph(index, _propagated_sides(facts, project))
    for entry in index.emissions_with_names():
        graph.add(entry)
    for entry in graph.naming:
        site = graph.site(entry)
        if site is not None and entry.event_name is not None:
            yield entry.event_name, site


def _python_sites(facts: Mapping[str, PyEmitterFacts]) -> Iterator[tuple[str, _Site]]:
    """The Python sites that fix an event name: all server side, since Python runs there."""
    if not any(f.telemetry.emissions or f.telemetry.calls for f in facts.values()):
        return
    imports = PythonImportIndex({rel: f.surface for rel, f in facts.items()})
    index = PyEmitterIndex({rel: f.telemetry for rel, f in facts.items()}, imports)
    for rel, site, event in index.named_sites():
        if isinstance(site, PyEmission):
            sdk = {"posthog": "posthog-python", "segment": "analytics-python"}.get(site.emitter)
            why = f"Python backend code, sent with {sdk or f'`{site.receiver}.{site.method}()`'}"
        else:
            why = f"Python backend code, through `{site.callee}()`"
        yield (
            event,
            _Site(
                rel,
                site.line,
                site.column,
                site.end_line,
                site.end_column,
                frozenset({"server"}),
                why,
            ),
        )


class _Graph:
    """The sites that name an event, and the wrapper calls that lead to them.

    A site "names" an event when the event is fixed there: a capture with a literal or constant
    name, or a wrapper call that passes the name as an argument (`track("order_placed")`). A call
    of a wrapper whose event is fixed inside it (`trackOrderPlaced()`) names nothing: it only
    tells which side runs the wrapper, which matters when the wrapper's own file has no side.
    """

    def __init__(self, index: EmitterIndex, sides: Mapping[str, tuple[Side, str | None]]) -> None:
        self.index = index
        self.sides = sides
        self.naming: list[NamedEmission] = []
        self.callers: dict[tuple[str, str, str], list[NamedEmission]] = defaultdict(list)

    def add(self, entry: NamedEmission) -> None:
        rel, site, event = entry
        if event is None:
            return
        if isinstance(site, Emission) or self._passes_name(rel, site, event):
            self.naming.append(entry)
            return
        if self.index.server_action(rel, site.callee) is not None:
            return  # runs the action on the server; the action's own capture is the site
        target = self.index.target(rel, site.callee)
        if target is not None:
            self.callers[(target[0], target[1], event)].append(entry)

    def _passes_name(self, rel: str, site: CallSite, event: str) -> bool:
        summary = self.index.wrapper_summary(rel, site.callee)
        if summary is None:
            return False
        for position, key in summary.params:
            if key is None:
                arg = site.args[position] if position < len(site.args) else None
            else:
                arg = site.object_args.get(position, {}).get(key)
            if arg is not None and self.index.event_name(rel, arg) == event:
                return True
        return False

    def site(self, entry: NamedEmission) -> _Site | None:
        rel, site, event = entry
        if event is None:
            return None
        sides = self._sides(rel, site, event, set())
        if len(sides) == 1 and site.in_function is not None:
            callers = self.callers.get((rel, site.in_function, event), [])
            if callers and "called from" not in sides[next(iter(sides))][0]:
                side = next(iter(sides))
                sides[side] = [
                    *sides[side],
                    f"{site.in_function}() is called at "
                    + ", ".join(f"{c.rel}:{c.site.line}" for c in callers[:3])
                    + (", ..." if len(callers) > 3 else ""),
                ]
        return _Site(
            rel,
            site.line,
            site.column,
            site.end_line,
            site.end_column,
            frozenset(sides),
            "; ".join(", ".join(dict.fromkeys(sides[side])) for side in sorted(sides)),
        )

    def _own_side(self, rel: str, site: Emission | CallSite) -> tuple[Side, str]:
        side, why = self.sides.get(rel, ("unknown", None))
        if isinstance(site, Emission):
            if site.emitter == "posthog-node" and side != "server":
                return "server", "sent with posthog-node, the Node SDK"
            if site.in_function in _SERVER_DATA_FUNCTIONS:
                return "server", f"in {site.in_function}, which runs on the server"
        elif self.index.server_action(rel, site.callee) is not None:
            return "server", f"{site.callee}() is a server action"
        return side, why or ""

    def _sides(
        self,
        rel: str,
        site: Emission | CallSite,
        event: str,
        seen: set[tuple[str, str]],
    ) -> dict[Side, list[str]]:
        """The sides `site` runs on, each with why: its own file's, else its callers'."""
        side, why = self._own_side(rel, site)
        if side != "unknown":
            return {side: [why]}
        function = site.in_function
        if function is None or (rel, function) in seen:
            return {}
        seen.add((rel, function))
        found: dict[Side, list[str]] = {}
        for caller in self.callers.get((rel, function, event), []):
            for caller_side in self._sides(caller.rel, caller.site, event, seen):
                found.setdefault(caller_side, []).append(
                    f"{function}() is called from {caller_side} code at "
                    f"{caller.rel}:{caller.site.line}"
                )
        return found


def _order(site: _Site) -> tuple[str, int, int]:
    return site.rel, site.line, site.column


def _side_text(site: _Site) -> str:
    if not site.sides:
        return "code of unknown side"
    if site.shared:
        return "both client and server code"
    return f"{next(iter(site.sides))} code"


def _here(event: str, site: _Site) -> str:
    why = f" ({site.why})" if site.why else ""
    return f"'{event}' is sent from {_side_text(site)} here{why}"


def _list(sites: Iterable[_Site]) -> str:
    return ", ".join(f"{site.rel}:{site.line}" for site in sites)


def _both_sides_message(event: str, site: _Site, others: list[_Site]) -> str:
    if site.shared:
        elsewhere = f" and also at {_list(others)}" if others else ""
    else:
        other = "server" if "client" in site.sides else "client"
        elsewhere = f" and from {other} code at {_list(others)}"
    return (
        f"{_here(event, site)}{elsewhere}: every occurrence is counted twice; keep one "
        "emission source (or list the event in `allow-both-sides` with a reason)"
    )


def _north_star_message(event: str, site: _Site, sites: list[_Site], both: bool) -> str:
    others = [s for s in sites if s is not site]
    twice = ", from both server and client code" if both else ""
    return (
        f"{_here(event, site)}; it is a north-star event, which must have exactly one emission "
        f"site, but it is also sent at {_list(others)}{twice}: the metric is over-counted; keep "
        "exactly one emission site"
    )


def _propagated_sides(
    facts: Mapping[str, SingleEmissionSourceFacts], project: JsProject
) -> dict[str, tuple[Side, str | None]]:
    """Each file's side; an unknown file takes the side all its importers agree on."""
    sides: dict[str, tuple[Side, str | None]] = {
        rel: (f.side, f.reason) for rel, f in facts.items() if f.telemetry is not None
    }
    importers: dict[str, set[str]] = defaultdict(set)
    for rel, module in project.modules.items():
        for specifier in _runtime_specifiers(module):
            target = project.symbols.target(rel, specifier)
            if target is not None and target != rel:
                importers[target].add(rel)
    for _ in range(_PROPAGATION_ROUNDS):
        changed = False
        for rel, (side, _why) in list(sides.items()):
            if side != "unknown" or not importers.get(rel):
                continue
            seen = {sides.get(importer, ("unknown", None))[0] for importer in importers[rel]}
            if len(seen) == 1 and (only := seen.pop()) != "unknown":
                sides[rel] = (only, f"imported only by {only} files")
                changed = True
        if not changed:
            break
    return sides


def _runtime_specifiers(module: ModuleFacts) -> list[str]:
    """The modules `module` loads when it runs: `import type` binds nothing at runtime, so a
    client component importing a server module's types does not make that module client code."""
    found: dict[str, None] = {}
    for binding in module.imports:
        if not binding.type_only:
            found.setdefault(binding.source, None)
    for specifier in module.side_effect_imports:
        found.setdefault(specifier, None)
    for export in module.exports:
        if export.source is not None and not export.type_only:
            found.setdefault(export.source, None)
    for specifier in module.star_reexports:
        found.setdefault(specifier, None)
    return list(found)
