"""Where a URL parameter goes inside one JS/TS route or page: a lookup, or only display.

`url-id-lookup` asks one question of every dynamic segment that names an entity: does its value
reach a call that looks something up, or does it only end up on screen, in a log line, in a
telemetry event or echoed in a response body? This module answers it for one region of one file
(a handler's function, or a whole page file) with a deliberately small, name-based data flow:

- **Reads** of the parameter: `X.orderId` / `X["orderId"]` where `X` mentions `param`/`query`
  (`params`, `(await params)`, `context.params`, `req.params`, `router.query`, `useParams()`),
  `c.req.param("orderId")`, and destructuring `{ orderId }` / `{ orderId: order }` from such an
  object (a declaration whose value mentions `param`/`query`, or a pattern nested under a `params`
  or `query` key, as in `({ params: { id } })`). Destructuring from anything else (a `.map`
  callback's `({ id })`) is not a read.
  The whole params object handed to a call or spread (`schema.parse(await params)`,
  `getPage(params)`, `{ ...params }`) is a read of every parameter too.
- **Derived bindings**: a declaration whose value mentions a tainted name or read
  (`const n = Number(id)`, `` const url = `/api/orders/${id}` ``) taints the names it binds,
  to a fixed point. Names, not scopes: shadowing can only make the lesson quieter.
- **Uses**: from each tainted reference the walk climbs through transparent expressions
  (templates, objects, arrays, `await`, `Number()`/`String()`/`encodeURIComponent()`,
  `id.toString()`) to the first node that decides:

  * a call or `new` whose callee is display, logging, telemetry or a response body
    (`console.*`, `logger.*`, `posthog.capture`, `track`, `Sentry.*`, `res.json`,
    `NextResponse.json`, `new Error`, `t()`/`toast`) — *display*;
  * any other call — *use*: a query, `fetch`, an SWR/react-query key, a getter, tRPC input,
    a custom hook, `redirect()`/`router.push()`;
  * JSX: text children, any attribute of an HTML element but `href`/`src`/`action`, and the
    props `key`/`className`/`title`/`label`/`heading`/`description`/`aria-*` of a component —
    *display*; `href`/`src`/`action` and any other prop handed to a capitalised component —
    *use* (the child is not followed: a prop pass counts, which is the lenient choice);
  * an object key `title`/`description`/`label`/`message` — *display* (metadata, toasts);
  * `return` — *use* (the value goes to a caller: a loader, a helper), except in
    `generateMetadata`/`generateStaticParams`, which only shape the page's head — *display* —,
    and in `getServerSideProps`/`getStaticProps`, where `return { props: { orderId } }` binds
    `orderId` for the page component, which is followed under that name;
  * the dependency array of `useEffect`/`useMemo`/`useCallback` — neither;
  * a comparison with another value (`order.id === id`) — *use* (a filter is a lookup);
    a comparison with a literal, `!id`, `typeof id` — a validation, not a use;
  * an assignment to a member (`where.id = id`) — *use*.

Anything else (an expression statement, a condition) is neither. Two file-level escapes, used by
the lesson: `delegates(handler)` (the handler returns a call that receives its request) and
`reexported(nodes, names)` (`export { getStaticProps } from "./index"`). Express
`router.param("orderId", loader)` anywhere in the file counts as a use of `orderId` by every
handler (`loads_params`): the loader looks it up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.nodes import FileNodes
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    dotted_name,
    string_value,
)

Verdict = Literal["use", "display", "none"]

_SOURCE_TEXT = re.compile(r"param|query", re.IGNORECASE)
_CONTAINER = re.compile(r"(?:[\w$]+\.)*params|(?:req|request|router|ctx|context)\.query")
_TRANSPARENT = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
        "await_expression",
        "template_substitution",
        "template_string",
        "string",
        "object",
        "array",
        "spread_element",
        "ternary_expression",
        "arguments",
        "member_expression",
        "subscript_expression",
        "sequence_expression",
    }
)
_STOP = frozenset(
    {
        "expression_statement",
        "if_statement",
        "while_statement",
        "for_statement",
        "statement_block",
        "program",
        "class_body",
        "switch_statement",
        "switch_case",
    }
)
_FUNCTIONS = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "function_declaration",
        "method_definition",
    }
)
_TRANSFORMS = frozenset(
    {
        "String",
        "Number",
        "BigInt",
        "parseInt",
        "parseFloat",
        "Number.parseInt",
        "Number.parseFloat",
        "decodeURIComponent",
        "encodeURIComponent",
        "decodeURI",
        "encodeURI",
        "JSON.stringify",
        "use",
        "React.use",
        "Promise.all",
        "Object.assign",
    }
)
_TRANSFORM_METHODS = frozenset(
    {
        "toString",
        "trim",
        "toLowerCase",
        "toUpperCase",
        "slice",
        "split",
        "join",
        "replace",
        "padStart",
        "parse",
        "valueOf",
    }
)
_DISPLAY_ROOTS = frozenset(
    {
        "console",
        "logger",
        "log",
        "Sentry",
        "posthog",
        "analytics",
        "mixpanel",
        "amplitude",
        "gtag",
        "datadogLogs",
        "span",
        "tracer",
    }
)
_DISPLAY_LAST = frozenset(
    {
        "capture",
        "captureException",
        "captureMessage",
        "captureImmediate",
        "track",
        "identify",
        "trackEvent",
        "logEvent",
        "setTag",
        "setTags",
        "setContext",
        "setExtra",
        "setAttribute",
        "setAttributes",
        "addBreadcrumb",
        "debug",
        "info",
        "warn",
        "error",
        "trace",
        "log",
        "toast",
        "t",
        "formatMessage",
        "Error",
        "TypeError",
        "HttpError",
        "HTTPException",
        "setTitle",
    }
)
_RESPONSE_RECEIVERS = frozenset(
    {"res", "response", "reply", "c", "ctx", "NextResponse", "Response"}
)
_RESPONSE_METHODS = frozenset({"json", "send", "end", "text", "body", "write"})
_DISPLAY_ATTRIBUTES = frozenset(
    {"key", "className", "class", "title", "alt", "placeholder", "label", "style"}
)
_USE_ATTRIBUTES = frozenset({"href", "src", "action", "formAction", "to", "as"})
_DISPLAY_KEYS = frozenset(
    {"title", "description", "label", "message", "text", "heading", "subtitle", "alt"}
)
_DATA_FUNCTIONS = frozenset({"getServerSideProps", "getStaticProps"})
_DEPENDENCY_HOOKS = frozenset(
    {"useEffect", "useLayoutEffect", "useMemo", "useCallback", "React.useEffect", "React.useMemo"}
)
_JSX_ELEMENTS = frozenset({"jsx_opening_element", "jsx_self_closing_element"})
_HEAD_FUNCTIONS = frozenset({"generateMetadata", "generateStaticParams", "generateViewport"})
_LITERAL_KINDS = frozenset(
    {"string", "number", "null", "undefined", "true", "false", "template_string"}
)

_LOOKUP_CALL = re.compile(
    r"(?:^|\.)(?:(?:get|fetch|find|load|query|select|read|lookup|retrieve)[A-Z_]\w*|"
    r"findUnique\w*|findFirst\w*|findMany|findOne|findById|fetch|useSWR\w*|useQuery|"
    r"useSuspenseQuery|from|eq|where)$"
)

_IDENTITY = re.compile(
    r"(?i)session|currentuser|getuser$|gettoken|getauth|getme$|headers|cookies|searchparams|"
    r"getenv|getconfig|gettranslations|getlocale"
)


@dataclass
class ParamFlow:
    """What one parameter's value reaches inside the analysed region."""

    name: str
    reads: list[SgNode] = field(default_factory=list)
    verdict: Verdict = "none"  # the strongest verdict seen: use > display > none
    display_calls: list[str] = field(default_factory=list)
    bound: set[str] = field(default_factory=set)
    """Local names the reads bind (`const { orderId } = await params` binds `orderId`)."""
    expressions: list[SgNode] = field(default_factory=list)
    """The reads that are expressions (`params.orderId`), not bindings."""


