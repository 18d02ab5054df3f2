"""Which values of one JS/TS handler meet: two URL ids, or a URL id and the id a write uses.

`typescript_flow` asks where one parameter goes; two shapes of the lesson need to know whether
two values are ever *tied*, i.e. looked up together or compared:

- **Two ids in one path** (`/websites/[websiteId]/segments/[segmentId]`): the permission check
  takes one id, the record is loaded by the other, and nothing joins them, so a segment of any
  website passes the check of one's own (umami fixed exactly this with a lookup taking both).
- **The URL id authorises, another id writes**: the handler checks or loads the record by the
  URL id, then writes a record keyed by an id from the request body (`deleteConnections({
  clientID })` after checking the team; papermark fixed it by adding the team to the write), or
  spreads the body over the record it loaded (`{ ...existing, ...body }`), whose `id` the body
  may override.

A value's *taint* is its reads plus every name declared from an expression mentioning a tainted
name (`const segment = await getSegment(segmentId)` taints `segment`), to a fixed point; names,
not scopes, like `typescript_flow`. Two taints *meet* at a call whose subtree holds both (a
lookup `findFirst({ where: { id: segmentId, websiteId } })`, a chain `.eq("id", a).eq("w", b)`)
or at an equality comparing them (`segment.websiteId !== websiteId`); display and response
calls (`NextResponse.json({ segment, website })`) and `Promise.all([...])` join nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ast_grep_py import SgNode

from pytest_lessons.checks.url_id_lookup.typescript_flow import (
    ParamFlow,
    is_display_call,
    is_lookup_callee,
    pattern_bindings,
    within,
)
from pytest_lessons.lang.typescript.effects import WRITE_NAME
from pytest_lessons.lang.typescript.nodes import FUNCTION_KINDS, FileNodes
from pytest_lessons.lang.typescript.syntax import call_arguments, object_properties

__all__ = ["Untied", "body_writes", "two_ids"]

_COMBINATORS = frozenset(
    {"Promise.all", "Promise.allSettled", "Promise.race", "Promise.any", "json", "ok", "send"}
)
_NAVIGATION = re.compile(
    r"^(?:redirect|permanentRedirect|notFound|(?:[\w$]+\.)*(?:push|replace|redirect|rewrite))$"
)
_EQUALITY = frozenset({"===", "!==", "==", "!="})
_CHAIN_FILTERS = frozenset({"where", "eq", "match", "in", "filter", "and"})
_BODY_CALL = re.compile(
    r"^(?:[\w$]+\.)*(?:req|request|ctx\.request|c\.req)\.(?:json|formData|text)$"
)
_BODY_MEMBER = re.compile(r"^(?:req|request|ctx\.request|event|c\.req)\.body$")
_BODY_NAMES = frozenset({"body", "payload", "input", "data", "json"})
_VALID_CALL = re.compile(r"^(?:[\w$]+\.)*req\.valid$")
_CALLER_CALL = re.compile(
    r"(?i)(?:^|\.)(?:get\w*session|auth|currentuser|get(?:current)?user|require(?:user|auth|session)|"
    r"getauth|validaterequest|whoami)$"
)
"""Calls answering who is calling: next-auth's `getServerSession`, `auth()`, Clerk's
`currentUser()`, a project's `requireUser()`."""
_CALLER_MEMBER = re.compile(r"^(?:req|request|ctx|c|event\.locals|locals)\.(?:user|auth|session)$")
_MEMBERSHIP = frozenset({"includes", "some", "every", "has", "find", "findIndex", "indexOf"})


@dataclass
class Taint:
    """Every reference in a region that carries one value (see the module docstring)."""

    names: set[str] = field(default_factory=set)
    refs: list[SgNode] = field(default_factory=list)
    _meets: set[tuple[int, int]] | None = None

    def points(self, nodes: FileNodes, region: SgNode) -> set[tuple[int, int]]:
        """Where this value can meet another: the calls and equalities its references sit in."""
        if self._meets is None:
            self._meets = set()
            for ref in self.refs:
                self._meets.update(_meeting_points(nodes, ref, region))
        return self._meets

    def within(self, node: SgNode) -> bool:
        return any(within(ref, node) for ref in self.refs)


