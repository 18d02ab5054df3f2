"""What the Python telemetry layer decides about a file, whichever parser read it.

`from_ast` (the fast path) and `from_cst` (the fallback for syntax the interpreter cannot parse)
walk their own trees and hand this module plain values: a call's dotted callee and its arguments,
the functions, classes, lambdas and `try`/`with` blocks it sits in, and what assignments bind.
`Collector` makes every decision from those values (is this an emission, of which event, is it
awaited, gathered, deferred, caught), so the two readers cannot drift apart: a new SDK or a new
rule is written here once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from pytest_lessons.lang.common.telemetry import DYNAMIC, CatchEffect, EventRef
from pytest_lessons.lang.python.surface import ModuleSurface
from pytest_lessons.lang.python.telemetry.facts import (
    OTHER_METHODS,
    SEND_METHODS,
    CallSite,
    Emission,
    EmitterKind,
    FunctionTelemetry,
    Gather,
    TelemetryFacts,
    capture_event,
)

__all__ = [
    "RESPONDERS",
    "Argument",
    "Bindings",
    "Collector",
    "Frame",
    "Position",
    "bindings_of",
    "catches_outage",
    "suppress_frame",
    "try_frame",
]

NodeT = TypeVar("NodeT")

# module -> (the SDK, the names of it that are client classes, whether the module itself is a
# client with a module-level API: `import posthog; posthog.capture(...)`). A name imported from a
# module-level API that is one of its send or other methods is a function that emits.
_SDK_MODULES: Mapping[str, tuple[EmitterKind, frozenset[str], bool]] = {
    "posthog": ("posthog", frozenset({"Posthog", "Client"}), True),
    "analytics": ("segment", frozenset({"Client"}), True),
    "segment.analytics": ("segment", frozenset({"Client"}), True),
    "rudderstack.analytics": ("rudderstack", frozenset({"Client"}), True),
    "june.analytics": ("june", frozenset({"Client"}), True),
    "mixpanel": ("mixpanel", frozenset({"Mixpanel"}), False),
    "openpanel": ("openpanel", frozenset({"OpenPanel"}), False),
    "logsnag": ("logsnag", frozenset({"LogSnag"}), False),
}
# `from segment import analytics`: a package whose submodule is the module-level API.
_SDK_SUBMODULES: Mapping[tuple[str, str], str] = {
    ("segment", "analytics"): "segment.analytics",
    ("rudderstack", "analytics"): "rudderstack.analytics",
    ("june", "analytics"): "june.analytics",
}
_CLIENT_CLASSES: Mapping[str, EmitterKind] = {
    f"{module}.{name}": kind
    for module, (kind, classes, _api) in _SDK_MODULES.items()
    for name in classes
}
# A receiver no import explains, recognised by its last name (`self._posthog`, `app.mixpanel`).
_NAMED_RECEIVERS: tuple[tuple[str, EmitterKind], ...] = (
    ("posthog", "posthog"),
    ("segment", "segment"),
    ("mixpanel", "mixpanel"),
    ("openpanel", "openpanel"),
    ("logsnag", "logsnag"),
)
# A runner that calls the function it is given: (index of that function among the positional
# arguments, whether awaiting the runner awaits the call).
_FUNCTION_RUNNERS: Mapping[str, tuple[int, bool]] = {
    "to_thread": (0, True),
    "run_in_executor": (1, True),
    "run_sync": (0, True),
    "add_task": (0, False),
    "BackgroundTask": (0, False),
    "submit": (0, False),
    "start_soon": (0, False),
}
_TASK_RUNNERS = frozenset({"create_task", "ensure_future"})
_PASS_THROUGH = frozenset({"wait_for", "shield"})
_BROAD = frozenset({"Exception", "BaseException"})
_NETWORK = frozenset(
    {
        "OSError",
        "IOError",
        "EnvironmentError",
        "ConnectionError",
        "TimeoutError",
        "error",  # socket.error
        "timeout",  # socket.timeout
        "RequestException",
        "RequestError",
        "HTTPError",
        "TransportError",
        "NetworkError",
        "ConnectError",
        "ConnectTimeout",
        "ClientError",
        "APIError",
    }
)
RESPONDERS = frozenset({"HTTPException", "abort", "HTTPError", "JSONResponse", "Response"})
"""Raising or calling one of these in an `except` answers the request with an error status."""


class Position(NamedTuple):
    """1-based line and column (in characters) of a node's start and its end (exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int