def within(node: SgNode, region: SgNode | None) -> bool:
    if region is None:
        return True
    inner, outer = node.range(), region.range()
    return outer.start.index <= inner.start.index and inner.end.index <= outer.end.index


def _named(node: SgNode) -> list[SgNode]:
    return [child for child in node.children() if child.is_named() and child.kind() != "comment"]


def pattern_bindings(pattern: SgNode) -> Iterator[str]:
    """Local names bound by a declaration's name (identifier or destructuring pattern)."""
    kind = pattern.kind()
    if kind == "identifier" or kind == "shorthand_property_identifier_pattern":
        yield pattern.text()
        return
    for child in pattern.children():
        child_kind = child.kind()
        if child_kind in ("identifier", "shorthand_property_identifier_pattern"):
            yield child.text()
        elif child_kind == "pair_pattern":
            value = child.field("value")
            if value is not None:
                yield from pattern_bindings(value)
        elif child_kind in (
            "object_pattern",
            "array_pattern",
            "object_assignment_pattern",
            "assignment_pattern",
            "rest_pattern",
        ):
            yield from pattern_bindings(child)


def _destructured_from_source(pattern: SgNode) -> bool:
    """Whether an object pattern takes its properties from params/query."""
    parent = pattern.parent()
    while parent is not None and parent.kind() == "array_pattern":
        parent = parent.parent()
    if parent is None:
        return False
    kind = parent.kind()
    if kind == "pair_pattern":
        key = parent.field("key")
        return key is not None and (string_value(key) or key.text()) in ("params", "query")
    if kind == "variable_declarator":
        value = parent.field("value")
        return value is not None and bool(_SOURCE_TEXT.search(value.text()))
    if kind == "assignment_expression":
        value = parent.field("right")
        return value is not None and bool(_SOURCE_TEXT.search(value.text()))
    return False


