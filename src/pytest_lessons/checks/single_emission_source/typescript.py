"""The TypeScript half of `single-emission-source`: emission sites and the side each runs on.

Sites come from `lang.typescript.emitter_index`; a site's side is its file's
(`lang.typescript.runtime`), with the overrides, importer propagation and caller sides the
lesson's docstring describes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from pydantic import Field

from pytest_lessons.checks.single_emission_source.options import SingleEmissionSourceOptions
from pytest_lessons.checks.single_emission_source.sites import Site
from pytest_lessons.checks.typescript_project import TypeScriptProjectHalf
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.typescript.emitter_index import EmitterIndex, NamedEmission
from pytest_lessons.lang.typescript.modules import ModuleFacts
from pytest_lessons.lang.typescript.project_index import (
    JsContext,
    JsProject,
)
from pytest_lessons.lang.typescript.runtime import Side, runtime_of
from pytest_lessons.lang.typescript.telemetry import (
    CallSite,
    Emission,
    TelemetryFacts,
    telemetry_facts,
    telemetry_markers,
)
from pytest_lessons.source import SourceFile

__all__ = ["TypeScriptFacts", "TypeScriptHalf"]

_SERVER_DATA_FUNCTIONS = frozenset({"getServerSideProps", "getStaticProps"})
_PROPAGATION_ROUNDS = 8


class TypeScriptFacts(Record):
    """A JS/TS or JSON file's part: its project context, telemetry facts and side."""

    context: JsContext = Field(default_factory=JsContext)
    telemetry: TelemetryFacts | None = None
    side: Side = "unknown"
    reason: str | None = None
    """The strongest signal for `side`, for messages."""


class TypeScriptHalf(TypeScriptProjectHalf[SingleEmissionSourceOptions, TypeScriptFacts]):
    facts_model = TypeScriptFacts

    def project_prefilter(self) -> tuple[bytes, ...]:
        """An analytics SDK or client (or a configured emitter) named in some JS/TS file."""
        return telemetry_markers(self.options.extra_emitters)

    def extract_source(self, file: SourceFile, context: JsContext) -> TypeScriptFacts:
        runtime = runtime_of(file)
        return TypeScriptFacts(
            context=context,
            telemetry=telemetry_facts(file, self.options.extra_emitters),
            side=runtime.side,
            reason=runtime.reasons[0] if runtime.side != "unknown" and runtime.reasons else None,
        )

    def is_subject(self, facts: TypeScriptFacts) -> bool:
        return facts.telemetry is not None and bool(facts.telemetry.emissions)


def sites(facts: Mapping[str, TypeScriptFacts]) -> Iterator[tuple[str, Site]]:
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

    def site(self, entry: NamedEmission) -> Site | None:
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
        return Site(
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


def _propagated_sides(
    facts: Mapping[str, TypeScriptFacts], project: JsProject
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
