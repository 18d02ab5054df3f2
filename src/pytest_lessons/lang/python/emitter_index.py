"""The emitters of a whole Python project, joined at judge time from per-file telemetry facts.

`EmitterIndex` joins the `telemetry` facts of many files with `imports.ImportIndex`:
it follows wrappers across modules, recognises clients built in another module, resolves event
names held in module constants (imported or not), class attributes and `Enum`/`StrEnum` members
(`Events.ORDER_PLACED.value`; the bare member only for str enums, whose members are strings).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from functools import partial
from typing import NamedTuple

from pytest_lessons.lang.common.telemetry import DYNAMIC, EventRef
from pytest_lessons.lang.common.wrappers import (
    WrapperCall,
    WrapperIndex,
    WrapperSummary,
)
from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.lang.python.telemetry import (
    OTHER_METHODS,
    SEND_METHODS,
    CallSite,
    Emission,
    EmitterKind,
    FunctionTelemetry,
    TelemetryFacts,
    capture_event,
)

__all__ = ["EmitterIndex", "NamedEmission", "argument", "is_send"]


class NamedEmission(NamedTuple):
    """A site that fixes an event name: a direct capture, or a wrapper call passing the name."""

    rel: str
    site: Emission | CallSite
    event_name: str


class EmitterIndex(WrapperIndex[FunctionTelemetry]):
    """The emitters of a whole Python project: emissions, wrappers, event names.

    `emissions(rel)` adds to a file's own emissions the calls on clients built in another module
    (`from app.analytics import client; client.capture(...)`) and drops ambiguous ones whose
    receiver turns out to be a project module (`from app import posthog` where `app/posthog.py`
    defines `capture`: that is a wrapper call). A function is a wrapper when it emits or calls a
    wrapper; its summary says which events it always sends and which parameters carry one.
    """

    def __init__(self, facts: Mapping[str, TelemetryFacts], imports: ImportIndex) -> None:
        super().__init__()
        self.facts = facts
        self.imports = imports
        self._emissions: dict[str, list[Emission]] = {}
        self._emitted_at: dict[str, set[tuple[int, int]]] = {}
        self._targets: dict[tuple[str, str, str | None], tuple[str, str] | None] = {}

    # -- targets -------------------------------------------------------------------------------

    def _resolve(self, rel: str, dotted: str) -> tuple[str, str] | None:
        try:
            return self.imports.resolve(rel, dotted)
        except RecursionError:  # pragma: no cover - pathological import cycles
            return None

    def target(self, rel: str, site: CallSite) -> tuple[str, str] | None:
        """The (file, function) a call site calls, when the project defines it (asked for every
        call site, again for each wrapper followed: the answer depends on the callee and the
        calling function only, so it is kept)."""
        key = (rel, site.callee, site.in_function)
        try:
            return self._targets[key]
        except KeyError:
            pass
        found = self._targets[key] = self._target(rel, site)
        return found

    def _target(self, rel: str, site: CallSite) -> tuple[str, str] | None:
        facts = self.facts.get(rel)
        callee = site.callee
        if facts is None:
            return None
        if callee in facts.functions:
            return rel, callee
        head, _, rest = callee.partition(".")
        if head in ("self", "cls") and site.in_function and "." in site.in_function:
            method = f"{site.in_function.split('.', 1)[0]}.{rest}"
            return (rel, method) if method in facts.functions else None
        for split in range(callee.count("."), -1, -1):
            parts = callee.split(".")
            base, tail = ".".join(parts[: split + 1]), ".".join(parts[split + 1 :])
            found = self._resolve(rel, base)
            if found is None:
                continue
            target_rel, name = found
            target = self.facts.get(target_rel)
            if target is None:
                return None
            full = name if not tail else (tail if name == MODULE else f"{name}.{tail}")
            return (target_rel, full) if full in target.functions else None
        return None

    def _remote_client(self, rel: str, receiver: str) -> EmitterKind | None:
        """The kind of a client built in another module that `receiver` names, if any."""
        head, _, rest = receiver.partition(".")
        found = self._resolve(rel, head)
        if found is None:
            return None
        target_rel, name = found
        facts = self.facts.get(target_rel)
        if facts is None:
            return None
        key = rest if name == MODULE else (f"{name}.{rest}" if rest else name)
        return facts.clients.get(key)

    def emissions(self, rel: str) -> list[Emission]:
        """The file's emissions, judged across modules (see the class docstring)."""
        if rel in self._emissions:
            return self._emissions[rel]
        facts = self.facts[rel]
        found: list[Emission] = []
        for emission in facts.emissions:
            if emission.ambiguous and self._is_project_call(rel, emission):
                continue
            found.append(emission)
        for site in facts.calls:
            receiver, _, method = site.callee.rpartition(".")
            if not receiver:
                continue
            # the client first: most dotted calls are on no client, and need no target then
            kind = self._remote_client(rel, receiver)
            if kind is None or kind == "custom" or self.target(rel, site) is not None:
                continue
            if method not in SEND_METHODS[kind] and method not in OTHER_METHODS[kind]:
                continue
            if any((e.line, e.column) == (site.line, site.column) for e in found):
                continue
            event, style = (
                capture_event(kind, site.args, site.kwargs)
                if method in SEND_METHODS[kind]
                else (DYNAMIC, "none")
            )
            data = site.model_dump(exclude={"callee", "args", "kwargs"})
            found.append(
                Emission.model_validate(
                    {
                        **data,
                        "emitter": kind,
                        "method": method,
                        "receiver": receiver,
                        "event": event,
                        "capture_style": style,
                    }
                )
            )
        found.sort(key=lambda e: (e.line, e.column))
        self._emissions[rel] = found
        return found

    def _is_project_call(self, rel: str, emission: Emission) -> bool:
        """Whether an ambiguous receiver is the project's own code: a module of it defining the
        method (`app/posthog.py` with `def capture`), or a function or class of it. A name bound
        to anything else (`posthog = get_client()`) stays a client, recognised by its name."""
        head = emission.receiver.split(".", 1)[0]
        found = self._resolve(rel, head)
        if found is None:
            return False
        target_rel, name = found
        facts = self.facts.get(target_rel)
        if facts is None:
            return target_rel.endswith("/")  # a namespace package: a project module
        if name == MODULE:
            return self._exact_module(rel, head, target_rel) and emission.method in facts.functions
        surface = self.imports.surfaces.get(target_rel)
        return name in facts.functions or (surface is not None and name in surface.classes)

    def _exact_module(self, rel: str, local: str, target_rel: str) -> bool:
        """Whether an absolute `import analytics` really names the project file found for it.

        The import index falls back to a module whose name merely ends with the imported one
        (`shop/analytics.py` for `analytics`), which is right for guessed package roots but
        would turn Segment's `import analytics` into the project's own `shop.analytics`.
        """
        surface = self.imports.surfaces.get(rel)
        bindings = [b for b in surface.imports if b.local == local] if surface else []
        if not bindings or bindings[-1].level:
            return True
        binding = bindings[-1]
        wanted = binding.module if binding.name is None else f"{binding.module}.{binding.name}"
        return self.imports.module_of(target_rel) == wanted

    def is_call_of_client(self, rel: str, site: CallSite) -> bool:
        """Whether a call site is one of `emissions(rel)` (a client call, not a wrapper call)."""
        at = self._emitted_at.get(rel)
        if at is None:
            at = self._emitted_at[rel] = {(e.line, e.column) for e in self.emissions(rel)}
        return (site.line, site.column) in at

    # -- wrappers ------------------------------------------------------------------------------

    def function(self, rel: str, name: str) -> FunctionTelemetry | None:
        return self.facts[rel].functions.get(name)

    def sends(self, rel: str, name: str) -> Iterator[tuple[EventRef, bool]]:
        for emission in self.emissions(rel):
            if emission.in_function == name and is_send(emission):
                yield emission.event, emission.caught

    def wrapper_calls(self, rel: str, name: str) -> Iterator[WrapperCall]:
        for site in self.facts[rel].calls:
            if site.in_function != name or self.is_call_of_client(rel, site):
                continue
            inner = self.wrapper_summary(rel, site)
            if inner is not None:
                yield inner, partial(argument, site), site.caught

    def param_of(self, function: FunctionTelemetry, event: EventRef) -> tuple[int, str] | None:
        return _param_of(event, function)

    def wrapper_summary(self, rel: str, site: CallSite) -> WrapperSummary | None:
        found = self.target(rel, site)
        return self.summary(*found) if found is not None else None

    # -- event names ---------------------------------------------------------------------------

    def event_name(self, rel: str, event: EventRef) -> str | None:
        if event.kind == "literal":
            return event.value
        if event.kind != "name" or event.value is None:
            return None
        return self.constant(rel, event.value)

    def constant(self, rel: str, dotted: str) -> str | None:
        """The string a name holds: a module constant, a class attribute or an enum member."""
        value_access = dotted.endswith(".value")
        name = dotted[: -len(".value")] if value_access else dotted
        if not value_access:
            try:
                found = self.imports.constant(rel, name)
            except RecursionError:  # pragma: no cover
                found = None
            if found is not None:
                return found
        owner, _, member = name.rpartition(".")
        if not owner:
            return None
        resolved = self._resolve(rel, owner)
        if resolved is None:
            return None
        target_rel, class_name = resolved
        surface = self.imports.surfaces.get(target_rel)
        cls = surface.classes.get(class_name) if surface is not None else None
        if cls is None:
            return None
        is_enum = any("Enum" in base for base in cls.bases)
        is_str = any(base in ("str", "StrEnum", "enum.StrEnum") for base in cls.bases)
        if is_enum and not value_access and not is_str:
            return None  # a plain Enum member is not the string it holds
        if value_access and not is_enum:
            return None
        return _literal(cls.attributes.get(member))

    # -- sites that fix an event ---------------------------------------------------------------

    def named_sites(self) -> list[NamedEmission]:
        """Every site that fixes a known event name: direct sends whose event is not a parameter
        of their function, and calls of wrappers that pass a known name. A wrapper with its
        event fixed inside is reported at its capture, not at its callers."""
        found: list[NamedEmission] = []
        for rel in sorted(self.facts):
            facts = self.facts[rel]
            for emission in self.emissions(rel):
                if not is_send(emission):
                    continue
                name = self.named_event(rel, emission.event, emission.in_function)
                if name is not None:
                    found.append(NamedEmission(rel, emission, name))
            for site in facts.calls:
                if self.is_call_of_client(rel, site):
                    continue
                summary = self.wrapper_summary(rel, site)
                if summary is None:
                    continue
                names = self.names_passed(rel, summary, partial(argument, site), site.in_function)
                found.extend(NamedEmission(rel, site, name) for name in sorted(names))
        return found


def is_send(emission: Emission) -> bool:
    """A call that sends a named event (not `flush()`, `identify()`, ...)."""
    return emission.emitter == "custom" or emission.method in SEND_METHODS[emission.emitter]


def argument(site: CallSite, position: int, name: str | None) -> EventRef:
    """The argument a call passes for parameter (`position`, `name`)."""
    if name is not None and name in site.kwargs:
        return site.kwargs[name]
    return site.args[position] if position < len(site.args) else DYNAMIC


def _param_of(event: EventRef, function: FunctionTelemetry) -> tuple[int, str] | None:
    if event.kind != "name" or event.value is None or event.value not in function.params:
        return None
    return function.params.index(event.value), event.value


def _literal(text: str | None) -> str | None:
    if text is None or text.lstrip("rbuRBU")[:1] not in ("'", '"'):
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None