def _handed_on(node: SgNode) -> bool:
    """Whether the whole params object is passed to a call or spread (`schema.parse(params)`)."""
    parent = node.parent()
    while parent is not None and parent.kind() in (
        "await_expression",
        "parenthesized_expression",
        "array",
    ):
        parent = parent.parent()
    return parent is not None and parent.kind() in ("arguments", "spread_element")


def _read_nodes(
    nodes: FileNodes, name: str, region: SgNode | None
) -> Iterator[tuple[SgNode, str | None]]:
    """(read node, local name it binds or None when the read is an expression)."""
    for member in nodes.of("member_expression"):
        prop = member.field("property")
        obj = member.field("object")
        if prop is None or obj is None or prop.text() != name or not within(member, region):
            continue
        if _SOURCE_TEXT.search(obj.text()):
            yield member, None
    for subscript in nodes.of("subscript_expression"):
        obj = subscript.field("object")
        if obj is None or string_value(subscript.field("index")) != name:
            continue
        if within(subscript, region) and _SOURCE_TEXT.search(obj.text()):
            yield subscript, None
    for call in nodes.of("call_expression"):
        callee = nodes.callee(call) or ""
        if not (callee == "param" or callee.endswith(".param")) or not within(call, region):
            continue
        arguments = call_arguments(call)
        if arguments and string_value(arguments[0]) == name:
            yield call, None
    for kind in ("identifier", "member_expression"):
        for node in nodes.of(kind):
            if _CONTAINER.fullmatch(node.text()) and within(node, region) and _handed_on(node):
                yield node, None
    for pattern in nodes.of("object_pattern"):
        if not within(pattern, region) or not _destructured_from_source(pattern):
            continue
        for child in pattern.children():
            kind = child.kind()
            if kind == "shorthand_property_identifier_pattern" and child.text() == name:
                yield child, name
            elif kind == "object_assignment_pattern":
                left = child.field("left")
                if left is not None and left.text() == name:
                    yield child, name
            elif kind == "pair_pattern":
                key = child.field("key")
                value = child.field("value")
                if key is None or value is None:
                    continue
                if (string_value(key) or key.text()) == name:
                    for bound in pattern_bindings(value):
                        yield child, bound


def _references(nodes: FileNodes, names: set[str], region: SgNode | None) -> Iterator[SgNode]:
    for kind in ("identifier", "shorthand_property_identifier"):
        named = nodes.by_text(kind)
        candidates = sorted(
            (node for name in names for node in named.get(name, ())),
            key=lambda node: node.range().start.index,
        )
        for node in candidates:
            if not within(node, region):
                continue
            parent = node.parent()
            if (
                parent is not None
                and parent.kind() == "variable_declarator"
                and parent.field("name") == node
            ):
                continue
            if parent is not None and parent.kind() in (
                "required_parameter",
                "optional_parameter",
                "formal_parameters",
                "import_specifier",
                "namespace_import",
                "import_clause",
                "jsx_opening_element",
                "jsx_closing_element",
                "jsx_self_closing_element",
            ):
                continue
            yield node


