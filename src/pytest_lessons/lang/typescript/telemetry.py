"""Analytics emitters in JS/TS: which calls send an event, which event, and in what context.

Two lessons come from the same postmortem: `order_placed` was captured server-side and again in a
client component (`single-emission-source`), and `Promise.all` over two PostHog wrapper calls
turned a telemetry outage into a 500 from the worker (`telemetry-isolation`). Both need the same
facts: the emission sites, the event each sends (a literal, or a name to resolve later), and the
context around the call (awaited? inside try/catch? inside `Promise.all`? deferred with `after()`?).

Per file (`telemetry_facts`, cached through `file.derived`):

* `Emission`: a call on a recognised analytics client: posthog-js (`posthog.capture`, the
  `usePostHog()` client, optional chaining included), posthog-node (`client.capture({ event })`,
  `captureImmediate`, and `flush`/`shutdown`, recorded with a "dynamic" event because they can
  fail or block a request too), clients built with `new PostHog(...)` or returned by a local getter,
  Segment/RudderStack/Mixpanel/Amplitude `track`/`logEvent`, and configured extra emitter names. A
  receiver is recognised by how the file obtained it (import, `new`, hook, getter) or, failing
  that, by its name (posthog/analytics/mixpanel/amplitude/segment/rudder), because clients are
  commonly imported from the app's own `lib/posthog.ts`; `array.capture(...)` or `router.push`
  never qualify. `gtag("event", name)` is not an emitter here: its event is the second argument,
  none of the postmortem's lessons concern Google Analytics, and `gtag` calls are page-view noise.
* `CallSite`: a call to a function defined in this file or imported into it, i.e. a candidate
  emitter wrapper (`trackOrderPlaced()`); whether it is one is only known at judge time.
* `FunctionTelemetry`: per top-level function (declarations, `export const f = () => {}`, object
  literal members `const analytics = { track() {} }` as "analytics.track", class methods as
  "Class.method"): the events it emits, what it calls, which parameter carries the event, and
  whether it swallows its own telemetry errors (many real `track()` helpers do, which makes
  `await track()` safe).

At judge time `emitter_index.EmitterIndex` joins these facts across files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, NamedTuple

from ast_grep_py import SgNode
from pydantic import BaseModel, Field

from pytest_lessons.lang.common.telemetry import CatchEffect, EventRef, TelemetrySite
from pytest_lessons.lang.typescript.runtime import import_names
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    directives,
    dotted_name,
    object_properties,
    root_of,
    span,
    string_value,
)
from pytest_lessons.source import SourceFile

EmitterKind = Literal[
    "posthog-js", "posthog-node", "segment", "rudderstack", "mixpanel", "amplitude", "custom"
]


class Site(TelemetrySite):
    """Where a call sits and what surrounds it: the context `telemetry-isolation` judges.

    `deferred` is a call inside `after(...)`/`waitUntil(...)`, which run after the response.
    """

    in_try: bool = False
    has_catch: bool = False
    in_promise_all: bool = False

    @property
    def swallowed(self) -> bool:
        """A failure of this call cannot escape the function it sits in."""
        return self.has_catch or self.catch_effect == "swallows"


class Emission(Site):
    """A call on an analytics client that sends an event (or flushes/shuts the client down).

    `awaited` is a direct `await` of the call (a `.catch()`/`.then()` chained on it included),
    not an `await Promise.all([...])` around it. `catch_effect` is what the nearest enclosing
    try/catch in the same function does with a failure: "swallows" it, "rethrows" it, or
    "responds" with a 4xx/5xx (which a webhook sender retries, so it is no isolation).
    """

    emitter: EmitterKind
    method: str
    receiver: str | None
    event: EventRef


class CallSite(Site):
    """A call to a function this file defines or imports: maybe an emitter wrapper.

    `args` holds each argument as an event reference (literals and names; anything else is
    dynamic), so an event passed to `track(EVENTS.X, props)` can be resolved once `track` is known
    to forward its parameter to a capture. `object_args` does the same for `event:`-style keys of
    object-literal arguments (`track({ event: "x" })`).
    """

    callee: str
    args: list[EventRef] = Field(default_factory=list)
    object_args: dict[int, dict[str, EventRef]] = Field(default_factory=dict)


class FunctionTelemetry(BaseModel):
    """What one top-level function does with telemetry, for following wrappers.

    `event_param` is the index of the parameter the emitted event comes from (with
    `event_param_key` when it is a property of it: `track({ event })`, `track(input)` ->
    `input.event`). `catches_inside` is true when every emission in the body is swallowed (a
    try/catch that neither rethrows nor answers with an error, or a `.catch()` on the call).
    `forwards` maps callee -> (argument index, own parameter index) for parameters passed on to
    another function, so `trackOrder(name) -> track(name) -> capture(name)` resolves.
    """

    name: str
    line: int
    params: list[str | None] = Field(default_factory=list)
    param_keys: list[list[str]] = Field(default_factory=list)
    emits: list[EventRef] = Field(default_factory=list)
    calls: list[str] = Field(default_factory=list)
    catches_inside: bool = False
    event_param: int | None = None
    event_param_key: str | None = None
    forwards: list[tuple[str, int, int]] = Field(default_factory=list)


class TelemetryFacts(BaseModel):
    emissions: list[Emission] = Field(default_factory=list)
    functions: dict[str, FunctionTelemetry] = Field(default_factory=dict)
    calls: list[CallSite] = Field(default_factory=list)
    imports_posthog_js: bool = False
    imports_posthog_node: bool = False
    imports_server_only: bool = False
    default_export: str | None = None  # `export default function handler`: "handler"
    directives: list[str] = Field(default_factory=list)  # 'use server' makes exports actions


def telemetry_facts(file: SourceFile, extra_emitters: Sequence[str] = ()) -> TelemetryFacts:
    """The telemetry facts of one file, extracted once per set of extra emitter names."""
    extras = tuple(sorted(set(extra_emitters)))
    return file.derived(
        f"js-telemetry-v1:{','.join(extras)}", lambda f: _Extractor(root_of(f), extras).run()
    )


# --- what counts as a client --------------------------------------------------------------

# package -> (imported name -> what the binding is). "client" bindings emit; "class" bindings
# make clients with `new`; "factory" bindings make clients with `.init()`/`.load()`/
# `.getInstance()`; "hook" bindings return clients; "function" bindings emit when called.
_BindingRole = Literal["client", "class", "factory", "hook", "function"]
_PACKAGES: dict[str, tuple[EmitterKind, dict[str, _BindingRole]]] = {
    "posthog-js": ("posthog-js", {"default": "client", "posthog": "client", "*": "client"}),
    "posthog-js/react": ("posthog-js", {"usePostHog": "hook"}),
    "posthog-node": ("posthog-node", {"PostHog": "class", "default": "class"}),
    "@segment/analytics-node": ("segment", {"Analytics": "class", "default": "class"}),
    "analytics-node": ("segment", {"default": "class"}),
    "@segment/analytics-next": ("segment", {"AnalyticsBrowser": "factory"}),
    "@rudderstack/rudder-sdk-node": ("rudderstack", {"default": "class"}),
    "@rudderstack/analytics-js": ("rudderstack", {"RudderAnalytics": "class"}),
    "rudder-sdk-js": ("rudderstack", {"*": "client", "default": "client"}),
    "mixpanel-browser": ("mixpanel", {"default": "client", "*": "client"}),
    "mixpanel": ("mixpanel", {"default": "factory", "*": "factory"}),
    "@amplitude/analytics-browser": (
        "amplitude",
        {"*": "client", "default": "client", "track": "function", "logEvent": "function"},
    ),
    "@amplitude/analytics-node": (
        "amplitude",
        {"*": "client", "default": "client", "track": "function"},
    ),
    "amplitude-js": ("amplitude", {"default": "factory"}),
}
SEND_METHODS: dict[EmitterKind, frozenset[str]] = {
    "posthog-js": frozenset({"capture"}),
    "posthog-node": frozenset({"capture", "captureImmediate"}),
    "segment": frozenset({"track"}),
    "rudderstack": frozenset({"track"}),
    "mixpanel": frozenset({"track"}),
    "amplitude": frozenset({"track", "logEvent"}),
    "custom": frozenset(),
}
# Calls that send nothing but can fail or hold a request open, which `telemetry-isolation` needs.
_LIFECYCLE_METHODS: dict[EmitterKind, frozenset[str]] = {
    "posthog-node": frozenset({"flush", "shutdown", "shutdownAsync", "flushAsync"}),
    "segment": frozenset({"flush", "closeAndFlush"}),
    "rudderstack": frozenset({"flush"}),
    "amplitude": frozenset({"flush"}),
}
_NAMED_RECEIVERS: tuple[tuple[str, EmitterKind], ...] = (
    ("posthog", "posthog-js"),
    ("mixpanel", "mixpanel"),
    ("amplitude", "amplitude"),
    ("rudder", "rudderstack"),
    ("segment", "segment"),
    ("analytics", "segment"),
)
_ALL_SEND_METHODS = frozenset().union(*SEND_METHODS.values())
_POSTHOG_NODE_ONLY = frozenset({"captureImmediate"}) | _LIFECYCLE_METHODS["posthog-node"]

_FUNCTION_KINDS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
_TRANSPARENT = frozenset({"parenthesized_expression", "non_null_expression", "as_expression"})
_PROMISE_COMBINATORS = frozenset(
    {"Promise.all", "Promise.allSettled", "Promise.any", "Promise.race"}
)
_FACTORY_METHODS = frozenset({"init", "load", "getInstance", "createInstance"})
_DEFERRERS = frozenset({"after", "waitUntil"})


def _unwrap(node: SgNode | None) -> SgNode | None:
    """`(x)`, `x!`, `x as T`, `await x` -> x: wrappers that do not change which value it is."""
    while node is not None and (node.kind() in _TRANSPARENT or node.kind() == "await_expression"):
        node = next((c for c in node.children() if c.is_named()), None)
    return node


def _event_ref(node: SgNode | None) -> EventRef:
    if node is None:
        return EventRef(kind="dynamic")
    value = string_value(node)
    if value is not None:
        return EventRef(kind="literal", value=value)
    name = dotted_name(node)
    if name is not None:
        if node.kind() == "identifier":
            local = _local_constant(node, name)
            if local is not None:
                return EventRef(kind="literal", value=local)
        return EventRef(kind="name", value=name)
    return EventRef(kind="dynamic")


def _local_constant(node: SgNode, name: str) -> str | None:
    """The string of a `const name = "..."` in a block around `node`.

    Module-level constants are resolved across files by the symbol index; an event name held in
    a function's own `const` never reaches it, so it is read here, nearest block first.
    """
    for ancestor in node.ancestors():
        if ancestor.kind() != "statement_block":
            continue
        for declarator in ancestor.find_all(kind="variable_declarator"):
            target = declarator.field("name")
            declaration = declarator.parent()
            if target is None or target.text() != name or declaration is None:
                continue
            if declaration.kind() == "lexical_declaration" and declaration.text().startswith(
                "const"
            ):
                value = string_value(declarator.field("value"))
                if value is not None:
                    return value
    return None


def _event_of(arguments: list[SgNode]) -> EventRef:
    """The event of `capture(name, ...)` or of `capture({ event: name, ... })` (node SDKs)."""
    if not arguments:
        return EventRef(kind="dynamic")
    first = _unwrap(arguments[0])
    if first is not None and first.kind() == "object":
        for key, value in object_properties(first):
            if key == "event":
                return _event_ref(value)
        return EventRef(kind="dynamic")
    return _event_ref(first)


def _is_function(node: SgNode) -> bool:
    return node.kind() in _FUNCTION_KINDS


def _is_default(statement: SgNode) -> bool:
    return any(child.kind() == "default" for child in statement.children())


def _has_function(node: SgNode) -> bool:
    """`withAuth(async (req) => ...)`: a declaration whose value wraps a function."""
    return any(
        node.find(kind=kind) is not None for kind in ("arrow_function", "function_expression")
    )


def _contains(outer: SgNode, inner: SgNode) -> bool:
    a, b = outer.range(), inner.range()
    return a.start.index <= b.start.index and b.end.index <= a.end.index


class _TopLevel(NamedTuple):
    name: str
    node: SgNode  # the function node (for params), or the declarator value when not a function
    line: int


class _Extractor:
    """One pass over one file's tree; all state is per file, nothing is kept afterwards."""

    def __init__(self, root: SgNode, extra_emitters: tuple[str, ...]) -> None:
        self.root = root
        self.extra = frozenset(extra_emitters)
        self.imports = import_names(root)
        self.imported_locals = {i.local for i in self.imports if i.local is not None}
        self.clients: dict[str, EmitterKind] = {}
        self.functions_of_sdk: dict[str, EmitterKind] = {}
        self.classes: dict[str, EmitterKind] = {}
        self.factories: dict[str, EmitterKind] = {}
        self.hooks: dict[str, EmitterKind] = {}
        self.getters: dict[str, EmitterKind] = {}
        self.default_export: str | None = None
        self.top_level = list(self._top_level_functions())
        self._top_names = frozenset(top.name for top in self.top_level)
        self._top_by_range: dict[tuple[int, int], _TopLevel] = {}
        for top in self.top_level:
            where = top.node.range()
            # of two units over the same span the later one wins, as in declaration order
            self._top_by_range[(where.start.index, where.end.index)] = top

    # -- bindings -----------------------------------------------------------------------

    def _bind_imports(self) -> None:
        for imported in self.imports:
            package = _PACKAGES.get(imported.source)
            if package is None or imported.local is None or imported.imported is None:
                continue
            kind, roles = package
            role = roles.get(imported.imported)
            target = {
                "client": self.clients,
                "class": self.classes,
                "factory": self.factories,
                "hook": self.hooks,
                "function": self.functions_of_sdk,
            }.get(role or "")
            if target is not None:
                target[imported.local] = kind

    def _client_kind(self, value: SgNode | None) -> EmitterKind | None:
        """The emitter kind of the client an expression evaluates to, if it is one."""
        node = _unwrap(value)
        if node is None:
            return None
        kind = node.kind()
        if kind == "new_expression":
            constructor = dotted_name(node.field("constructor"))
            return self.classes.get(constructor or "")
        if kind == "call_expression":
            name = callee_name(node)
            if name is None:
                return None
            if name in self.hooks:
                return self.hooks[name]
            if name in self.getters:
                return self.getters[name]
            base, _, method = name.rpartition(".")
            if base in self.factories and method in (
                "init",
                "load",
                "getInstance",
                "createInstance",
            ):
                return self.factories[base]
            if base and method in _FACTORY_METHODS:
                return _kind_by_name(base)  # `amplitude.getInstance()`
            # `getPostHogClient()`, `posthogServer()` imported from the app's own lib
            return _kind_by_name(name)
        if kind in ("identifier", "member_expression", "this"):
            return self.clients.get(dotted_name(node) or "")
        if kind in ("ternary_expression", "binary_expression"):
            for child in node.children():
                if child.is_named():
                    found = self._client_kind(child)
                    if found is not None:
                        return found
        return None

    def _bind_clients(self) -> None:
        """Variables, class fields and getters that hold or return a client, to a fixpoint."""
        for _ in range(3):
            before = (len(self.clients), len(self.getters))
            for declarator in self.root.find_all(kind="variable_declarator"):
                name_node = declarator.field("name")
                found = self._client_kind(declarator.field("value"))
                if found is not None and name_node is not None and name_node.kind() == "identifier":
                    self.clients.setdefault(name_node.text(), found)
            for assignment in self.root.find_all(kind="assignment_expression"):
                target = dotted_name(assignment.field("left"))
                found = self._client_kind(assignment.field("right"))
                if target is not None and found is not None:
                    self.clients.setdefault(target, found)
            for field in self.root.find_all(kind="public_field_definition"):
                name_node = field.field("name")
                found = self._client_kind(field.field("value"))
                if name_node is not None and found is not None:
                    self.clients.setdefault(f"this.{name_node.text()}", found)
            for top in self.top_level:
                if top.name not in self.getters:
                    found = self._returns_client(top.node)
                    if found is not None:
                        self.getters[top.name] = found
            if (len(self.clients), len(self.getters)) == before:
                break

    def _returns_client(self, function: SgNode) -> EmitterKind | None:
        if not _is_function(function):
            return None
        body = function.field("body")
        if body is None:
            return None
        if body.kind() != "statement_block":
            return self._client_kind(body)
        for statement in body.find_all(kind="return_statement"):
            if self._enclosing_function(statement) != function:
                continue
            value = next((c for c in statement.children() if c.is_named()), None)
            found = self._client_kind(value)
            if found is not None:
                return found
        return None

    # -- top-level functions ------------------------------------------------------------

    def _top_level_functions(self) -> Iterator[_TopLevel]:
        for statement in self.root.children():
            node = statement
            if node.kind() == "export_statement":
                declaration = node.field("declaration")
                if declaration is None:
                    value = node.field("value")
                    if value is not None:
                        yield _TopLevel("default", value, span(value).line)
                    continue
                node = declaration
            kind = node.kind()
            if kind in ("function_declaration", "generator_function_declaration"):
                name = node.field("name")
                exported = statement.kind() == "export_statement"
                if name is not None and exported and _is_default(statement):
                    self.default_export = name.text()
                yield _TopLevel(name.text() if name else "default", node, span(node).line)
            elif kind in ("lexical_declaration", "variable_declaration"):
                for declarator in node.children():
                    if declarator.kind() != "variable_declarator":
                        continue
                    name = declarator.field("name")
                    value = _unwrap(declarator.field("value"))
                    if name is None or value is None or name.kind() != "identifier":
                        continue
                    if value.kind() == "object":
                        yield from self._object_members(name.text(), value)
                    elif _is_function(value) or _has_function(value):
                        yield _TopLevel(name.text(), value, span(declarator).line)
            elif kind in ("class_declaration", "abstract_class_declaration"):
                class_name = node.field("name")
                body = node.field("body")
                if class_name is None or body is None:
                    continue
                for member in body.children():
                    if member.kind() == "method_definition" and member.field("name") is not None:
                        method = member.field("name")
                        assert method is not None
                        yield _TopLevel(
                            f"{class_name.text()}.{method.text()}", member, span(member).line
                        )

    def _object_members(self, name: str, value: SgNode) -> Iterator[_TopLevel]:
        yield _TopLevel(name, value, span(value).line)
        for member in value.children():
            if member.kind() == "method_definition":
                key_node = member.field("name")
                if key_node is not None:
                    yield _TopLevel(f"{name}.{key_node.text()}", member, span(member).line)
        for key, member_value in object_properties(value):
            inner = _unwrap(member_value)
            if inner is not None and _is_function(inner):
                yield _TopLevel(f"{name}.{key}", inner, span(inner).line)

    def _enclosing_function(self, node: SgNode) -> SgNode | None:
        for ancestor in node.ancestors():
            if _is_function(ancestor):
                return ancestor
        return None

    def _owner(self, node: SgNode) -> str | None:
        """The innermost top-level function (see `_top_level_functions`) holding `node`.

        Found by walking up from `node` to the first ancestor that is a top-level unit, so the
        cost is the node's depth: comparing every call with every unit was quadratic, and a
        committed bundle (100k calls, 10k functions) took minutes.
        """
        best: _TopLevel | None = None
        for candidate in (node, *node.ancestors()):
            where = candidate.range()
            best = self._top_by_range.get((where.start.index, where.end.index))
            if best is not None:
                break
        if best is None:
            return None
        if _is_function(best.node):
            return best.name
        # `export const POST = withAuth(async (req) => ...)`: a function must sit in between.
        if any(_is_function(a) and _contains(best.node, a) for a in node.ancestors()):
            return best.name
        return None

    # -- context ------------------------------------------------------------------------

    def _context(self, call: SgNode) -> dict[str, Any]:
        awaited, has_catch = self._awaited_and_caught(call)
        in_try, effect = self._try_context(call)
        where = span(call)
        return Site(
            line=where.line,
            column=where.column,
            end_line=where.end_line,
            end_column=where.end_column,
            in_function=self._owner(call),
            awaited=awaited,
            has_catch=has_catch,
            in_try=in_try,
            catch_effect=effect,
            in_promise_all=self._in_promise_all(call),
            deferred=self._deferred(call),
        ).model_dump()

    def _awaited_and_caught(self, call: SgNode) -> tuple[bool, bool]:
        node = call
        has_catch = False
        while True:
            parent = node.parent()
            if parent is None:
                return False, has_catch
            if parent.kind() in _TRANSPARENT:
                node = parent
                continue
            if parent.kind() == "member_expression":
                prop = parent.field("property")
                grand = parent.parent()
                method = prop.text() if prop is not None else ""
                chained = method in ("catch", "then", "finally")
                if chained and grand is not None and grand.kind() == "call_expression":
                    args = call_arguments(grand)
                    if method == "catch" or (method == "then" and len(args) >= 2):
                        has_catch = True
                    node = grand
                    continue
                return False, has_catch
            return parent.kind() == "await_expression", has_catch

    def _crosses(self, function: SgNode) -> bool:
        """A callback of `.map(...)` handed to a Promise combinator: its errors still reach
        the `await` around the combinator, so try/catch and `Promise.all` look through it."""
        arguments = function.parent()
        call = arguments.parent() if arguments is not None else None
        if call is None or call.kind() != "call_expression":
            return False
        name = callee_name(call) or ""
        if not name.endswith((".map", ".flatMap")):
            return False
        return self._combinator_of(call) is not None

    def _combinator_of(self, node: SgNode) -> str | None:
        """The Promise combinator `node` is (an element of) an argument of, if any."""
        current = node
        for parent in node.ancestors():
            if _is_function(parent) and not self._crosses(parent):
                return None
            if parent.kind() == "call_expression":
                name = callee_name(parent)
                arguments = parent.field("arguments")
                if (
                    name in _PROMISE_COMBINATORS
                    and arguments is not None
                    and _contains(arguments, current)
                ):
                    return name
            current = parent
        return None

    def _in_promise_all(self, call: SgNode) -> bool:
        return self._combinator_of(call) == "Promise.all"

    def _deferred(self, call: SgNode) -> bool:
        for parent in call.ancestors():
            if parent.kind() != "call_expression":
                continue
            name = callee_name(parent) or ""
            arguments = parent.field("arguments")
            if name.rsplit(".", 1)[-1] in _DEFERRERS and arguments and _contains(arguments, call):
                return True
        return False

    def _try_context(self, call: SgNode) -> tuple[bool, CatchEffect]:
        in_try = False
        current = call
        for parent in call.ancestors():
            if _is_function(parent) and not self._crosses(parent):
                break
            if parent.kind() == "try_statement":
                body = parent.field("body")
                handler = parent.field("handler")
                if handler is not None and body is not None and _contains(body, current):
                    in_try = True
                    effect = _catch_effect(handler)
                    if effect != "rethrows":
                        return True, effect
            current = parent
        return in_try, ("rethrows" if in_try else "none")

    # -- calls --------------------------------------------------------------------------

    def _classify_call(self, call: SgNode) -> tuple[EmitterKind, str, str | None] | None:
        """(emitter, method, receiver text) when `call` is an emission, else None."""
        function = call.field("function")
        if function is None:
            return None
        callee = dotted_name(function)
        if callee is not None and callee in self.extra:
            extra_receiver, _, extra_method = callee.rpartition(".")
            return "custom", extra_method, extra_receiver or None
        if callee is not None and callee in self.functions_of_sdk:
            return self.functions_of_sdk[callee], callee, None
        if function.kind() != "member_expression":
            return None
        prop = function.field("property")
        receiver_node = function.field("object")
        if prop is None or receiver_node is None:
            return None
        method = prop.text()
        receiver: str | None = dotted_name(receiver_node)
        receiver_text = receiver if receiver is not None else receiver_node.text()
        known = self._client_kind(receiver_node)
        if known == "posthog-js" and (
            method in _POSTHOG_NODE_ONLY or self._node_style(call, method)
        ):
            known = "posthog-node"
        if known is not None and (
            method in SEND_METHODS[known] or method in _LIFECYCLE_METHODS.get(known, ())
        ):
            return known, method, receiver_text
        if receiver is None:
            return None
        by_name = _kind_by_name(receiver)
        if by_name is None:
            return None
        if by_name == "posthog-js" and (
            method in _POSTHOG_NODE_ONLY or self._node_style(call, method)
        ):
            by_name = "posthog-node"
        if method in SEND_METHODS[by_name] or method in _LIFECYCLE_METHODS.get(by_name, ()):
            return by_name, method, receiver_text
        if method in _ALL_SEND_METHODS:
            return "custom", method, receiver_text
        return None

    def _node_style(self, call: SgNode, method: str) -> bool:
        """`posthog.capture({ event, distinctId })` is the node SDK's signature."""
        args = call_arguments(call)
        first = _unwrap(args[0]) if args else None
        if method == "capture" and first is not None and first.kind() == "object":
            return True
        return any(i.source == "posthog-node" for i in self.imports) and not any(
            i.source.startswith("posthog-js") for i in self.imports
        )

    def _is_candidate(self, callee: str) -> bool:
        root_name = callee.split(".", 1)[0]
        if root_name in self.imported_locals:
            return True
        return callee in self._top_names or root_name in self._top_names

    def run(self) -> TelemetryFacts:
        self._bind_imports()
        self._bind_clients()
        facts = TelemetryFacts(
            imports_posthog_js=any(i.source.startswith("posthog-js") for i in self.imports),
            imports_posthog_node=any(i.source == "posthog-node" for i in self.imports),
            imports_server_only=any(i.source == "server-only" for i in self.imports),
            default_export=self.default_export,
            directives=sorted(directives(self.root)),
        )
        for call in self.root.find_all(kind="call_expression"):
            classified = self._classify_call(call)
            if classified is not None:
                emitter, method, receiver = classified
                sends = method in SEND_METHODS[emitter] or emitter == "custom"
                facts.emissions.append(
                    Emission(
                        emitter=emitter,
                        method=method,
                        receiver=receiver,
                        event=_event_of(call_arguments(call))
                        if sends
                        else EventRef(kind="dynamic", value=method),
                        **self._context(call),
                    )
                )
                continue
            callee = callee_name(call)
            if callee is None or not self._is_candidate(callee):
                continue
            args = call_arguments(call)
            object_args: dict[int, dict[str, EventRef]] = {}
            for index, arg in enumerate(args):
                inner = _unwrap(arg)
                if inner is not None and inner.kind() == "object":
                    object_args[index] = {k: _event_ref(v) for k, v in object_properties(inner)}
            facts.calls.append(
                CallSite(
                    callee=callee,
                    args=[_event_ref(_unwrap(arg)) for arg in args],
                    object_args=object_args,
                    **self._context(call),
                )
            )
        facts.functions = self._functions(facts)
        return facts

    def _functions(self, facts: TelemetryFacts) -> dict[str, FunctionTelemetry]:
        functions: dict[str, FunctionTelemetry] = {}
        emissions_by_owner: dict[str | None, list[Emission]] = {}
        for emission in facts.emissions:
            emissions_by_owner.setdefault(emission.in_function, []).append(emission)
        calls_by_owner: dict[str | None, list[CallSite]] = {}
        for site in facts.calls:
            calls_by_owner.setdefault(site.in_function, []).append(site)
        for top in self.top_level:
            if top.name in functions:
                continue
            params, keys = _parameters(top.node)
            own = emissions_by_owner.get(top.name, [])
            sends = [e for e in own if e.method in SEND_METHODS[e.emitter] or e.emitter == "custom"]
            calls = calls_by_owner.get(top.name, [])
            info = FunctionTelemetry(
                name=top.name,
                line=top.line,
                params=params,
                param_keys=keys,
                emits=[e.event for e in sends],
                calls=list(dict.fromkeys(c.callee for c in calls)),
                catches_inside=bool(own) and all(e.swallowed for e in own),
            )
            for emission in sends:
                found = param_of(emission.event, params, keys)
                if found is not None and info.event_param is None:
                    info.event_param, info.event_param_key = found
            for site in calls:
                for arg_index, arg in enumerate(site.args):
                    found = param_of(arg, params, keys)
                    if found is not None and found[1] is None:
                        info.forwards.append((site.callee, arg_index, found[0]))
            functions[top.name] = info
        return functions


