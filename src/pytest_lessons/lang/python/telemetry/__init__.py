"""Analytics emitters in Python: which calls send an event, which event, and in what context.

The Python counterpart of `lang.typescript.telemetry`, for the same two lessons of the reorder
postmortem: an event captured by the backend and again by a client (`single-emission-source`),
and a telemetry call whose failure takes the request down with it (`telemetry-isolation`).

Per file (`telemetry_facts`, cached as `file.derived("py-telemetry-v1:<extras>", ...)`):

* `Emission`: a call on a recognised analytics client.

  - posthog-python: the module API (`import posthog; posthog.capture(...)`), clients built with
    `Posthog(...)` / `posthog.Posthog(...)` and assigned to a name (`ph = Posthog(...)`) or an
    attribute (`settings.posthog = ...`, `self.client = ...`), and, failing that, any receiver
    whose last name mentions posthog (`self._posthog`, `request.app.state.posthog`) because
    clients are commonly built in the app's own `analytics.py`.
  - Segment analytics-python: `import analytics`, `import segment.analytics as analytics`,
    `from segment import analytics`, and `Client(...)` instances (`analytics.Client(...)`).
  - configured `extra-emitters` (dotted names; the event is the first argument or `event=`).

  The event of a posthog `capture` depends on the SDK version, and the call tells which one it
  uses (`capture_style`): `event=` names it outright ("keyword"); a `distinct_id=` keyword means
  the new signature of posthog-python 6+ (`capture(event, distinct_id=..., properties=...)`), so
  the event is the first positional ("new"); two or more positionals mean the old signature
  (`capture(distinct_id, event, properties)`), event second ("old"); a single positional with no
  `distinct_id=` is the new signature relying on the context's distinct id ("new"). Segment's
  `track(user_id, event, ...)` always has the event second or `event=`.
* `CallSite`: a call of a name this file defines or imports (and `self.method(...)`): maybe an
  emitter wrapper, maybe a client built in another module; only the index can tell.
* Calls handed to a runner are recorded as calls of the function they name:
  `await asyncio.to_thread(posthog.capture, ...)` (and `run_in_executor`, anyio `run_sync`) is an
  awaited capture; `background_tasks.add_task(posthog.capture, ...)` (and `BackgroundTask`,
  `executor.submit`, `start_soon`) and the coroutine given to `asyncio.create_task(...)` /
  `ensure_future(...)` are `deferred`: they run outside the request's await chain.
* Every site keeps its context: the enclosing top-level function (`Class.method` for methods,
  `nested` when inside an inner def or lambda), whether it is awaited, the nearest enclosing
  `try` (or `with suppress(...)`) whose handlers can catch a telemetry failure and what that
  handler does with it (`catch_effect`), and the `asyncio.gather(...)` it is an argument of.
  A handler catches a telemetry failure when it is bare or names `Exception`, `BaseException`
  or a network error class (`OSError`, `ConnectionError`, `TimeoutError`, `*RequestException`,
  `*HTTPError`, ...); `except ValueError` cannot catch an outage, and its text is kept (`narrow`)
  so a message can say so.

At judge time `emitter_index.EmitterIndex` joins these facts across modules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Literal, NamedTuple

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.common.telemetry import DYNAMIC, CatchEffect, EventRef, TelemetrySite
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.syntax import dotted_name, integer_value, node_text, string_value
from pytest_lessons.source import SourceFile

__all__ = [
    "FACTS_KEY",
    "CallSite",
    "Emission",
    "FunctionTelemetry",
    "Gather",
    "Site",
    "TelemetryFacts",
    "capture_event",
    "telemetry_facts",
]

FACTS_KEY = "py-telemetry-v1"

EmitterKind = Literal["posthog", "segment", "custom"]
CaptureStyle = Literal["old", "new", "keyword", "segment", "custom", "none"]

SEND_METHODS: Mapping[EmitterKind, frozenset[str]] = {
    "posthog": frozenset({"capture"}),
    "segment": frozenset({"track"}),
    "custom": frozenset(),
}
# Calls that send no named event but talk to the service and can fail when awaited.
OTHER_METHODS: Mapping[EmitterKind, frozenset[str]] = {
    "posthog": frozenset(
        {"flush", "shutdown", "join", "identify", "alias", "set", "set_once", "group_identify"}
    ),
    "segment": frozenset({"flush", "shutdown", "join", "identify", "alias", "group", "page"}),
    "custom": frozenset(),
}
_CLIENT_CLASSES: Mapping[str, EmitterKind] = {
    "posthog.Posthog": "posthog",
    "posthog.Client": "posthog",
    "analytics.Client": "segment",
    "segment.analytics.Client": "segment",
}
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
_RESPONDERS = frozenset({"HTTPException", "abort", "HTTPError", "JSONResponse", "Response"})


class Site(TelemetrySite):
    """Where a call sits and what surrounds it (1-based columns, end exclusive).

    `catch_effect` is the nearest enclosing `try` (or `with suppress(...)`) able to catch a
    telemetry failure; `deferred` a call handed to `create_task`/`add_task`/...
    """

    nested: bool = False
    """Inside an inner def or lambda of `in_function`: not part of its await chain."""
    narrow: str | None = None
    """The text of an enclosing `except` too narrow to catch an outage (`except ValueError`)."""
    gather: int | None = None
    """Index in `TelemetryFacts.gathers` of the `asyncio.gather(...)` this is an argument of."""
    via: str | None = None
    """The runner the call was handed to (`asyncio.to_thread`), for messages."""

    @property
    def caught(self) -> bool:
        """A failure of this call stops in the function it sits in."""
        return self.catch_effect == "swallows"


class Emission(Site):
    emitter: EmitterKind
    method: str
    receiver: str
    event: EventRef
    capture_style: CaptureStyle = "none"
    ambiguous: bool = False
    """The receiver is an imported name that may be a project module (`from app import
    posthog`, or `import analytics` beside a local `analytics.py`): the index decides."""


class CallSite(Site):
    """A call of a function this file defines or imports; arguments as event references."""

    callee: str
    args: list[EventRef] = Field(default_factory=list)
    kwargs: dict[str, EventRef] = Field(default_factory=dict)


class FunctionTelemetry(Record):
    name: str
    line: int
    params: list[str] = Field(default_factory=list)
    """Parameter names; `self`/`cls` of a method left out, so indexes match a bound call."""
    is_async: bool = False


class Gather(Record):
    line: int
    column: int
    end_line: int
    end_column: int
    in_function: str | None = None
    return_exceptions: bool = False
    """`return_exceptions=` is passed and not literally False (a dynamic value is trusted)."""
    catch_effect: CatchEffect = "none"


class TelemetryFacts(Record):
    emissions: list[Emission] = Field(default_factory=list)
    calls: list[CallSite] = Field(default_factory=list)
    functions: dict[str, FunctionTelemetry] = Field(default_factory=dict)
    gathers: list[Gather] = Field(default_factory=list)
    clients: dict[str, EmitterKind] = Field(default_factory=dict)
    """Names and attributes this file assigns a client to (`ph`, `settings.posthog`)."""


def telemetry_facts(file: SourceFile, extra_emitters: Sequence[str] = ()) -> TelemetryFacts:
    """The file's telemetry facts, extracted once per run and set of extra emitter names."""
    extras = tuple(sorted(set(extra_emitters)))
    return file.derived(f"{FACTS_KEY}:{','.join(extras)}", lambda f: _extract(f, extras))