class Frame(NamedTuple):
    """One enclosing `try` (or `with suppress(...)`) of the current function."""

    catches: bool
    effect: CatchEffect
    narrow: str | None


@dataclass(frozen=True, slots=True)
class Argument(Generic[NodeT]):
    """One argument of a call as written: `f(x)`, `f(*xs)`, `f(k=x)`, `f(**kw)`.

    A dataclass, not a NamedTuple: Python 3.10 refuses a generic NamedTuple."""

    keyword: str | None
    star: str  # "", "*" or "**"
    value: NodeT


class Bindings(NamedTuple):
    """What a file's imports and definitions make of the names its calls start with."""

    sdk: Mapping[str, tuple[EmitterKind, str]]
    """local name -> (emitter, role): role "module" (a client module), "class", "function"."""
    known: frozenset[str]
    """Names the file defines or imports: a call of one may reach a wrapper."""
    ambiguous: frozenset[str]
    """Imported names that may be a project module rather than the SDK."""


def catches_outage(names: Sequence[str]) -> bool:
    """Whether an `except` naming these classes catches a failed network call."""
    for name in names:
        last = name.rsplit(".", 1)[-1]
        if last in _BROAD or last in _NETWORK or last.endswith(("ConnectionError", "Timeout")):
            return True
    return False


def try_frame(handlers: Iterable[tuple[list[str] | None, Callable[[], CatchEffect]]]) -> Frame:
    """The frame of a `try` from its handlers, each as (the class names it catches, None when
    bare; what it does with a failure, asked only of the first handler that catches an outage)."""
    narrow: list[str] = []
    for names, effect in handlers:
        if names is None or catches_outage(names):
            return Frame(True, effect(), None)
        narrow.extend(names)
    return Frame(False, "none", f"except {', '.join(narrow)}" if narrow else None)


def suppress_frame(names: Sequence[str]) -> Frame:
    """`with contextlib.suppress(...)`: swallows a telemetry failure when it names one."""
    return Frame(True, "swallows", None) if catches_outage(names) else Frame(False, "none", None)


def _binding_of(module: str, name: str | None) -> tuple[EmitterKind, str] | None:
    """package import -> (emitter, role of the bound name): "module" (a module-level API),
    "package" (a module holding client classes), "class" or "function"."""
    if name is not None and (module, name) in _SDK_SUBMODULES:
        return _SDK_MODULES[_SDK_SUBMODULES[module, name]][0], "module"
    sdk = _SDK_MODULES.get(module)
    if sdk is None:
        return None
    kind, classes, has_api = sdk
    if name is None:  # `import posthog`, `import segment.analytics as analytics`
        return kind, "module" if has_api else "package"
    if name in classes:
        return kind, "class"
    if has_api and (name in SEND_METHODS[kind] or name in OTHER_METHODS[kind]):
        return kind, "function"
    return None


def bindings_of(surface: ModuleSurface) -> Bindings:
    """The SDK bindings, known names and ambiguous imports of a module, from its surface."""
    sdk: dict[str, tuple[EmitterKind, str]] = {}
    known: set[str] = set(surface.functions) | set(surface.classes) | set(surface.assignments)
    ambiguous: set[str] = set()
    for binding in surface.imports:
        known.add(binding.local)
        if binding.level:
            ambiguous.add(binding.local)
            continue
        role = _binding_of(binding.module, binding.name)
        if role is not None:
            # `import segment.analytics` binds `segment`; calls name `segment.analytics.track`
            plain = binding.name is None and binding.module.startswith(binding.local + ".")
            sdk[binding.module if plain else binding.local] = role
            if binding.module == "analytics" or binding.name == "analytics":
                ambiguous.add(binding.local)  # may be the project's own analytics.py
        else:
            ambiguous.add(binding.local)  # `from app.core import posthog`: maybe a module
    return Bindings(sdk, frozenset(known), frozenset(ambiguous))