def _kind_by_name(receiver: str) -> EmitterKind | None:
    """Recognise a client by its name: the last part of the receiver (`this.posthog`,
    `window.analytics`, `posthogClient`, `serverAnalytics`)."""
    last = receiver.rsplit(".", 1)[-1].lower().replace("_", "")
    for needle, kind in _NAMED_RECEIVERS:
        if needle in last:
            return kind
    return None


def _catch_effect(handler: SgNode) -> CatchEffect:
    """What a catch clause does with the error: rethrow, answer 4xx/5xx, or swallow it."""
    body = handler.field("body")
    if body is None:
        return "swallows"

    def own(nodes: Iterable[SgNode]) -> Iterator[SgNode]:
        for node in nodes:
            if not any(_is_function(a) and _contains(body, a) for a in node.ancestors()):
                yield node

    if any(True for _ in own(body.find_all(kind="throw_statement"))):
        return "rethrows"
    for pair in own(body.find_all(kind="pair")):
        key = pair.field("key")
        value = pair.field("value")
        if key is not None and key.text() == "status" and _error_status(value):
            return "responds"
    for call in own(body.find_all(kind="call_expression")):
        name = callee_name(call) or ""
        last = name.rsplit(".", 1)[-1]
        args = call_arguments(call)
        if last in ("status", "sendStatus") and args and _error_status(args[0]):
            return "responds"
        if name in ("Response.error", "NextResponse.error") or last == "internalServerError":
            return "responds"
    return "swallows"