# --- events of a call -----------------------------------------------------------------------


def event_ref(node: cst.BaseExpression | None) -> EventRef:
    value = string_value(node)
    if value is not None:
        return EventRef(kind="literal", value=value)
    name = dotted_name(node)
    if name is not None:
        return EventRef(kind="name", value=name)
    return DYNAMIC


def capture_event(
    emitter: EmitterKind, args: Sequence[EventRef], kwargs: Mapping[str, EventRef]
) -> tuple[EventRef, CaptureStyle]:
    """The event of a send call and how it was found (see the module docstring's rule)."""
    if "event" in kwargs:
        return kwargs["event"], "keyword" if emitter == "posthog" else emitter
    if emitter == "custom":
        return (args[0] if args else DYNAMIC), "custom"
    if emitter == "segment":
        return (args[1] if len(args) > 1 else DYNAMIC), "segment"
    if "distinct_id" in kwargs or len(args) == 1:
        return (args[0] if args else DYNAMIC), "new"
    if len(args) >= 2:
        return args[1], "old"
    return DYNAMIC, "none"


# --- extraction -----------------------------------------------------------------------------


class _Frame(NamedTuple):
    catches: bool
    effect: CatchEffect
    narrow: str | None


def _exception_names(node: cst.BaseExpression | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, cst.Tuple):
        return [
            name for e in node.elements for name in _exception_names(e.value) if name is not None
        ]
    name = dotted_name(node)
    return [name if name is not None else node_text(node)]