def _key(node: SgNode) -> tuple[int, int]:
    where = node.range()
    return where.start.index, where.end.index


def _meeting_points(nodes: FileNodes, ref: SgNode, region: SgNode) -> Iterator[tuple[int, int]]:
    for ancestor in ref.ancestors():
        kind = ancestor.kind()
        if ancestor == region or kind in FUNCTION_KINDS or kind == "statement_block":
            return
        if kind in ("call_expression", "new_expression"):
            callee = nodes.callee(ancestor) if kind == "call_expression" else None
            if callee not in _COMBINATORS and not is_display_call(callee, frozenset()):
                yield _key(ancestor)
        elif kind == "binary_expression":
            operator = ancestor.field("operator")
            if operator is not None and operator.text() in _EQUALITY:
                yield _key(ancestor)


def meet(nodes: FileNodes, region: SgNode, first: Taint, second: Taint) -> bool:
    """Whether the two values are ever looked up together or compared."""
    if any(ref in second.refs for ref in first.refs):
        return True  # one read feeds both (the whole params object handed on)
    return bool(first.points(nodes, region) & second.points(nodes, region))


class _Declarations:
    """The declarations of a region and the names each one's value mentions, built once."""

    def __init__(self, nodes: FileNodes, region: SgNode) -> None:
        self.nodes = nodes
        self.region = region
        self.bound: list[tuple[list[str], SgNode]] = []
        for declarator in nodes.of("variable_declarator"):
            name = declarator.field("name")
            value = declarator.field("value")
            if name is None or value is None or not within(declarator, region):
                continue
            self.bound.extend(_element_wise(name, value))
        for assignment in nodes.of("assignment_expression"):
            left = assignment.field("left")
            right = assignment.field("right")
            if left is None or right is None or left.kind() != "identifier":
                continue
            if within(assignment, region):
                self.bound.append(([left.text()], right))
        self.identifiers = [
            node
            for kind in ("identifier", "shorthand_property_identifier")
            for node in nodes.of(kind)
            if within(node, region)
        ]


def _element_wise(name: SgNode, value: SgNode) -> list[tuple[list[str], SgNode]]:
    """`const [a, b] = await Promise.all([f(x), g(y)])` binds `a` from `f(x)` alone: parallel
    lookups are not one value."""
    items = _parallel_items(value)
    if name.kind() != "array_pattern" or items is None:
        return [(list(pattern_bindings(name)), value)]
    elements = [child for child in name.children() if child.is_named()]
    if len(elements) > len(items):
        return [(list(pattern_bindings(name)), value)]
    return [(list(pattern_bindings(e)), item) for e, item in zip(elements, items, strict=False)]


def _parallel_items(value: SgNode) -> list[SgNode] | None:
    node = _unwrapped(value)
    if node.kind() == "call_expression":
        function = node.field("function")
        if function is None or function.text() not in ("Promise.all", "Promise.allSettled"):
            return None
        arguments = call_arguments(node)
        node = _unwrapped(arguments[0]) if arguments else node
    if node.kind() != "array":
        return None
    return [child for child in node.children() if child.is_named()]


def taint_of(
    nodes: FileNodes,
    region: SgNode,
    seeds: Sequence[SgNode],
    names: Iterable[str] = (),
    declarations: _Declarations | None = None,
) -> Taint:
    """The taint of a value read at `seeds` (expressions) and bound to `names`."""
    found = declarations or _Declarations(nodes, region)
    tainted = set(names)
    changed = True
    while changed:
        changed = False
        for bound, value in found.bound:
            fresh = [name for name in bound if name not in tainted]
            if not fresh:
                continue
            if any(within(seed, value) for seed in seeds) or any(
                node.text() in tainted and within(node, value) for node in found.identifiers
            ):
                tainted.update(fresh)
                changed = True
    refs = list(seeds)
    refs.extend(
        node for node in found.identifiers if node.text() in tainted and not _is_binding(node)
    )
    return Taint(tainted, refs)