def is_display_call(callee: str | None, extra: frozenset[str]) -> bool:
    if callee is None:
        return False
    parts = callee.split(".")
    if callee in extra or parts[-1] in extra:
        return True
    if parts[0] in _DISPLAY_ROOTS and len(parts) > 1:
        return True
    if parts[-1] in _DISPLAY_LAST:
        return True
    if len(parts) >= 2 and parts[-1] in _RESPONSE_METHODS:
        receiver = parts[-2]
        if receiver in _RESPONSE_RECEIVERS or receiver.endswith("res"):
            return True
        if len(parts) >= 3 and parts[-2] == "status":
            return True
    return False


def _is_transform(call: SgNode, callee: str | None) -> bool:
    if callee in _TRANSFORMS:
        return True
    return callee is not None and callee.split(".")[-1] in _TRANSFORM_METHODS


def _enclosing_function_name(node: SgNode) -> str | None:
    current = node.parent()
    while current is not None:
        if current.kind() == "function_declaration":
            name = current.field("name")
            return name.text() if name is not None else None
        if current.kind() in ("arrow_function", "function_expression"):
            holder = current.parent()
            if holder is not None and holder.kind() == "variable_declarator":
                name = holder.field("name")
                return name.text() if name is not None else None
            return None
        current = current.parent()
    return None


def _attribute_verdict(attribute: SgNode) -> Verdict:
    """A JSX attribute: display (`key`, `className`, `title`...), or a use (`href`, a prop)."""
    named = _named(attribute)
    name = named[0].text() if named else ""
    if name in _USE_ATTRIBUTES:
        return "use"
    if (
        name in _DISPLAY_ATTRIBUTES
        or name in _DISPLAY_KEYS
        or name.startswith(("aria-", "data-"))
        or name == "children"
    ):
        return "display"
    element = attribute.parent()
    return _tag_verdict(element) if element is not None else "display"


def _tag_verdict(element: SgNode) -> Verdict:
    """A prop of a component is a use (children are not followed); of an HTML element, display."""
    tag = element.field("name")
    tag_name = tag.text() if tag is not None else ""
    if tag_name[:1].isupper() or "." in tag_name:
        return "use"
    return "display"


def _in_argument(call: SgNode, node: SgNode, index: int) -> bool:
    arguments = call_arguments(call)
    return len(arguments) > index and within(node, arguments[index])


def classify(
    node: SgNode, extra_display: frozenset[str]
) -> tuple[Verdict | Literal["bind"], str | None, list[str]]:
    """What the value at `node` is used for; the callee for a display call; names it binds."""
    verdict, callee, bound = _classify(node, extra_display)
    return verdict, callee, bound


