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
  Segment/RudderStack/Mixpanel/Amplitude `track`/`logEvent`; OpenPanel, Jitsu, June, LogSnag
  (`track`, `publish`), Vercel's `track` and Plausible (`track`, `usePlausible()`, and a `fetch`
  to its `/api/event` with the event as the body's `name`), each known by the package it comes
  from (`_PACKAGES`), hooks taken apart included (`const { track } = useLogSnag()`); and
  configured extra emitter names. A
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
from pydantic import Field

from pytest_lessons.lang.common.records import Compact
from pytest_lessons.lang.common.telemetry import CatchEffect, EventRef, TelemetrySite
from pytest_lessons.lang.common.telemetry import event_ref as _ref
from pytest_lessons.lang.typescript.nodes import FUNCTION_KINDS, FileNodes, file_nodes
from pytest_lessons.lang.typescript.runtime import ImportedName, imported_names
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    directives,
    dotted_name,
    object_properties,
    span,
    span_fields,
    string_value,
)
from pytest_lessons.source import SourceFile

EmitterKind = Literal[
    "posthog-js",
    "posthog-node",
    "segment",
    "rudderstack",
    "mixpanel",
    "amplitude",
    "openpanel",
    "jitsu",
    "june",
    "vercel",
    "plausible",
    "logsnag",
    "custom",
]


class Site(TelemetrySite):
    """Where a call sits and what surrounds it: the context `telemetry-isolation` judges.

    `deferred` is a call inside `after(...)`/`waitUntil(...)`, which run after the response.
    """

    in_try: bool = False
    has_catch: bool = False
    in_promise_all: bool = False
    returned: bool = False
    """The promise is what its top-level function returns (`(args) => analytics.track(args)`,
    `return client.flush()`): a caller that awaits the function awaits the call."""

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


class FunctionTelemetry(Compact):
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


class TelemetryFacts(Compact):
    emissions: list[Emission] = Field(default_factory=list)
    functions: dict[str, FunctionTelemetry] = Field(default_factory=dict)
    calls: list[CallSite] = Field(default_factory=list)
    imports_posthog_js: bool = False
    imports_posthog_node: bool = False
    imports_server_only: bool = False
    default_export: str | None = None  # `export default function handler`: "handler"
    directives: list[str] = Field(default_factory=list)  # 'use server' makes exports actions


def telemetry_markers(extra_emitters: Iterable[str]) -> tuple[bytes, ...]:
    """Byte strings some JS/TS file of a project must contain for this layer to find anything.

    A file emits through an SDK it imports (`posthog-js`, `@segment/analytics-node`, ...), a
    client named after one (`window.analytics`, `posthogClient`, `POSTHOG`), or a configured
    emitter; so a project none of whose files holds one of these words (in any case the
    receiver rule accepts: `PostHog`, `Analytics`) has no emission, and the telemetry lessons
    parse none of its files (see `Check.project_prefilter`). Loose on purpose: a comment naming
    an SDK only costs the parse.
    """
    found: dict[bytes, None] = {}
    for needle, _kind in _NAMED_RECEIVERS:
        tail = needle[1:]
        for variant in (tail, tail.upper(), tail.replace("hog", "Hog")):
            found.setdefault(variant.encode(), None)
    for marker in _OTHER_SDK_MARKERS:
        found.setdefault(marker, None)
    for name in extra_emitters:
        if name:
            found.setdefault(name.split(".", 1)[0].encode(), None)
    return tuple(found)


def telemetry_facts(file: SourceFile, extra_emitters: Sequence[str] = ()) -> TelemetryFacts:
    """The telemetry facts of one file, extracted once per set of extra emitter names."""
    extras = tuple(sorted(set(extra_emitters)))
    return file.derived(
        f"js-telemetry-v2:{','.join(extras)}",
        lambda f: _Extractor(file_nodes(f), imported_names(f), extras).run(),
    )


# --- what counts as a client --------------------------------------------------------------