def _is_binding(node: SgNode) -> bool:
    parent = node.parent()
    if parent is None:
        return False
    if parent.kind() == "variable_declarator" and parent.field("name") == node:
        return True
    return parent.kind() in ("required_parameter", "optional_parameter", "formal_parameters")


def body_taint(nodes: FileNodes, region: SgNode, request: Sequence[str]) -> Taint:
    """What the request body carries: `await req.json()`, `req.body`, `c.req.valid("json")`, and
    a `body`/`payload`/`input` destructured from a call handed the request (umami's
    `const { auth, body } = await parseRequest(request, schema)`)."""
    seeds: list[SgNode] = []
    names: set[str] = set()
    for call in nodes.of("call_expression"):
        if not within(call, region):
            continue
        callee = nodes.callee(call) or ""
        if _BODY_CALL.match(callee) or _VALID_CALL.match(callee):
            seeds.append(call)
    for member in nodes.of("member_expression"):
        if within(member, region) and _BODY_MEMBER.match(member.text()):
            seeds.append(member)
    for declarator in nodes.of("variable_declarator"):
        name = declarator.field("name")
        value = declarator.field("value")
        if name is None or value is None or not within(declarator, region):
            continue
        if name.kind() != "object_pattern" or not _hands_request(value, request):
            continue
        names.update(bound for bound in pattern_bindings(name) if bound in _BODY_NAMES)
    return taint_of(nodes, region, seeds, names)


def _hands_request(value: SgNode, request: Sequence[str]) -> bool:
    node = value
    while node.kind() in ("await_expression", "parenthesized_expression"):
        inner = [child for child in node.children() if child.is_named()]
        if not inner:
            return False
        node = inner[0]
    if node.kind() != "call_expression":
        return False
    return any(argument.text() in request for argument in call_arguments(node))


def _chain_top(call: SgNode) -> SgNode:
    """The outermost call of a method chain `call` is part of (`db.update(t).set(x).where(y)`)."""
    top = call
    parent = top.parent()
    while parent is not None and parent.kind() == "member_expression":
        holder = parent.parent()
        if holder is None or holder.kind() != "call_expression":
            break
        if holder.field("function") != parent:
            break
        top = holder
        parent = top.parent()
    return top


def write_calls(nodes: FileNodes, region: SgNode) -> list[tuple[SgNode, SgNode]]:
    """(write call, outermost call of its chain) in document order: `update*`, `delete*`,
    `save*`, `remove*`, ... on anything, `create`/`insert` excluded (they have no key)."""
    found: list[tuple[SgNode, SgNode]] = []
    seen: set[tuple[int, int]] = set()
    for call in nodes.of("call_expression"):
        if not within(call, region):
            continue
        callee = nodes.callee(call)
        if callee is None or not WRITE_NAME.match(callee.rsplit(".", 1)[-1]):
            continue
        top = _chain_top(call)
        if _key(top) in seen:
            continue
        seen.add(_key(top))
        found.append((call, top))
    return found


def key_nodes(nodes: FileNodes, call: SgNode, top: SgNode) -> list[SgNode]:
    """The parts of a write that say WHICH record it changes: a `where:` (Prisma), the filters
    of its chain (`.where(...)`, `.eq(...)`), else its first argument."""
    keys: list[SgNode] = []
    current = top
    while current.kind() == "call_expression" and current != call:
        callee = nodes.callee(current) or ""
        if callee.rsplit(".", 1)[-1] in _CHAIN_FILTERS:
            keys.extend(call_arguments(current))
        function = current.field("function")
        inner = function.field("object") if function is not None else None
        if inner is None:
            break
        current = inner
    arguments = call_arguments(call)
    first = _unwrapped(arguments[0]) if arguments else None
    if first is not None and first.kind() == "object":
        where = [value for key, value in object_properties(first) if key == "where"]
        if where:
            keys.extend(where)
        elif not keys:
            keys.append(first)
    elif first is not None and not keys:
        keys.append(first)
    return keys


def _unwrapped(node: SgNode) -> SgNode:
    while node.kind() in ("await_expression", "parenthesized_expression", "as_expression"):
        inner = [child for child in node.children() if child.is_named()]
        if not inner:
            break
        node = inner[0]
    return node