def _worth_keeping(
    site: Mapping[str, object], args: Sequence[EventRef], kwargs: Mapping[str, EventRef]
) -> bool:
    """A call either lesson can use: one that passes a name (an event, maybe) or whose failure
    matters (awaited, gathered, deferred). Dropping the rest keeps the facts of large projects
    small: a sync call with only computed arguments neither names an event nor can fail a
    request because of telemetry."""
    if site.get("awaited") or site.get("gather") is not None or site.get("deferred"):
        return True
    return any(ref.kind != "dynamic" for ref in (*args, *kwargs.values()))


class Collector(ABC, Generic[NodeT]):
    """The state of one walk over one file, fed by a reader that visits nodes in source order.

    A reader calls `enter_*`/`leave_*` around classes, functions, lambdas and guarded blocks,
    `awaited` for the call an `await` awaits (before visiting it), `assigned` for assignments
    and `call` for every call, in pre-order (a call before the calls in its arguments). Node
    identities only key the marks a call leaves on its arguments (awaited, gathered, deferred).
    """

    def __init__(self, bindings: Bindings, extras: tuple[str, ...]) -> None:
        self.bindings = bindings.sdk
        self.known = bindings.known
        self.ambiguous = bindings.ambiguous
        self.extras = extras
        self.emissions: list[Emission] = []
        self.calls: list[CallSite] = []
        self.functions: dict[str, FunctionTelemetry] = {}
        self.gathers: list[Gather] = []
        self.clients: dict[str, EmitterKind] = {}
        self._scopes: list[tuple[str | None, bool]] = []  # (name, is class)
        self._frames: list[list[Frame]] = [[]]
        self._awaited: set[int] = set()
        self._gather_of: dict[int, int] = {}
        self._deferred: set[int] = set()

    # -- what the reader supplies --------------------------------------------------------------

    @abstractmethod
    def event_ref(self, node: NodeT) -> EventRef:
        """A literal, a dotted name, or dynamic."""

    @abstractmethod
    def dotted(self, node: NodeT) -> str | None:
        """`a.b.c` for names and attribute chains, else None."""

    @abstractmethod
    def where(self, call: NodeT) -> Position:
        """Where a call is written."""

    @abstractmethod
    def arguments(self, call: NodeT) -> list[Argument[NodeT]]:
        """A call's arguments in source order."""

    @abstractmethod
    def is_false(self, node: NodeT) -> bool:
        """The literal `False`."""

    @abstractmethod
    def gathered(self, node: NodeT) -> Iterable[NodeT]:
        """The awaitables of one `gather` argument: the call itself, or the items of a
        list/tuple/comprehension (`*[track(e) for e in events]`)."""

    # -- scopes --------------------------------------------------------------------------------

    def owner(self) -> tuple[str | None, bool]:
        """(the top-level function or `Class.method` holding the walk, inside a nested def)."""
        names = [name for name, _ in self._scopes]
        classes = [is_class for _, is_class in self._scopes]
        if not names:
            return None, False
        if classes[0]:  # a class: its method is the owner
            if len(names) < 2:
                return None, False
            return f"{names[0]}.{names[1]}", len(names) > 2
        return names[0], len(names) > 1

    def enter_class(self, name: str) -> None:
        self._scopes.append((name, True))

    def leave_class(self) -> None:
        self._scopes.pop()

    def enter_function(
        self, name: str, line: int, params: Sequence[str], *, is_async: bool, static: bool
    ) -> None:
        in_class = len(self._scopes) == 1 and self._scopes[0][1]
        if not self._scopes or in_class:
            qualified = f"{self._scopes[0][0]}.{name}" if in_class else name
            names = list(params)
            if in_class and not static and names and names[0] in ("self", "cls"):
                names = names[1:]
            self.functions[qualified] = FunctionTelemetry(
                name=qualified, line=line, params=names, is_async=is_async
            )
        self._scopes.append((name, False))
        self._frames.append([])

    def leave_function(self) -> None:
        self._scopes.pop()
        self._frames.pop()

    def enter_lambda(self) -> None:
        self._scopes.append(("<lambda>", False))
        self._frames.append([])

    leave_lambda = leave_function

    def enter_guard(self, frame: Frame) -> None:
        """The body of a `try` or `with` block starts (its handlers are outside it)."""
        self._frames[-1].append(frame)

    def leave_guard(self) -> None:
        self._frames[-1].pop()

    def _catch(self) -> tuple[CatchEffect, str | None]:
        narrow: str | None = None
        for frame in reversed(self._frames[-1]):
            if frame.catches:
                return frame.effect, narrow
            narrow = narrow or frame.narrow
        return "none", narrow

    # -- assignments of clients ----------------------------------------------------------------

    def _client_kind(self, callee: str | None) -> EmitterKind | None:
        if callee is None:
            return None
        head, _, rest = callee.partition(".")
        binding = self.bindings.get(head)
        if binding is not None:
            kind, role = binding
            if role == "class" and not rest:
                return kind
            if role in ("module", "package"):  # `posthog.Posthog(...)`, `mixpanel.Mixpanel(...)`
                return (
                    kind
                    if any(
                        k == kind and rest in classes for k, classes, _api in _SDK_MODULES.values()
                    )
                    else None
                )
        return _CLIENT_CLASSES.get(callee)

    def assigned(self, targets: Iterable[str | None], value_callee: str | None) -> None:
        """An assignment of a call of `value_callee` (None: not a call) to dotted targets."""
        kind = self._client_kind(value_callee)
        if kind is None:
            return
        for name in targets:
            if name is not None and (not self._scopes or "." in name):
                self.clients[name] = kind

    # -- calls ---------------------------------------------------------------------------------

    def awaited(self, call: NodeT) -> None:
        self._awaited.add(id(call))

    def _site(self, call: NodeT) -> dict[str, object]:
        where = self.where(call)
        function, nested = self.owner()
        effect, narrow = self._catch()
        return {
            "line": where.line,
            "column": where.column,
            "end_line": where.end_line,
            "end_column": where.end_column,
            "in_function": function,
            "nested": nested,
            "awaited": id(call) in self._awaited,
            "catch_effect": effect,
            "narrow": narrow,
            "gather": self._gather_of.get(id(call)),
            "deferred": id(call) in self._deferred,
        }

    def call(self, call: NodeT, callee: str | None) -> None:
        """One call. The reader supplies its position and arguments, asked for only when the
        call may matter: a third of a large project's calls (`str(x)`, `request.json()`: a
        builtin, a parameter's method) are neither telemetry nor a possible wrapper."""
        if callee is None:
            return
        last = callee.rsplit(".", 1)[-1]
        if last == "gather" and callee in ("asyncio.gather", "gather"):
            self._gather(call, self.arguments(call))
            return
        if last in _TASK_RUNNERS:
            for arg in self.arguments(call):
                self._deferred.add(id(arg.value))
            return
        if last in _PASS_THROUGH and id(call) in self._awaited:
            args = self.arguments(call)
            if args:
                self._awaited.add(id(args[0].value))  # `await asyncio.wait_for(capture(), 5)`
                return
        runner = _FUNCTION_RUNNERS.get(last)
        classified = None if runner is not None else self._classify(callee)
        if runner is None and classified is None and not self._may_wrap(callee):
            return
        args = self.arguments(call)
        plain = [a.value for a in args if a.keyword is None and not a.star]
        kwargs = {a.keyword: self.event_ref(a.value) for a in args if a.keyword is not None}
        positional = [self.event_ref(value) for value in plain]
        if runner is not None:
            index, awaits = runner
            function = self.dotted(plain[index]) if len(plain) > index else None
            if function is not None:
                extra = {} if awaits else {"deferred": True}
                site = {**self._site(call), **extra, "via": callee}
                arguments = positional[index + 1 :]
                self._record(site, function, arguments, kwargs, self._classify(function))
            return
        site = {**self._site(call), "via": None}
        self._record(site, callee, positional, kwargs, classified)

    def _may_wrap(self, callee: str) -> bool:
        """A call of a name the module defines or imports, or a method of its own: maybe an
        emitter wrapper (`_record` keeps it when it passes a name or its failure matters)."""
        head = callee.split(".", 1)[0]
        return head in self.known or head in ("self", "cls")

    def _record(
        self,
        site: dict[str, object],
        callee: str,
        args: list[EventRef],
        kwargs: dict[str, EventRef],
        classified: tuple[EmitterKind, str, str, bool] | None,
    ) -> None:
        if classified is not None:
            emitter, method, receiver, ambiguous = classified
            event, style = (
                capture_event(emitter, args, kwargs)
                if method in SEND_METHODS[emitter] or emitter == "custom"
                else (DYNAMIC, "none")
            )
            self.emissions.append(
                Emission.model_validate(
                    {
                        **site,
                        "emitter": emitter,
                        "method": method,
                        "receiver": receiver,
                        "event": event,
                        "capture_style": style,
                        "ambiguous": ambiguous,
                    }
                )
            )
            if not ambiguous:
                return
        if self._may_wrap(callee) and _worth_keeping(site, args, kwargs):
            self.calls.append(
                CallSite.model_validate({**site, "callee": callee, "args": args, "kwargs": kwargs})
            )

    def _classify(self, callee: str) -> tuple[EmitterKind, str, str, bool] | None:
        """(emitter, method, receiver, ambiguous) when `callee` is a telemetry call."""
        for extra in self.extras:
            if callee == extra or callee.endswith("." + extra):
                return "custom", extra.rsplit(".", 1)[-1], callee.rpartition(".")[0], False
        receiver, _, method = callee.rpartition(".")
        head = callee.split(".", 1)[0]
        binding = self.bindings.get(head)
        if not receiver:
            if binding is not None and binding[1] == "function":
                return binding[0], callee, binding[0], False
            return None
        kind: EmitterKind | None = None
        if receiver in self.clients:
            kind = self.clients[receiver]
        elif receiver in self.bindings and self.bindings[receiver][1] == "module":
            kind = self.bindings[receiver][0]
        else:
            last = receiver.rsplit(".", 1)[-1].lower()
            kind = next((k for needle, k in _NAMED_RECEIVERS if needle in last), None)
        if kind is None or kind == "custom":
            return None
        if method not in SEND_METHODS[kind] and method not in OTHER_METHODS[kind]:
            return None
        return kind, method, receiver, head in self.ambiguous

    def _gather(self, call: NodeT, args: Sequence[Argument[NodeT]]) -> None:
        where = self.where(call)
        returns = False
        for arg in args:
            if arg.keyword == "return_exceptions":
                returns = not self.is_false(arg.value)
        function, _nested = self.owner()
        index = len(self.gathers)
        self.gathers.append(
            Gather(
                line=where.line,
                column=where.column,
                end_line=where.end_line,
                end_column=where.end_column,
                in_function=function,
                return_exceptions=returns,
                catch_effect=self._catch()[0],
            )
        )
        for arg in args:
            if arg.keyword is not None:
                continue
            for member in self.gathered(arg.value):
                self._gather_of[id(member)] = index

    def facts(self) -> TelemetryFacts:
        return TelemetryFacts(
            emissions=self.emissions,
            calls=self.calls,
            functions=self.functions,
            gathers=self.gathers,
            clients=self.clients,
        )