# package -> (imported name -> what the binding is). "client" bindings emit; "class" bindings
# make clients with `new`; "factory" bindings make clients with `.init()`/`.load()`/
# `.getInstance()`; "maker" bindings make one when called (`jitsuAnalytics({...})`); "hook"
# bindings return clients (or an object holding one: `const { track } = useLogSnag()`);
# "function-hook" bindings return a function that emits (`const plausible = usePlausible()`);
# "function" bindings emit when called.
_BindingRole = Literal["client", "class", "factory", "maker", "hook", "function-hook", "function"]
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
    "@openpanel/sdk": ("openpanel", {"OpenPanel": "class"}),
    "@openpanel/web": ("openpanel", {"OpenPanel": "class"}),
    "@openpanel/nextjs": ("openpanel", {"OpenPanel": "class", "useOpenPanel": "hook"}),
    "@openpanel/react-native": ("openpanel", {"OpenPanel": "class"}),
    "@jitsu/js": ("jitsu", {"jitsuAnalytics": "maker"}),
    "@jitsu/sdk-js": ("jitsu", {"jitsuClient": "maker"}),
    "@jitsu/jitsu-react": ("jitsu", {"useJitsu": "hook"}),
    "@jitsu/jitsu-next": ("jitsu", {"useJitsu": "hook"}),
    "@june-so/analytics-node": ("june", {"Analytics": "class", "default": "class"}),
    "@june-so/analytics-next": ("june", {"AnalyticsBrowser": "factory"}),
    "@vercel/analytics": ("vercel", {"track": "function"}),
    "@vercel/analytics/server": ("vercel", {"track": "function"}),
    "@vercel/analytics/react": ("vercel", {"track": "function"}),
    "@vercel/analytics/next": ("vercel", {"track": "function"}),
    "@plausible-analytics/tracker": ("plausible", {"track": "function"}),
    "next-plausible": ("plausible", {"usePlausible": "function-hook"}),
    "@logsnag/node": ("logsnag", {"LogSnag": "class"}),
    "@logsnag/next/server": ("logsnag", {"LogSnag": "class"}),
    "@logsnag/next": ("logsnag", {"useLogSnag": "hook"}),
    "@logsnag/react": ("logsnag", {"useLogSnag": "hook"}),
    "logsnag": ("logsnag", {"LogSnag": "class", "default": "class"}),
}
SEND_METHODS: dict[EmitterKind, frozenset[str]] = {
    "posthog-js": frozenset({"capture"}),
    "posthog-node": frozenset({"capture", "captureImmediate"}),
    "segment": frozenset({"track"}),
    "rudderstack": frozenset({"track"}),
    "mixpanel": frozenset({"track"}),
    "amplitude": frozenset({"track", "logEvent"}),
    "openpanel": frozenset({"track"}),
    "jitsu": frozenset({"track"}),
    "june": frozenset({"track"}),
    "vercel": frozenset({"track"}),
    "plausible": frozenset({"track", "trackEvent", "fetch"}),
    "logsnag": frozenset({"track", "publish"}),
    "custom": frozenset(),
}
# Calls that send nothing but can fail or hold a request open, which `telemetry-isolation` needs.
_LIFECYCLE_METHODS: dict[EmitterKind, frozenset[str]] = {
    "posthog-node": frozenset({"flush", "shutdown", "shutdownAsync", "flushAsync"}),
    "segment": frozenset({"flush", "closeAndFlush"}),
    "rudderstack": frozenset({"flush"}),
    "amplitude": frozenset({"flush"}),
    "june": frozenset({"flush", "closeAndFlush"}),
    "jitsu": frozenset({"identify", "group"}),
    "openpanel": frozenset({"identify"}),
    "logsnag": frozenset({"identify"}),
}
_NAMED_RECEIVERS: tuple[tuple[str, EmitterKind], ...] = (
    ("posthog", "posthog-js"),
    ("mixpanel", "mixpanel"),
    ("amplitude", "amplitude"),
    ("rudder", "rudderstack"),
    ("segment", "segment"),
    ("analytics", "segment"),
    ("openpanel", "openpanel"),
    ("logsnag", "logsnag"),
    ("jitsu", "jitsu"),
)
_OTHER_SDK_MARKERS: tuple[bytes, ...] = (
    b"openpanel",
    b"OpenPanel",
    b"jitsu",
    b"june-so",
    b"plausible",
    b"ogsnag",
    b"ogSnag",
    b"vercel/analytics",
)
# What a client known only by its name (`serverAnalytics.track`) may send through: the common
# verbs, not `fetch`/`publish`, which an app's own `analyticsApi` object is as likely to have.
_ALL_SEND_METHODS = frozenset({"capture", "captureImmediate", "track", "logEvent"})
_POSTHOG_NODE_ONLY = frozenset({"captureImmediate"}) | _LIFECYCLE_METHODS["posthog-node"]