def overrides(keys: Sequence[SgNode], url: Taint, body: Taint) -> bool:
    """A key object that spreads the record the URL id loaded and then the body over it
    (`{ ...existing, ...body }`, `{ ...existing, id: body.id }`): the body decides the record."""
    for key in keys:
        objects = [key] if key.kind() == "object" else []
        objects.extend(node for node in key.find_all(kind="object") if node != key)
        for obj in objects:
            loaded = False
            for member in (child for child in obj.children() if child.is_named()):
                if member.kind() == "spread_element":
                    if loaded and body.within(member):
                        return True
                    loaded = loaded or url.within(member)
                elif member.kind() == "pair" and loaded:
                    name = member.field("key")
                    value = member.field("value")
                    is_id = name is not None and name.text() == "id"
                    if is_id and value is not None and body.within(value):
                        return True
    return False


@dataclass
class Untied:
    """A finding's material: two values the handler never ties, and where to say so."""

    shape: str  # "two-ids" | "body-write" | "body-override"
    param: str
    """The URL id left untied: the checked parent id, or the id the write ignores."""
    other: str
    """The id the record is loaded by (two ids), or the write's key as written."""
    call: SgNode
    """The lookup by `other` (two ids), or the write."""
    check: SgNode | None = None
    """Where `param` is used (two ids): the permission check or the parent's lookup."""


def _first_call(nodes: FileNodes, taint: Taint, region: SgNode) -> SgNode | None:
    """The first call one of the value's references sits in that checks or loads something:
    not display, not a combinator, not navigation (`redirect(`/${slug}/settings`)`)."""
    best: SgNode | None = None
    for ref in taint.refs:
        for ancestor in ref.ancestors():
            kind = ancestor.kind()
            if ancestor == region or kind in FUNCTION_KINDS or kind == "statement_block":
                break
            if kind != "call_expression":
                continue
            callee = nodes.callee(ancestor)
            if callee in _COMBINATORS or is_display_call(callee, frozenset()):
                continue
            if callee is not None and _NAVIGATION.match(callee):
                break
            if best is None or ancestor.range().start.index < best.range().start.index:
                best = ancestor
            break
    return best


def two_ids(
    nodes: FileNodes,
    region: SgNode,
    flows: Sequence[ParamFlow],
    entities: Collection[str],
) -> Untied | None:
    """The record's id (the last parameter) never tied to a parent id the handler uses.

    Both must name entities (`entities`) and be used (reach a call that is not display): an id
    only displayed, or never read because a wrapper checks it, is another shape's business.
    Ties are transitive, through any parameter (`[team]/[project]/[task]`: the task by project,
    the project by team; `[organization]/customers/[customerId]/meter/[meterId]`: both compared
    with the organization).
    """
    used = [flow for flow in flows if flow.verdict == "use" and flow.reads]
    if len(used) < 2 or used[-1] is not flows[-1] or used[-1].name not in entities:
        return None
    declarations = _Declarations(nodes, region)
    taints = {
        flow.name: taint_of(nodes, region, flow.expressions, flow.bound, declarations)
        for flow in used
    }
    record = used[-1].name
    joined = {record}
    changed = True
    while changed:
        changed = False
        for flow in used:
            if flow.name in joined:
                continue
            if any(meet(nodes, region, taints[flow.name], taints[other]) for other in joined):
                joined.add(flow.name)
                changed = True
    lookup = _first_call(nodes, taints[record], region)
    if lookup is None:
        return None
    if _tied_to_caller(nodes, region, taints[record], declarations):
        return None
    for flow in used[:-1]:
        if flow.name in joined or flow.name not in entities:
            continue
        check = _first_call(nodes, taints[flow.name], region)
        if check is not None:
            return Untied("two-ids", flow.name, record, lookup, check)
    return None