def _classify(
    node: SgNode, extra_display: frozenset[str]
) -> tuple[Verdict | Literal["bind"], str | None, list[str]]:
    current = node
    parent = current.parent()
    last_key = node.text() if node.kind() == "shorthand_property_identifier" else None
    while parent is not None:
        kind = parent.kind()
        if kind == "variable_declarator":
            name = parent.field("name")
            if name is not None and parent.field("value") == current:
                return "bind", None, list(pattern_bindings(name))
            return "none", None, []
        if kind in ("call_expression", "new_expression"):
            function = parent.field("function") or parent.field("constructor")
            callee = dotted_name(function) if function is not None else None
            if function is not None and function == current:
                # `id.toString()`: the call's result carries the value on
                if callee is not None and callee.split(".")[-1] in _TRANSFORM_METHODS:
                    current, parent = parent, parent.parent()
                    continue
                return "none", None, []
            if function is not None and within(current, function) and function != current:
                # the value is inside the callee expression, e.g. `getOrder(id).then(...)`
                current, parent = parent, parent.parent()
                continue
            if callee in _DEPENDENCY_HOOKS and _in_argument(parent, node, 1):
                return "none", None, []  # a dependency array re-runs the effect, nothing more
            if is_display_call(callee, extra_display):
                return "display", callee, []
            if _is_transform(parent, callee):
                current, parent = parent, parent.parent()
                continue
            return "use", callee, []
        if kind in _TRANSPARENT:
            if kind == "member_expression" and parent.field("property") == current:
                return "none", None, []
            current, parent = parent, parent.parent()
            continue
        if kind == "pair":
            key = parent.field("key")
            key_name = (string_value(key) or key.text()) if key is not None else ""
            if parent.field("value") != current:
                return "none", None, []
            if key_name in _DISPLAY_KEYS:
                return "display", None, []
            last_key = last_key or key_name
            current, parent = parent, parent.parent()
            continue
        if kind == "jsx_expression":
            holder = parent.parent()
            if holder is not None and holder.kind() == "jsx_attribute":
                return _attribute_verdict(holder), None, []
            if holder is not None and holder.kind() in _JSX_ELEMENTS:
                return _tag_verdict(holder), None, []  # `<Order {...params} />`
            return "display", None, []
        if kind == "jsx_attribute":
            return _attribute_verdict(parent), None, []
        if kind in ("return_statement", "arrow_function"):
            if kind == "arrow_function" and parent.field("body") != current:
                return "none", None, []
            function_name = _enclosing_function_name(current)
            if function_name in _HEAD_FUNCTIONS:
                return "display", None, []
            if function_name in _DATA_FUNCTIONS and last_key is not None:
                # `return { props: { orderId } }`: the page component receives it under that key
                return "bind", None, [last_key]
            return "use", None, []
        if kind == "binary_expression":
            operator = parent.field("operator")
            op = operator.text() if operator is not None else ""
            if op in ("===", "!==", "==", "!="):
                others = [c for c in _named(parent) if c != current]
                if all(o.kind() in _LITERAL_KINDS for o in others):
                    return "none", None, []
                return "use", None, []
            if op in ("+",):
                current, parent = parent, parent.parent()
                continue
            if op in ("??", "||", "&&"):
                current, parent = parent, parent.parent()
                continue
            return "none", None, []
        if kind == "assignment_expression":
            left = parent.field("left")
            if (
                parent.field("right") == current
                and left is not None
                and left.kind() == "identifier"
            ):
                return "bind", None, [left.text()]
            if (
                parent.field("right") == current
                and left is not None
                and left.kind()
                in (
                    "member_expression",
                    "subscript_expression",
                )
            ):
                return "use", None, []
            return "none", None, []
        return "none", None, []
    return "none", None, []


def param_flow(
    nodes: FileNodes,
    name: str,
    region: SgNode | None,
    extra_display: frozenset[str] = frozenset(),
) -> ParamFlow:
    """How parameter `name` is read and used in `region` (the whole file when None)."""
    flow = ParamFlow(name)
    tainted: set[str] = set()
    expressions: list[SgNode] = []
    for read, bound in _read_nodes(nodes, name, region):
        flow.reads.append(read)
        if bound is not None:
            tainted.add(bound)
        else:
            expressions.append(read)
    flow.bound = set(tainted)
    flow.expressions = list(expressions)
    if not flow.reads:
        return flow
    flow.reads.sort(key=lambda n: n.range().start.index)
    best: Verdict = "none"
    seen: set[tuple[int, int]] = set()
    pending = list(expressions)
    pending.extend(_references(nodes, tainted, region))
    while pending:
        node = pending.pop(0)
        where = node.range()
        key = (where.start.index, where.end.index)
        if key in seen:
            continue
        seen.add(key)
        verdict, callee, names = classify(node, extra_display)
        if verdict == "use":
            flow.verdict = "use"
            return flow
        if verdict == "display":
            best = "display"
            if callee is not None and callee not in flow.display_calls:
                flow.display_calls.append(callee)
        new = {b for b in names if b not in tainted}
        if new:
            tainted.update(new)
            pending.extend(_references(nodes, new, region))
    flow.verdict = best
    return flow


def is_lookup_callee(callee: str | None) -> bool:
    """A callee shaped like a data lookup (a getter, an ORM query, fetch, SWR/react-query), not
    the caller's identity or the request's headers."""
    return callee is not None and bool(_LOOKUP_CALL.search(callee)) and not _IDENTITY.search(callee)


def lookup_calls(nodes: FileNodes, region: SgNode | None) -> list[SgNode]:
    """Calls shaped like data lookups (getters, ORM queries, fetch, SWR/react-query), in order."""
    return [
        call
        for call in nodes.of("call_expression")
        if within(call, region) and is_lookup_callee(nodes.callee(call))
    ]