_FUNCTION_KINDS = FUNCTION_KINDS
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


def _is_function(node: SgNode) -> bool:
    return node.kind() in _FUNCTION_KINDS


def _is_default(statement: SgNode) -> bool:
    return any(child.kind() == "default" for child in statement.children())


def _has_function(node: SgNode) -> bool:
    """`withAuth(async (req) => ...)`: a declaration whose value wraps a function."""
    return node.find(any=[{"kind": "arrow_function"}, {"kind": "function_expression"}]) is not None


def _contains(outer: SgNode, inner: SgNode) -> bool:
    a, b = outer.range(), inner.range()
    return a.start.index <= b.start.index and b.end.index <= a.end.index


class _TopLevel(NamedTuple):
    name: str
    node: SgNode  # the function node (for params), or the declarator value when not a function
    line: int


class _Extractor:
    """One pass over one file's tree; all state is per file, nothing is kept afterwards.

    The nodes come from the file's shared `FileNodes` (one search for every kind asked), and the
    context of each call is read from one list of its ancestors; what several calls share (a
    catch clause's effect, a callback's crossing into `Promise.all`) is computed once per node.
    """

    def __init__(
        self, nodes: FileNodes, imports: list[ImportedName], extra_emitters: tuple[str, ...]
    ) -> None:
        self.nodes = nodes
        self.root = nodes.root
        self.extra = frozenset(extra_emitters)
        self.imports = imports
        self.imported_locals = {i.local for i in self.imports if i.local is not None}
        self.clients: dict[str, EmitterKind] = {}
        self.functions_of_sdk: dict[str, EmitterKind] = {}
        # local name -> the SDK method it is (`import { track as vercelTrack }` -> "track")
        self.sdk_function_names: dict[str, str] = {}
        self.makers: dict[str, EmitterKind] = {}
        self.function_hooks: dict[str, EmitterKind] = {}
        self.classes: dict[str, EmitterKind] = {}
        self.factories: dict[str, EmitterKind] = {}
        self.hooks: dict[str, EmitterKind] = {}
        self.getters: dict[str, EmitterKind] = {}
        self.default_export: str | None = None
        self.top_level = list(self._top_level_functions())
        self._top_names = frozenset(top.name for top in self.top_level)
        self._top_by_node: dict[SgNode, _TopLevel] = {}
        for top in self.top_level:
            # of two units over the same node the later one wins, as in declaration order
            self._top_by_node[top.node] = top
        self._constants: dict[str, list[tuple[int, int, str]]] | None = None
        self._crossing: dict[SgNode, bool] = {}
        self._effects: dict[SgNode, CatchEffect] = {}

    # -- event references ---------------------------------------------------------------

    def _event_ref(self, node: SgNode | None) -> EventRef:
        if node is None:
            return _ref("dynamic")
        value = string_value(node)
        if value is not None:
            return _ref("literal", value)
        name = dotted_name(node)
        if name is not None:
            if node.kind() == "identifier":
                local = self._local_constant(node, name)
                if local is not None:
                    return _ref("literal", local)
            return _ref("name", name)
        return _ref("dynamic")

    def _local_constant(self, node: SgNode, name: str) -> str | None:
        """The string of a `const name = "..."` in a block around `node`.

        Module-level constants are resolved across files by the symbol index; an event name held
        in a function's own `const` never reaches it, so it is read here: the nearest block
        around `node` holding (at any depth) such a declaration decides, the first in the file.
        """
        candidates = self._string_constants().get(name)
        if not candidates:
            return None
        for ancestor in node.ancestors():
            if ancestor.kind() != "statement_block":
                continue
            where = ancestor.range()
            for start, end, value in candidates:
                if where.start.index <= start and end <= where.end.index:
                    return value
        return None

    def _string_constants(self) -> dict[str, list[tuple[int, int, str]]]:
        """name -> (start, end, value) of every `const name = "..."` declarator, in order."""
        if self._constants is None:
            self._constants = {}
            for declarator in self.nodes.of("variable_declarator"):
                target = declarator.field("name")
                declaration = declarator.parent()
                if target is None or declaration is None or target.kind() != "identifier":
                    continue
                if declaration.kind() != "lexical_declaration" or not declaration.text().startswith(
                    "const"
                ):
                    continue
                value = string_value(declarator.field("value"))
                if value is not None:
                    where = declarator.range()
                    self._constants.setdefault(target.text(), []).append(
                        (where.start.index, where.end.index, value)
                    )
        return self._constants

    def _event_of(self, arguments: list[SgNode]) -> EventRef:
        """The event of `capture(name, ...)` or of `capture({ event: name, ... })` (node SDKs)."""
        if not arguments:
            return _ref("dynamic")
        first = _unwrap(arguments[0])
        if first is not None and first.kind() == "object":
            for key, value in object_properties(first):
                if key == "event":
                    return self._event_ref(value)
            return _ref("dynamic")
        return self._event_ref(first)

    def _plausible_event(self, arguments: list[SgNode]) -> EventRef:
        """The `name` of the JSON body Plausible's events API receives:
        `fetch(url, { body: JSON.stringify({ name: "signup", ... }) })`."""
        options = _unwrap(arguments[1]) if len(arguments) > 1 else None
        if options is None or options.kind() != "object":
            return _ref("dynamic")
        body = _unwrap(dict(object_properties(options)).get("body"))
        if body is None or body.kind() != "call_expression":
            return _ref("dynamic")
        if callee_name(body) != "JSON.stringify":
            return _ref("dynamic")
        payload = call_arguments(body)
        inner = _unwrap(payload[0]) if payload else None
        if inner is None or inner.kind() != "object":
            return _ref("dynamic")
        name = dict(object_properties(inner)).get("name")
        return self._event_ref(name) if name is not None else _ref("dynamic")

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
                "maker": self.makers,
                "function-hook": self.function_hooks,
                "function": self.functions_of_sdk,
            }.get(role or "")
            if target is not None:
                target[imported.local] = kind
            if role == "function":
                self.sdk_function_names[imported.local] = imported.imported

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
            if name in self.makers:
                return self.makers[name]
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
            for declarator in self.nodes.of("variable_declarator"):
                name_node = declarator.field("name")
                value = declarator.field("value")
                if name_node is not None and name_node.kind() == "object_pattern":
                    self._bind_destructured(name_node, value)
                    continue
                if name_node is not None and name_node.kind() == "identifier":
                    call = _unwrap(value)
                    is_call = call is not None and call.kind() == "call_expression"
                    hook = callee_name(call) if is_call and call is not None else None
                    if hook is not None and hook in self.function_hooks:
                        # `const plausible = usePlausible()`: the variable is the send function
                        self.functions_of_sdk[name_node.text()] = self.function_hooks[hook]
                        self.sdk_function_names[name_node.text()] = "track"
                        continue
                found = self._client_kind(value)
                if found is not None and name_node is not None and name_node.kind() == "identifier":
                    self.clients.setdefault(name_node.text(), found)
            for assignment in self.nodes.of("assignment_expression"):
                target = dotted_name(assignment.field("left"))
                found = self._client_kind(assignment.field("right"))
                if target is not None and found is not None:
                    self.clients.setdefault(target, found)
            for field in self.nodes.of("public_field_definition"):
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

    def _bind_destructured(self, pattern: SgNode, value: SgNode | None) -> None:
        """`const { track } = useLogSnag()`, `const { analytics } = useJitsu()`: what a hook
        returns, taken apart. A key naming a send or lifecycle method binds a function that
        emits; any other key is taken to hold the client."""
        unwrapped = _unwrap(value)
        if unwrapped is None or unwrapped.kind() != "call_expression":
            return
        hook = callee_name(unwrapped)
        kind = self.hooks.get(hook or "")
        if kind is None:
            return
        methods = SEND_METHODS[kind] | _LIFECYCLE_METHODS.get(kind, frozenset())
        for prop in pattern.children():
            if prop.kind() == "shorthand_property_identifier_pattern":
                key = local = prop.text()
            elif prop.kind() == "pair_pattern":
                key_node, local_node = prop.field("key"), prop.field("value")
                if key_node is None or local_node is None or local_node.kind() != "identifier":
                    continue
                key, local = key_node.text(), local_node.text()
            else:
                continue
            if key in methods:
                self.functions_of_sdk[local] = kind
                self.sdk_function_names[local] = key
            else:
                self.clients.setdefault(local, kind)

    def _returns_client(self, function: SgNode) -> EmitterKind | None:
        if not _is_function(function):
            return None
        body = function.field("body")
        if body is None:
            return None
        if body.kind() != "statement_block":
            return self._client_kind(body)
        for statement in self.nodes.returns_of(function):
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

    def _owner(self, chain: Sequence[SgNode], kinds: Sequence[str]) -> str | None:
        """The innermost top-level function (see `_top_level_functions`) holding `chain[0]`.

        `chain` is the node and its ancestors: the first one that is a top-level unit wins, so
        the cost is the node's depth (comparing every call with every unit was quadratic, and a
        committed bundle of 100k calls and 10k functions took minutes).
        """
        for position, candidate in enumerate(chain):
            best = self._top_by_node.get(candidate)
            if best is None:
                continue
            if kinds[position] in _FUNCTION_KINDS:
                return best.name
            # `export const POST = withAuth(async (req) => ...)`: a function must sit between.
            if any(kind in _FUNCTION_KINDS for kind in kinds[1:position]):
                return best.name
            return None
        return None

    # -- context ------------------------------------------------------------------------

    def _context(self, call: SgNode) -> dict[str, Any]:
        """The context of a call, read from one list of its ancestors."""
        chain = [call, *call.ancestors()]
        kinds = [node.kind() for node in chain]
        awaited, has_catch = _awaited_and_caught(chain, kinds)
        in_try, effect = self._try_context(chain, kinds)
        return {
            **span_fields(call),
            "in_function": self._owner(chain, kinds),
            "awaited": awaited,
            "has_catch": has_catch,
            "in_try": in_try,
            "catch_effect": effect,
            "in_promise_all": self._combinator_of(chain, kinds, 0) == "Promise.all",
            "deferred": self._deferred(chain, kinds),
            "returned": self._returned(chain, kinds),
        }

    def _returned(self, chain: Sequence[SgNode], kinds: Sequence[str]) -> bool:
        """The call is returned, as is, by the top-level function it sits in: the expression
        body of that arrow function, or a `return` of its own body (not of a callback)."""
        index = 0
        while index + 1 < len(chain) and kinds[index + 1] in _TRANSPARENT:
            index += 1
        if index + 1 >= len(chain):
            return False
        parent_kind = kinds[index + 1]
        if parent_kind == "arrow_function":
            function = chain[index + 1]
            body = function.field("body")
            return body is not None and body == chain[index] and function in self._top_by_node
        if parent_kind != "return_statement":
            return False
        for position in range(index + 2, len(chain)):
            if kinds[position] in _FUNCTION_KINDS:
                return chain[position] in self._top_by_node
        return False

    def _crosses(self, chain: Sequence[SgNode], kinds: Sequence[str], index: int) -> bool:
        """A callback (`chain[index]`) of `.map(...)` handed to a Promise combinator: its
        errors still reach the `await` around the combinator, so try/catch and `Promise.all`
        look through it. Computed once per function."""
        function = chain[index]
        known = self._crossing.get(function)
        if known is not None:
            return known
        crosses = False
        if index + 2 < len(chain) and kinds[index + 2] == "call_expression":
            name = self.nodes.callee(chain[index + 2]) or ""
            if name.endswith((".map", ".flatMap")):
                crosses = self._combinator_of(chain, kinds, index + 2) is not None
        self._crossing[function] = crosses
        return crosses

    def _combinator_of(
        self, chain: Sequence[SgNode], kinds: Sequence[str], index: int
    ) -> str | None:
        """The Promise combinator `chain[index]` is (an element of) an argument of, if any."""
        for position in range(index + 1, len(chain)):
            kind = kinds[position]
            if kind in _FUNCTION_KINDS and not self._crosses(chain, kinds, position):
                return None
            if kind == "call_expression" and kinds[position - 1] == "arguments":
                name = self.nodes.callee(chain[position])
                if name in _PROMISE_COMBINATORS:
                    return name
        return None

    def _deferred(self, chain: Sequence[SgNode], kinds: Sequence[str]) -> bool:
        for position in range(1, len(chain)):
            if kinds[position] != "call_expression" or kinds[position - 1] != "arguments":
                continue
            name = self.nodes.callee(chain[position]) or ""
            if name.rsplit(".", 1)[-1] in _DEFERRERS:
                return True
        return False

    def _try_context(
        self, chain: Sequence[SgNode], kinds: Sequence[str]
    ) -> tuple[bool, CatchEffect]:
        in_try = False
        for position in range(1, len(chain)):
            kind = kinds[position]
            if kind in _FUNCTION_KINDS and not self._crosses(chain, kinds, position):
                break
            if kind == "try_statement" and kinds[position - 1] == "statement_block":
                handler = chain[position].field("handler")
                if handler is not None:
                    in_try = True
                    effect = self._catch_effect(handler)
                    if effect != "rethrows":
                        return True, effect
        return in_try, ("rethrows" if in_try else "none")

    def _catch_effect(self, handler: SgNode) -> CatchEffect:
        effect = self._effects.get(handler)
        if effect is None:
            effect = self._effects[handler] = _catch_effect(handler)
        return effect

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
        if callee == "fetch" and _is_plausible_api(call_arguments(call)):
            return "plausible", "fetch", None
        if callee is not None and callee in self.functions_of_sdk:
            kind = self.functions_of_sdk[callee]
            return kind, self.sdk_function_names.get(callee, callee), None
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
        for call in self.nodes.of("call_expression"):
            classified = self._classify_call(call)
            if classified is not None:
                emitter, method, receiver = classified
                sends = method in SEND_METHODS[emitter] or emitter == "custom"
                facts.emissions.append(
                    Emission(
                        emitter=emitter,
                        method=method,
                        receiver=receiver,
                        event=self._plausible_event(call_arguments(call))
                        if method == "fetch"
                        else self._event_of(call_arguments(call))
                        if sends
                        else _ref("dynamic", method),
                        **self._context(call),
                    )
                )
                continue
            callee = self.nodes.callee(call)
            if callee is None or not self._is_candidate(callee):
                continue
            args = call_arguments(call)
            object_args: dict[int, dict[str, EventRef]] = {}
            for index, arg in enumerate(args):
                inner = _unwrap(arg)
                if inner is not None and inner.kind() == "object":
                    object_args[index] = {
                        k: self._event_ref(v) for k, v in object_properties(inner)
                    }
            facts.calls.append(
                CallSite(
                    callee=callee,
                    args=[self._event_ref(_unwrap(arg)) for arg in args],
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


def _awaited_and_caught(chain: Sequence[SgNode], kinds: Sequence[str]) -> tuple[bool, bool]:
    """Whether the call `chain[0]` is awaited, through `.catch()`/`.then()`/`.finally()` chained
    on it (and whether one of those catches its failure)."""
    index = 0
    has_catch = False
    while True:
        if index + 1 >= len(chain):
            return False, has_catch
        kind = kinds[index + 1]
        if kind in _TRANSPARENT:
            index += 1
            continue
        if kind == "member_expression":
            prop = chain[index + 1].field("property")
            method = prop.text() if prop is not None else ""
            chained = method in ("catch", "then", "finally")
            if chained and index + 2 < len(chain) and kinds[index + 2] == "call_expression":
                args = call_arguments(chain[index + 2])
                if method == "catch" or (method == "then" and len(args) >= 2):
                    has_catch = True
                index += 2
                continue
            return False, has_catch
        return kind == "await_expression", has_catch


def _is_plausible_api(arguments: list[SgNode]) -> bool:
    """`fetch("https://plausible.io/api/event", ...)`, or a self-hosted instance
    (`` `${PLAUSIBLE_HOST}/api/event` ``, `PLAUSIBLE_EVENTS_URL`): Plausible's events API has no
    client package, so its URL is what says so; an app's own `/api/event` route does not count
    unless the URL also names Plausible."""
    if not arguments:
        return False
    url = arguments[0].text().lower()
    if "plausible" not in url:
        return False
    if arguments[0].kind() in ("identifier", "member_expression"):
        return True  # a constant or setting named after Plausible
    return "/api/event" in url


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
