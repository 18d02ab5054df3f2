"""The emitters of a whole JS/TS project, joined at judge time from per-file telemetry facts.

`EmitterIndex` joins the `telemetry` facts of many files with a resolver (the `SymbolIndex` of
`lang.typescript.resolver`, or anything with the same two methods) to follow wrappers across
files and resolve event names held in constants, `as const` maps and enums.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import NamedTuple, Protocol

from pytest_lessons.lang.common.telemetry import EventRef
from pytest_lessons.lang.common.wrappers import (
    WrapperCall,
    WrapperIndex,
    WrapperSummary,
)
from pytest_lessons.lang.typescript.call_reach import CallIndex, Reach, emitting
from pytest_lessons.lang.typescript.telemetry import (
    SEND_METHODS,
    CallSite,
    Emission,
    FunctionTelemetry,
    TelemetryFacts,
    param_of,
)

__all__ = ["EmitterIndex", "NamedEmission", "Resolver"]


class Located(Protocol):
    """A resolved binding: `resolver.Symbol` (a module path and a name declared there)."""

    @property
    def rel(self) -> str: ...

    @property
    def name(self) -> str: ...


class Resolver(Protocol):
    """The two questions `EmitterIndex` asks of `resolver.SymbolIndex`.

    `resolve_local(rel, name)` follows a local binding of file `rel` (an import, through
    re-exports) to the file and name that declare it (a `Symbol(rel, name)`, or a `(rel, name)`
    pair; name "*" for a namespace, "default" for an anonymous default export), or None when it
    leaves the project;
    `constant(rel, dotted)` is the string value of a constant expression as seen from `rel`
    (`ORDER_PLACED`, `EVENTS.ORDER_PLACED`, `Events.OrderPlaced`), or None.
    """

    def resolve_local(self, rel: str, name: str) -> Located | tuple[str, str] | None: ...

    def constant(self, rel: str, dotted: str) -> str | None: ...


class NamedEmission(NamedTuple):
    """A site that sends a known event: a direct emission, or a call of an emitter wrapper."""

    rel: str
    site: Emission | CallSite
    event_name: str | None


class EmitterIndex(WrapperIndex[FunctionTelemetry]):
    """The emitters of a whole project: direct emissions and calls of wrapper functions.

    A function is a wrapper when its body emits or calls a wrapper, followed through imports to
    any depth (cycles stop). Event names are resolved with the resolver as seen from the file
    that writes them; an event passed in as an argument is resolved at each call site.
    """

    def __init__(self, facts: Mapping[str, TelemetryFacts], resolver: Resolver) -> None:
        super().__init__()
        self.facts = facts
        self.resolver = resolver
        self._targets: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._actions: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._tail_set: frozenset[str] | None = None
        self._possible: tuple[Reach | None] | None = None

    def target(self, rel: str, callee: str) -> tuple[str, str] | None:
        """The (file, function name) a callee written in `rel` refers to, when it is known.

        Asked for every call site by both lessons, many times for the same callee of a file
        (`track`, `prisma.x.y`), and each answer follows imports through re-exports: memoised.
        """
        key = (rel, callee)
        if key in self._targets:
            return self._targets[key]
        found = self._targets[key] = self._target(rel, callee)
        return found

    def _target(self, rel: str, callee: str) -> tuple[str, str] | None:
        facts = self.facts.get(rel)
        if facts is not None and callee in facts.functions:
            return rel, callee
        head, _, rest = callee.partition(".")
        if rest and rest not in self._tails():
            return None  # `prisma.user.findMany`, `res.json`: no function is named so
        resolved = self.resolver.resolve_local(rel, head)
        if resolved is None:
            return None
        target_rel, name = (
            resolved if isinstance(resolved, tuple) else (resolved.rel, resolved.name)
        )
        if name in ("*", "") and rest:
            name, rest = rest.partition(".")[0], rest.partition(".")[2]
        full = f"{name}.{rest}" if rest else name
        target_facts = self.facts.get(target_rel)
        if target_facts is None:
            return None
        if full == "default" and target_facts.default_export is not None:
            full = target_facts.default_export
        return (target_rel, full) if full in target_facts.functions else None

    def _tails(self) -> frozenset[str]:
        """What may follow the first dot of a callee that names a function of the facts.

        `_target` answers `ns.f` / `obj.f` with a function keyed `f` (through a namespace) or
        `obj.f` (a method of an object) in some file, so the part after the callee's first dot
        is a function's key or one of its tails after a dot. Most dotted calls are methods of
        other things (`prisma.user.findMany`, `res.json`: a quarter of dub's callees), and
        resolving their heads across files would only find no function there.
        """
        if self._tail_set is None:
            tails: set[str] = set()
            for facts in self.facts.values():
                for key in facts.functions:
                    tails.add(key)
                    while "." in key:
                        key = key.partition(".")[2]
                        tails.add(key)
            self._tail_set = frozenset(tails)
        return self._tail_set

    def possible_wrappers(self) -> Reach | None:
        """A superset of the wrappers (functions whose summary is not None), and the calls
        that may lead to one (`call_reach`); None when the resolver cannot tell.

        A function is a wrapper only when it sends an event itself or calls a wrapper, so the
        least set closed under that holds every wrapper, whatever order summaries are computed
        in. Any other call's summary is None, and computing it would only compute the (None)
        summaries of functions outside the set, so skipping it changes no other answer.
        """
        if self._possible is None:
            seeds = emitting(self.facts, _sends)
            reach = CallIndex.of(self.facts).reach(seeds, _any_call, self.resolver)
            self._possible = (reach,)
        return self._possible[0]

    def function(self, rel: str, name: str) -> FunctionTelemetry | None:
        return self.facts[rel].functions.get(name)

    def sends(self, rel: str, name: str) -> Iterator[tuple[EventRef, bool]]:
        for emission in self.facts[rel].emissions:
            if emission.in_function == name and _sends(emission):
                yield emission.event, emission.swallowed

    def wrapper_calls(self, rel: str, name: str) -> Iterator[WrapperCall]:
        for site in self.facts[rel].calls:
            if site.in_function != name:
                continue
            inner = self.wrapper_summary(rel, site.callee)
            if inner is not None:
                yield inner, partial(_argument, site), site.swallowed

    def param_of(
        self, function: FunctionTelemetry, event: EventRef
    ) -> tuple[int, str | None] | None:
        return _param_of(event, function)

    def wrapper_summary(self, rel: str, callee: str) -> WrapperSummary | None:
        possible = self.possible_wrappers()
        if possible is not None and not possible.may_call(rel, callee, self.facts.get(rel)):
            return None  # leads to no wrapper (see `possible_wrappers`): left unresolved
        found = self.target(rel, callee)
        return self.summary(*found) if found is not None else None

    def is_wrapper(self, rel: str, callee: str) -> bool:
        return self.wrapper_summary(rel, callee) is not None

    def wrapper_catches_inside(self, rel: str, callee: str) -> bool:
        """True when the wrapper a call site reaches catches every telemetry failure itself."""
        found = self.wrapper_summary(rel, callee)
        return found is not None and found.swallows

    def server_action(self, rel: str, callee: str) -> tuple[str, str] | None:
        """The server action (a function of a `'use server'` file) a wrapper call runs through.

        A client component calling `updateSurveyAction()` sends the action's events from the
        server: Next.js turns the call into a request. Real apps (formbricks) emit most server
        events this way, so `single-emission-source` must not count such a call as client-side.
        Returns the action when every emitting path from the call crosses one, else None.
        """
        key = (rel, callee)
        if key not in self._actions:
            self._actions[key] = self._server_action(rel, callee, set())
        return self._actions[key]

    def _server_action(
        self, rel: str, callee: str, seen: set[tuple[str, str]]
    ) -> tuple[str, str] | None:
        found = self.target(rel, callee)
        if found is None or found in seen or self.summary(*found) is None:
            return None
        seen.add(found)
        target_rel, name = found
        facts = self.facts[target_rel]
        if "use server" in facts.directives:
            return found
        if any(e.in_function == name for e in facts.emissions):
            return None
        actions = [
            self._server_action(target_rel, site.callee, seen)
            for site in facts.calls
            if site.in_function == name and self.is_wrapper(target_rel, site.callee)
        ]
        if actions and all(action is not None for action in actions):
            return actions[0]
        return None

    def event_name(self, rel: str, event: EventRef) -> str | None:
        if event.kind == "literal":
            return event.value
        if event.kind == "name" and event.value is not None:
            return self.resolver.constant(rel, event.value)
        return None

    def emissions_with_names(self) -> list[NamedEmission]:
        """Every site that sends a statically known event, with that event's name.

        Direct emissions whose event is a literal or a resolvable constant; emissions whose
        event is a wrapper's parameter are reported at the wrapper's call sites instead (with
        the argument resolved there); calls of wrappers with fixed events are reported once per
        event. Dynamic names are left out.
        """
        found: list[NamedEmission] = []
        possible = self.possible_wrappers()
        for rel in sorted(self.facts):
            facts = self.facts[rel]
            for emission in facts.emissions:
                if emission.method not in SEND_METHODS[emission.emitter] and (
                    emission.emitter != "custom"
                ):
                    continue
                name = self.named_event(rel, emission.event, emission.in_function)
                if name is not None:
                    found.append(NamedEmission(rel, emission, name))
            calls = facts.calls if possible is None else possible.calls(rel, facts)
            for site in calls:  # any other's summary is None
                summary = self.wrapper_summary(rel, site.callee)
                if summary is None:
                    continue
                passed = self.names_passed(rel, summary, partial(_argument, site), site.in_function)
                names = set(summary.fixed) | passed
                found.extend(NamedEmission(rel, site, name) for name in sorted(names))
        return found


def _sends(emission: Emission) -> bool:
    """An emission `EmitterIndex.sends` yields to its function's summary."""
    return emission.event.kind != "dynamic" and (
        emission.method in SEND_METHODS[emission.emitter] or emission.emitter == "custom"
    )


def _any_call(site: CallSite) -> bool:
    return True


def _argument(site: CallSite, index: int, key: str | None) -> EventRef:
    if key is None:
        return site.args[index] if index < len(site.args) else EventRef(kind="dynamic")
    return site.object_args.get(index, {}).get(key, EventRef(kind="dynamic"))


def _param_of(event: EventRef, function: FunctionTelemetry) -> tuple[int, str | None] | None:
    return param_of(event, function.params, function.param_keys)