_INERT_LAST = frozenset(
    {
        "status",
        "setHeader",
        "header",
        "json",
        "text",
        "formData",
        "redirect",
        "permanentRedirect",
        "notFound",
        "unauthorized",
        "forbidden",
        "parse",
        "safeParse",
        "stringify",
        "String",
        "Number",
        "Boolean",
        "parseInt",
        "param",
    }
)
"""Calls that answer, parse or convert and touch no stored data (`res.status(404)`,
`await req.json()`, `z.parse(...)`): with display, identity and `Promise.*` calls, all a handler
that loads nothing may make, with reading the URL itself (Hono's `c.req.param("id")`)."""


def loads_nothing(nodes: FileNodes, region: SgNode) -> bool:
    """Whether a handler makes no call that may read or change data: it checks the session, then
    answers (papermark's retired `POST .../datarooms/[id]/users` returns 404 "Not available").
    Any call not known to be inert counts as data access, so an unknown helper keeps the handler
    judged."""
    for call in nodes.of("call_expression"):
        if not within(call, region):
            continue
        callee = nodes.callee(call)
        if callee is None:
            # `res.status(404).json(...)`: a method of a call's result, itself checked
            function = call.field("function")
            name = function.field("property") if function is not None else None
            if name is None or name.text() not in _INERT_LAST | _RESPONSE_METHODS:
                return False
            continue
        last = callee.rsplit(".", 1)[-1]
        inert = (
            is_display_call(callee, frozenset())
            or bool(_IDENTITY.search(last))
            or last in _INERT_LAST
            or callee.startswith(("Promise.", "JSON.", "Object.", "Array."))
        )
        if not inert:
            return False
    return True


_ORM_METHODS = frozenset(
    {
        "findFirst",
        "findFirstOrThrow",
        "findUnique",
        "findUniqueOrThrow",
        "findMany",
        "findOne",
        "findById",
        "select",
        "from",
        "where",
        "eq",
        "query",
        "fetch",
        "useQuery",
        "useSuspenseQuery",
        "useSWR",
    }
)
_ANOTHER_KEY = re.compile(
    r"(?i)latest|last|recent|newest|previous|current|default|mine|(?:by|for|of)_?(?:user|owner|session)"
)
_FETCHERS = frozenset(
    {"fetch", "useSWR", "useSWRImmutable", "useSWRInfinite", "useQuery", "useSuspenseQuery", "get"}
)
_ME_PATH = re.compile(r"/(?:me|my|self|current)(?:/|\b)")
_IDENTITY_VALUE = re.compile(
    r"\b(?:session|auth|currentUser|user|viewer|me|token)\b(?:\?\.|!\.|\.)[\w?.!]*?"
    r"\b(?:id|userId|user_id|sub|email)\b|\b(?:userId|user_id|ownerId|owner_id)\b"
)


def lookups_by_another_key(
    nodes: FileNodes, region: SgNode | None, entities: Iterable[str]
) -> list[SgNode]:
    """Lookups that load data by something other than the URL: the session's user
    (`getOrders(session.userId)`), "the latest" (`getLastEssentialByUserId`, `findLatest()`), or
    the very entity the URL names, without its id (`prisma.order.findFirst(...)` under
    `[orderId]`). A page that never reads its id and loads none of these only renders a shell
    (a child or a hook reads the id), which is not the incident. Lookups of the page's head
    (`generateMetadata`, `generateStaticParams`) list entities on purpose and do not count."""
    words = [word for word in entities if len(word) >= 3]
    found: list[SgNode] = []
    for call in lookup_calls(nodes, region):
        if _enclosing_function_name(call) in _HEAD_FUNCTIONS:
            continue
        callee = nodes.callee(call) or ""
        named = ".".join(part for part in callee.split(".") if part not in _ORM_METHODS)
        arguments = call_arguments(call)
        if not _keyed_by_identity_or_literals(arguments):
            continue  # keyed by some value of the page (a hook's, a prop's): cannot tell
        if callee.rsplit(".", 1)[-1] in _FETCHERS:
            # `useSWR("/api/me/last-shipment")`: the key says what is loaded
            named += " " + " ".join(a.text() for a in arguments if string_value(a) is not None)
        flat = named.lower().replace("_", "").replace("-", "")
        texts = " ".join(argument.text() for argument in arguments)
        if (
            _ANOTHER_KEY.search(named)
            or _IDENTITY_VALUE.search(texts)
            or _ME_PATH.search(named)
            or any(word in flat or word in callee.lower() for word in words)
        ):
            found.append(call)
    return found