def _error_status(node: SgNode | None) -> bool:
    text = node.text() if node is not None and node.kind() == "number" else ""
    return text.isdigit() and int(text) >= 400


def _parameters(function: SgNode) -> tuple[list[str | None], list[list[str]]]:
    """Parameter names (None when destructured) and the keys of destructured object params."""
    if not _is_function(function):
        return [], []
    parameters = function.field("parameters")
    if parameters is None:
        single = function.field("parameter")  # `name => ...`
        return ([single.text()], [[]]) if single is not None else ([], [])
    names: list[str | None] = []
    keys: list[list[str]] = []
    for param in parameters.children():
        if not param.is_named() or param.kind() == "comment":
            continue
        pattern = param.field("pattern") if param.kind() != "identifier" else param
        if pattern is not None and pattern.kind() == "assignment_pattern":
            pattern = pattern.field("left")
        if pattern is not None and pattern.kind() == "identifier":
            names.append(pattern.text())
            keys.append([])
        elif pattern is not None and pattern.kind() == "object_pattern":
            names.append(None)
            found: list[str] = []
            for prop in pattern.children():
                if prop.kind() == "shorthand_property_identifier_pattern":
                    found.append(prop.text())
                elif prop.kind() == "object_assignment_pattern":
                    left = prop.field("left")
                    if left is not None:
                        found.append(left.text())
            keys.append(found)
        else:
            names.append(None)
            keys.append([])
    return names, keys


def param_of(
    event: EventRef, params: list[str | None], keys: list[list[str]]
) -> tuple[int, str | None] | None:
    """(parameter index, key) when an event reference reads a parameter of the function."""
    if event.kind != "name" or event.value is None:
        return None
    head, _, rest = event.value.partition(".")
    for index, name in enumerate(params):
        if name is not None and name == head:
            return index, (rest or None)
    if not rest:
        for index, names in enumerate(keys):
            if head in names:
                return index, head
    return None