def _tied_to_caller(
    nodes: FileNodes, region: SgNode, record: Taint, declarations: _Declarations
) -> bool:
    """Whether the record is checked against the caller itself, which makes its parent id moot.

    papermark loads a document by the URL's id with its team's memberships filtered by the
    session's user, then answers 403 when there are none; others compare the record's `teamId`
    with the teams the user belongs to (`teams.some((t) => t.id === doc.teamId)`), or key the
    lookup by the owner (`where: { id, ownerId: userId }`). Either way a record of a team the
    caller is not in is refused, whichever team the URL names. The caller is what the session
    calls return (`getServerSession`, `auth()`) and `req.user`; they meet the record in a lookup,
    a membership test or an equality, never in a write or a log line.
    """
    seeds = [
        call
        for call in nodes.of("call_expression")
        if within(call, region) and _CALLER_CALL.search(nodes.callee(call) or "")
    ]
    seeds.extend(
        member
        for member in nodes.of("member_expression")
        if within(member, region) and _CALLER_MEMBER.match(member.text())
    )
    if not seeds:
        return False
    caller = taint_of(nodes, region, seeds, (), declarations)
    points = {key for ref in record.refs for key in _tie_points(nodes, ref, region)}
    return any(key in points for ref in caller.refs for key in _tie_points(nodes, ref, region))


def _tie_points(nodes: FileNodes, ref: SgNode, region: SgNode) -> Iterator[tuple[int, int]]:
    """Where a value can be checked against another: a lookup, a membership test (through its
    callback: `teams.some((t) => t.id === doc.teamId)`) or an equality."""
    for ancestor in ref.ancestors():
        kind = ancestor.kind()
        if ancestor == region or kind == "statement_block":
            return
        if kind in FUNCTION_KINDS:
            holder = ancestor.parent()
            if holder is None or holder.kind() != "arguments":
                return
            continue  # an inline callback: the call it is handed to decides
        if kind == "call_expression":
            callee = nodes.callee(ancestor) or ""
            if is_lookup_callee(callee) or callee.rsplit(".", 1)[-1] in _MEMBERSHIP:
                yield _key(ancestor)
        elif kind == "binary_expression":
            operator = ancestor.field("operator")
            if operator is not None and operator.text() in _EQUALITY:
                yield _key(ancestor)


def _key_taint(
    nodes: FileNodes,
    region: SgNode,
    keys: Sequence[SgNode],
    body: Taint,
    declarations: _Declarations,
) -> Taint:
    """The taint of what a write's key takes from the body: its own names (`clientID`), or
    the member it reads (`body.id`, followed wherever the same member is read)."""
    names: set[str] = set()
    texts: set[str] = set()
    for ref in body.refs:
        if not any(within(ref, key) for key in keys):
            continue
        if ref.kind() in ("identifier", "shorthand_property_identifier") and (
            ref.text() not in _BODY_NAMES
        ):
            names.add(ref.text())
            continue
        holder = ref.parent()
        if holder is not None and holder.kind() == "member_expression":
            texts.add(holder.text())
    seeds = [
        member
        for member in nodes.of("member_expression")
        if member.text() in texts and within(member, region)
    ]
    return taint_of(nodes, region, seeds, names, declarations)


def body_writes(
    nodes: FileNodes, region: SgNode, flows: Sequence[ParamFlow], request: Sequence[str]
) -> list[Untied]:
    """Writes after the URL id was used whose key comes from the request body instead."""
    used = [flow for flow in flows if flow.verdict == "use" and flow.reads]
    if not used:
        return []
    body = body_taint(nodes, region, request)
    if not body.refs:
        return []
    declarations = _Declarations(nodes, region)
    urls = [taint_of(nodes, region, f.expressions, f.bound, declarations) for f in used]
    first_use = min(flow.reads[0].range().start.index for flow in used)
    found: list[Untied] = []
    for call, top in write_calls(nodes, region):
        if call.range().start.index < first_use:
            continue
        keys = key_nodes(nodes, call, top)
        if not keys:
            continue
        text = " ".join(" ".join(key.text().split()) for key in keys)
        if any(overrides(keys, url, body) for url in urls):
            found.append(Untied("body-override", used[-1].name, text, call))
            continue
        if not any(body.within(key) for key in keys):
            continue
        if any(url.within(key) for url in urls for key in keys):
            continue
        key = _key_taint(nodes, region, keys, body, declarations)
        if any(meet(nodes, region, key, url) for url in urls):
            continue  # checked against the URL id before the write
        found.append(Untied("body-write", used[-1].name, text, call))
    return found