def _keyed_by_identity_or_literals(arguments: Iterable[SgNode]) -> bool:
    """Whether a call's arguments hold nothing but literals and the session's identity
    (`session.user.id`, `userId`): a value from anywhere else may be the URL's id, read by a
    hook or a prop, which a page-level look cannot follow."""
    for argument in arguments:
        names = [argument] if argument.kind() in _NAME_KINDS else []
        names.extend(n for kind in _NAME_KINDS for n in argument.find_all(kind=kind))
        for name in names:
            holder = name.parent()
            if holder is not None and holder.kind() == "member_expression":
                outer = holder.parent()
                while outer is not None and outer.kind() == "member_expression":
                    holder, outer = outer, outer.parent()
                if not _IDENTITY_VALUE.search(holder.text()):
                    return False
            elif not _IDENTITY_VALUE.fullmatch(name.text()):
                return False
    return True


_NAME_KINDS = ("identifier", "shorthand_property_identifier")


def entity_words(path: str, param: str) -> list[str]:
    """What the URL calls the entity: `order` for `[orderId]`, the segment before a bare `[id]`
    (`/orders/[id]` -> `order`), lowercased."""
    base = re.sub(r"(?:Id|ID|_id|Slug|_slug|Uuid|UUID|_uuid)$", "", param)
    if base and base.lower() not in ("id", "slug", "uuid"):
        return [base.lower().replace("_", "")]
    segments = [s for s in path.split("/") if s]
    index = next((i for i, s in enumerate(segments) if s.strip("[]") == param), None)
    before = [s for s in segments[:index] if not s.startswith("[")] if index else []
    if not before:
        return []
    word = before[-1].lower().replace("-", "").replace("_", "")
    return [re.sub(r"(?:ies)$", "y", word) if word.endswith("ies") else word.rstrip("s")]


def loads_params(nodes: FileNodes) -> Iterable[str]:
    """Names preloaded by Express `router.param("name", loader)`."""
    for call in nodes.of("call_expression"):
        callee = nodes.callee(call) or ""
        if callee.endswith(".param"):
            arguments = call_arguments(call)
            if len(arguments) >= 2:
                value = string_value(arguments[0])
                if value is not None:
                    yield value


_GATEKEEPERS = re.compile(r"(?i)auth|session|cors|limit|verify|validate|csrf|guard|permission")


def delegates(nodes: FileNodes, function: SgNode) -> bool:
    """Whether a handler hands its whole request to another handler.

    `return handleRoute(req, res)`, `return await handleGet(req, ctx)`: a returned call that
    receives one of the handler's own parameters. Or `await handler(req, res)` with both request
    and response, unless the callee looks like a gatekeeper (`getServerSession(req, res)`,
    `cors(req, res)`), which reads the request without serving it.
    """
    parameters = function.field("parameters")
    if parameters is None:
        single = function.field("parameter")
        names = [single.text()] if single is not None else []
    else:
        names = []
        for parameter in _named(parameters):
            pattern = parameter.field("pattern") if parameter.kind() != "identifier" else parameter
            if pattern is not None and pattern.kind() == "identifier":
                names.append(pattern.text())
    if not names:
        return False
    for call in nodes.of("call_expression"):
        if not within(call, function):
            continue
        passed = {a.text() for a in call_arguments(call)}
        if not passed & set(names):
            continue
        holder = call.parent()
        while holder is not None and holder.kind() in (
            "await_expression",
            "parenthesized_expression",
        ):
            holder = holder.parent()
        if holder is not None and holder.kind() in ("return_statement", "arrow_function"):
            return True
        callee = callee_name(call) or ""
        if len(names) >= 2 and set(names[:2]) <= passed and not _GATEKEEPERS.search(callee):
            return True
    return False


def reexported(nodes: FileNodes, names: Iterable[str]) -> bool:
    """Whether `export { getStaticProps } from "./index"` brings one of `names` from elsewhere."""
    wanted = set(names)
    for statement in nodes.of("export_statement"):
        if statement.field("source") is None:
            continue
        for specifier in statement.find_all(kind="export_specifier"):
            alias = specifier.field("alias") or specifier.field("name")
            if alias is not None and alias.text() in wanted:
                return True
    return False