def _catches_outage(names: Sequence[str]) -> bool:
    for name in names:
        last = name.rsplit(".", 1)[-1]
        if last in _BROAD or last in _NETWORK or last.endswith(("ConnectionError", "Timeout")):
            return True
    return False


class _EffectFinder(cst.CSTVisitor):
    """What an except body does with the failure: swallow it, re-raise it, or answer 4xx/5xx."""

    def __init__(self) -> None:
        super().__init__()
        self.raises = False
        self.responds = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Raise(self, node: cst.Raise) -> None:
        self.raises = True
        callee = dotted_name(node.exc.func) if isinstance(node.exc, cst.Call) else None
        if callee is not None and callee.rsplit(".", 1)[-1] in _RESPONDERS:
            self.responds = True

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee is not None and callee.rsplit(".", 1)[-1] == "abort":
            self.responds = True
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("status_code", "status"):
                code = integer_value(arg.value)
                if code is not None and code >= 400:
                    self.responds = True

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Tuple) and node.value.elements:
            code = integer_value(node.value.elements[-1].value)
            if code is not None and code >= 400:
                self.responds = True


def _handler_effect(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> CatchEffect:
    finder = _EffectFinder()
    handler.body.visit(finder)
    if finder.responds:
        return "responds"
    return "rethrows" if finder.raises else "swallows"


def _try_frame(node: cst.Try | cst.TryStar) -> _Frame:
    narrow: list[str] = []
    for handler in node.handlers:
        names = _exception_names(handler.type)
        if handler.type is None or _catches_outage(names):
            return _Frame(True, _handler_effect(handler), None)
        narrow.extend(names)
    return _Frame(False, "none", f"except {', '.join(narrow)}" if narrow else None)


def _self_params(node: cst.FunctionDef, is_method: bool) -> list[str]:
    params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
    names = [p.name.value for p in params]
    static = any(dotted_name(d.decorator) == "staticmethod" for d in node.decorators)
    if is_method and not static and names and names[0] in ("self", "cls"):
        names = names[1:]
    return names


class _Extractor(cst.CSTVisitor):
    def __init__(
        self,
        positions: Mapping[cst.CSTNode, CodeRange],
        bindings: Mapping[str, tuple[EmitterKind, str]],
        known: set[str],
        ambiguous: set[str],
        extras: tuple[str, ...],
    ) -> None:
        super().__init__()
        self.positions = positions
        self.bindings = bindings
        """local name -> (emitter, role): role "module" (a client module), "class", "function"."""
        self.known = known
        self.ambiguous = ambiguous
        self.extras = extras
        self.facts_emissions: list[Emission] = []
        self.facts_calls: list[CallSite] = []
        self.functions: dict[str, FunctionTelemetry] = {}
        self.gathers: list[Gather] = []
        self.clients: dict[str, EmitterKind] = {}
        self._scopes: list[tuple[str | None, bool]] = []  # (top-level name, is class)
        self._frames: list[list[_Frame]] = [[]]
        self._awaited: set[int] = set()
        self._gather_of: dict[int, int] = {}
        self._deferred: set[int] = set()

    # -- scopes --------------------------------------------------------------------------------

    def _owner(self) -> tuple[str | None, bool]:
        names = [name for name, _ in self._scopes]
        functions = [is_class for _, is_class in self._scopes]
        if not names:
            return None, False
        if functions[0]:  # a class: its method is the owner
            if len(names) < 2:
                return None, False
            return f"{names[0]}.{names[1]}", len(names) > 2
        return names[0], len(names) > 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.append((node.name.value, True))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        in_class = len(self._scopes) == 1 and self._scopes[0][1]
        if not self._scopes or in_class:
            name = f"{self._scopes[0][0]}.{node.name.value}" if in_class else node.name.value
            start = self.positions[node].start
            self.functions[name] = FunctionTelemetry(
                name=name,
                line=start.line,
                params=_self_params(node, in_class),
                is_async=node.asynchronous is not None,
            )
        self._scopes.append((node.name.value, False))
        self._frames.append([])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._scopes.pop()
        self._frames.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._scopes.append(("<lambda>", False))
        self._frames.append([])

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._scopes.pop()
        self._frames.pop()

    # -- try / suppress ------------------------------------------------------------------------

    def visit_Try_body(self, node: cst.Try) -> None:
        self._frames[-1].append(_try_frame(node))

    def leave_Try_body(self, node: cst.Try) -> None:
        self._frames[-1].pop()

    def visit_TryStar_body(self, node: cst.TryStar) -> None:
        self._frames[-1].append(_try_frame(node))

    def leave_TryStar_body(self, node: cst.TryStar) -> None:
        self._frames[-1].pop()

    def visit_With_body(self, node: cst.With) -> None:
        names = [
            name
            for item in node.items
            if isinstance(item.item, cst.Call)
            and (dotted_name(item.item.func) or "").rsplit(".", 1)[-1] == "suppress"
            for arg in item.item.args
            for name in _exception_names(arg.value)
        ]
        self._frames[-1].append(
            _Frame(True, "swallows", None)
            if _catches_outage(names)
            else _Frame(False, "none", None)
        )

    def leave_With_body(self, node: cst.With) -> None:
        self._frames[-1].pop()

    def _catch(self) -> tuple[CatchEffect, str | None]:
        narrow: str | None = None
        for frame in reversed(self._frames[-1]):
            if frame.catches:
                return frame.effect, narrow
            narrow = narrow or frame.narrow
        return "none", narrow

    # -- assignments of clients ----------------------------------------------------------------

    def _client_kind(self, value: cst.BaseExpression) -> EmitterKind | None:
        if not isinstance(value, cst.Call):
            return None
        callee = dotted_name(value.func)
        if callee is None:
            return None
        head, _, rest = callee.partition(".")
        binding = self.bindings.get(head)
        if binding is not None:
            kind, role = binding
            if role == "class" and not rest:
                return kind
            if role == "module":
                full = f"{'posthog' if kind == 'posthog' else 'analytics'}.{rest}"
                return _CLIENT_CLASSES.get(full)
        return _CLIENT_CLASSES.get(callee)

    def _assigned(self, targets: Sequence[cst.BaseExpression], value: cst.BaseExpression) -> None:
        kind = self._client_kind(value)
        if kind is None:
            return
        for target in targets:
            name = dotted_name(target)
            if name is not None and (not self._scopes or "." in name):
                self.clients[name] = kind

    def visit_Assign(self, node: cst.Assign) -> None:
        self._assigned([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned([node.target], node.value)

    # -- calls ---------------------------------------------------------------------------------

    def visit_Await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            self._awaited.add(id(node.expression))

    def _site(self, node: cst.CSTNode, outer: cst.CSTNode | None = None) -> dict[str, object]:
        where = self.positions[node]
        anchor = outer if outer is not None else node
        function, nested = self._owner()
        effect, narrow = self._catch()
        return {
            "line": where.start.line,
            "column": where.start.column + 1,
            "end_line": where.end.line,
            "end_column": where.end.column + 1,
            "in_function": function,
            "nested": nested,
            "awaited": id(anchor) in self._awaited,
            "catch_effect": effect,
            "narrow": narrow,
            "gather": self._gather_of.get(id(anchor)),
            "deferred": id(anchor) in self._deferred,
        }

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee is None:
            return
        last = callee.rsplit(".", 1)[-1]
        if last == "gather" and callee in ("asyncio.gather", "gather"):
            self._gather(node)
            return
        if last in _TASK_RUNNERS:
            for arg in node.args:
                self._deferred.add(id(arg.value))
            return
        if last in _PASS_THROUGH and id(node) in self._awaited and node.args:
            self._awaited.add(id(node.args[0].value))  # `await asyncio.wait_for(capture(), 5)`
            return
        args = [a for a in node.args if a.keyword is None and not a.star]
        kwargs = {a.keyword.value: event_ref(a.value) for a in node.args if a.keyword is not None}
        positional = [event_ref(a.value) for a in args]
        if last in _FUNCTION_RUNNERS:
            index, awaits = _FUNCTION_RUNNERS[last]
            function = dotted_name(args[index].value) if len(args) > index else None
            if function is not None:
                extra = {} if awaits else {"deferred": True}
                self._record(node, function, positional[index + 1 :], kwargs, extra, via=callee)
            return
        self._record(node, callee, positional, kwargs, {}, via=None)

    def _record(
        self,
        node: cst.Call,
        callee: str,
        args: list[EventRef],
        kwargs: dict[str, EventRef],
        extra: Mapping[str, object],
        via: str | None,
    ) -> None:
        site = {**self._site(node), **extra, "via": via}
        classified = self._classify(callee)
        if classified is not None:
            emitter, method, receiver, ambiguous = classified
            event, style = (
                capture_event(emitter, args, kwargs)
                if method in SEND_METHODS[emitter] or emitter == "custom"
                else (DYNAMIC, "none")
            )
            self.facts_emissions.append(
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
        head = callee.split(".", 1)[0]
        if (head in self.known or head in ("self", "cls")) and _worth_keeping(site, args, kwargs):
            self.facts_calls.append(
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
        elif "posthog" in receiver.rsplit(".", 1)[-1].lower():
            kind = "posthog"
        elif "segment" in receiver.rsplit(".", 1)[-1].lower():
            kind = "segment"
        if kind is None or kind == "custom":
            return None
        if method not in SEND_METHODS[kind] and method not in OTHER_METHODS[kind]:
            return None
        return kind, method, receiver, head in self.ambiguous

    def _gather(self, node: cst.Call) -> None:
        returns = False
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "return_exceptions":
                returns = not (isinstance(arg.value, cst.Name) and arg.value.value == "False")
        where = self.positions[node]
        function, _nested = self._owner()
        index = len(self.gathers)
        self.gathers.append(
            Gather(
                line=where.start.line,
                column=where.start.column + 1,
                end_line=where.end.line,
                end_column=where.end.column + 1,
                in_function=function,
                return_exceptions=returns,
                catch_effect=self._catch()[0],
            )
        )
        for arg in node.args:
            if arg.keyword is not None:
                continue
            for member in _gathered(arg.value):
                self._gather_of[id(member)] = index


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


def _gathered(value: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The awaitables of one `gather` argument: the call itself, or the calls of a starred
    list/tuple/comprehension (`*[track(e) for e in events]`)."""
    if isinstance(value, (cst.ListComp, cst.GeneratorExp)):
        yield value.elt
    elif isinstance(value, (cst.List, cst.Tuple)):
        for element in value.elements:
            yield element.value
    else:
        yield value


# package import -> (emitter, role of the bound name)
def _binding_of(module: str, name: str | None) -> tuple[EmitterKind, str] | None:
    if name is None:  # `import posthog`, `import segment.analytics as analytics`
        if module == "posthog":
            return "posthog", "module"
        if module in ("analytics", "segment.analytics"):
            return "segment", "module"
        return None
    if module == "posthog":
        if name in ("Posthog", "Client"):
            return "posthog", "class"
        if name in SEND_METHODS["posthog"] or name in OTHER_METHODS["posthog"]:
            return "posthog", "function"
    if module in ("analytics", "segment.analytics"):
        if name == "Client":
            return "segment", "class"
        if name in SEND_METHODS["segment"] or name in OTHER_METHODS["segment"]:
            return "segment", "function"
    if module == "segment" and name == "analytics":
        return "segment", "module"
    return None


def _extract(file: SourceFile, extras: tuple[str, ...]) -> TelemetryFacts:
    surface = module_surface(file)
    bindings: dict[str, tuple[EmitterKind, str]] = {}
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
            bindings[binding.module if plain else binding.local] = role
            if binding.module == "analytics" or (binding.module, binding.name) == (
                "segment",
                "analytics",
            ):
                ambiguous.add(binding.local)  # may be the project's own analytics.py
        else:
            ambiguous.add(binding.local)  # `from app.core import posthog`: maybe a module
    wrapper = file.python_metadata()
    positions = wrapper.resolve(PositionProvider)
    extractor = _Extractor(positions, bindings, known, ambiguous, extras)
    wrapper.module.visit(extractor)
    return TelemetryFacts(
        emissions=extractor.facts_emissions,
        calls=extractor.facts_calls,
        functions=extractor.functions,
        gathers=extractor.gathers,
        clients=extractor.clients,
    )
