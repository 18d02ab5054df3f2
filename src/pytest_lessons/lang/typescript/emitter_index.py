"""The emitters of a whole JS/TS project, joined at judge time from per-file telemetry facts.

`EmitterIndex` joins the `telemetry` facts of many files with a resolver (the `SymbolIndex` of
`lang.typescript.resolver`, or anything with the same two methods) to follow wrappers across
files and resolve event names held in constants, `as const` maps and enums.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import NamedTuple, Protocol

from pytest_lessons.lang.common.telemetry import EventRef
from pytest_lessons.lang.common.wrappers import WrapperSummary, passed_event_names, summarize
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


class EmitterIndex:
    """The emitters of a whole project: direct emissions and calls of wrapper functions.

    A function is a wrapper when its body emits or calls a wrapper, followed through imports to
    any depth (cycles stop). Event names are resolved with the resolver as seen from the file
    that writes them; an event passed in as an argument is resolved at each call site.
    """

    def __init__(self, facts: Mapping[str, TelemetryFacts], resolver: Resolver) -> None:
        self.facts = facts
        self.resolver = resolver
        self._summaries: dict[tuple[str, str], WrapperSummary | None] = {}

    def target(self, rel: str, callee: str) -> tuple[str, str] | None:
        """The (file, function name) a callee written in `rel` refers to, when it is known."""
        facts = self.facts.get(rel)
        if facts is not None and callee in facts.functions:
            return rel, callee
        head, _, rest = callee.partition(".")
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

    def summary(self, rel: str, name: str) -> WrapperSummary | None:
        """What calling `name` of `rel` emits, or None when it emits nothing (not a wrapper)."""
        key = (rel, name)
        if key in self._summaries:
            return self._summaries[key]
        self._summaries[key] = None  # cycle guard: a recursive call adds nothing
        function = self.facts[rel].functions.get(name)
        if function is None:
            return None
        sends = (
            (emission.event, emission.swallowed)
            for emission in self.facts[rel].emissions
            if emission.in_function == name
            and emission.event.kind != "dynamic"
            and (emission.method in SEND_METHODS[emission.emitter] or emission.emitter == "custom")
        )
        calls = (
            (inner, partial(_argument, site), site.swallowed)
            for site in self.facts[rel].calls
            if site.in_function == name
            for inner in [self.wrapper_summary(rel, site.callee)]
            if inner is not None
        )
        result = summarize(
            sends,
            calls,
            partial(_param_of, function=function),
            partial(self.event_name, rel),
        )
        self._summaries[key] = result
        return result

    def wrapper_summary(self, rel: str, callee: str) -> WrapperSummary | None:
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
        return self._server_action(rel, callee, set())

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
        for rel in sorted(self.facts):
            facts = self.facts[rel]
            for emission in facts.emissions:
                if emission.method not in SEND_METHODS[emission.emitter] and (
                    emission.emitter != "custom"
                ):
                    continue
                function = facts.functions.get(emission.in_function or "")
                if function is not None and (
                    param_of(emission.event, function.params, function.param_keys) is not None
                ):
                    continue
                name = self.event_name(rel, emission.event)
                if name is not None:
                    found.append(NamedEmission(rel, emission, name))
            for site in facts.calls:
                summary = self.wrapper_summary(rel, site.callee)
                if summary is None:
                    continue
                caller = facts.functions.get(site.in_function or "")
                names = set(summary.fixed) | passed_event_names(
                    summary,
                    partial(_argument, site),
                    partial(_is_param_of, caller),
                    partial(self.event_name, rel),
                )
                found.extend(NamedEmission(rel, site, name) for name in sorted(names))
        return found


def _argument(site: CallSite, index: int, key: str | None) -> EventRef:
    if key is None:
        return site.args[index] if index < len(site.args) else EventRef(kind="dynamic")
    return site.object_args.get(index, {}).get(key, EventRef(kind="dynamic"))


def _param_of(event: EventRef, function: FunctionTelemetry) -> tuple[int, str | None] | None:
    return param_of(event, function.params, function.param_keys)


def _is_param_of(function: FunctionTelemetry | None, event: EventRef) -> bool:
    """Whether an event reference reads a parameter of `function` (forwarded again)."""
    return function is not None and _param_of(event, function) is not None
