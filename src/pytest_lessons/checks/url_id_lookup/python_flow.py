"""Where a URL parameter goes inside one Python function: a lookup, or only display.

The Python half of `url-id-lookup` asks of every function that receives a path parameter
(a route handler, or a FastAPI dependency that declares the same parameter name) the question
`typescript_flow` asks of a TS handler, with the same small name-based data flow:

- **Seeds**: a parameter of the function, or a read `request.path_params["order_id"]` /
  `request.path_params.get("order_id")` (Starlette; Flask's `request.view_args` alike). Handing
  the whole `path_params` mapping on marks every name used (`whole_path_params`).
- **Derived names**: an assignment whose value mentions a tainted name (`oid = order_id`,
  `key = UUID(order_id)`, `msg = f"order {order_id}"`) taints what it binds, to a fixed point.
  Names, not scopes: shadowing can only make the lesson quieter.
- **Verdicts**: from each tainted reference the walk climbs through transparent expressions
  (f-strings, `str()`/`int()`/`UUID()`, containers, attribute access, `await`, `x or y`) to
  the first node that decides:

  * a call to logging, printing, telemetry, a response or an exception (`logger.info`, `print`,
    `posthog.capture`, `analytics.track`, `JSONResponse`, `HTTPException(detail=...)`, `abort`,
    `render_template`, any `*Error`) -- *display*;
  * a call that looks like a permission check (`check_access(user, order_id)`, `can_view(...)`,
    `authorize(...)`) whose result is not kept, or a membership test `order_id in allowed` --
    *permission*: the id was allowed, but nothing was fetched by it. A permission call whose
    result is assigned or returned (`order = ensure_owner(db, order_id, user)`) is a *use*;
  * any other call, keyword arguments included (`repo.get(db, id=order_id)`,
    `.filter_by(id=order_id)`), a subscript key (`orders[order_id]`), an assignment to an
    attribute or item, and a comparison with another value (`Order.id == order_id`) -- *use*;
  * a test against a literal, `is None`, `not x`, an `if`/`assert` condition, `isinstance` --
    *checked* (validated, never used);
  * `return`/`yield`: *display* in a route handler (the response body echoes it), *use*
    anywhere else (a dependency hands the value to its caller).

Facts are plain pydantic records (positions and text), so they cache and pickle.

This module holds what the two readers share: the records, the vocabulary, the decision a call
makes about a value, and the fixed point (`flow_of`) over a `FlowTree`; `python_flow_ast` (the
standard library's parser, the fast path) and `python_flow_cst` (libcst, for syntax the running
interpreter rejects) each build a `FlowTree` of one function and decide where a read climbs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from pydantic import Field

from pytest_lessons.lang.common.records import Record

__all__ = [
    "PATH_MAPPINGS",
    "RANK",
    "REQUEST_NAMES",
    "TRANSFORMS",
    "Decision",
    "FlowTree",
    "FunctionFlow",
    "NameFlow",
    "Span",
    "Verdict",
    "WriteFlow",
    "call_decision",
    "common_facts",
    "flow_of",
    "is_display",
    "lookup_text",
    "tainted_reads",
]

Verdict = Literal["use", "permission", "display", "checked", "unread"]
RANK: dict[str, int] = {"unread": 0, "checked": 1, "display": 2, "permission": 3, "use": 4}

PATH_MAPPINGS = frozenset({"path_params", "view_args", "match_info"})
REQUEST_NAMES = frozenset({"request", "req"})
TRANSFORMS = frozenset(
    {
        "str",
        "int",
        "float",
        "UUID",
        "uuid.UUID",
        "UUID4",
        "ObjectId",
        "PydanticObjectId",
        "Decimal",
        "repr",
        "format",
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "casefold",
        "encode",
        "decode",
        "join",
        "quote",
        "unquote",
        "hex",
        "escape",
    }
)
_DISPLAY_ROOTS = frozenset(
    {
        "logger",
        "log",
        "logging",
        "LOGGER",
        "LOG",
        "_logger",
        "_log",
        "structlog",
        "sentry_sdk",
        "posthog",
        "analytics",
        "mixpanel",
        "amplitude",
        "segment",
        "statsd",
        "metrics",
        "span",
        "tracer",
        "click",
    }
)
_DISPLAY_LAST = frozenset(
    {
        "print",
        "pprint",
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "log",
        "msg",
        "echo",
        "capture",
        "capture_event",
        "capture_message",
        "capture_exception",
        "track",
        "identify",
        "set_tag",
        "set_tags",
        "set_context",
        "set_extra",
        "set_attribute",
        "set_attributes",
        "add_breadcrumb",
        "flash",
        "gettext",
        "ngettext",
        "lazy_gettext",
        "_",
        "HTTPException",
        "abort",
        "jsonify",
        "make_response",
        "render_template",
        "render_template_string",
        "TemplateResponse",
        "JSONResponse",
        "ORJSONResponse",
        "UJSONResponse",
        "PlainTextResponse",
        "HTMLResponse",
        "Response",
        "HttpResponse",
        "JsonResponse",
    }
)
_EXCEPTION = re.compile(r"(Error|Exception|NotFound|Forbidden|BadRequest|Conflict|Unauthorized)$")
_PERMISSION = re.compile(
    r"(?i)^(?:(?:check|ensure|require|assert|verify|validate|authori[sz]e|enforce)_?\w*?"
    r"(?:perm\w*|access|owner\w*|member\w*|allowed|auth\w*|rights?|roles?|scopes?|acl)"
    r"|(?:can|has|is_allowed|is_owner|is_member|user_can|user_has|may)(?:_\w+)?"
    r"|authori[sz]e\w*|\w*permission\w*|has_access\w*)$"
)
_CHECKS = frozenset({"isinstance", "len", "bool", "type", "hasattr", "callable", "issubclass"})
_LOOKUP_LAST = re.compile(
    r"^(?:get|get_or_404|first_or_404|one_or_404|get_object_or_404|filter|filter_by|where|"
    r"find|find_one|find_first|select|query|execute|scalar|scalars|"
    r"latest|(?:get|find|load|fetch|read|select|query|lookup|retrieve|search|latest|last)_\w+|"
    r"\w+_(?:latest|last|most_recent))$"
)
_FILTERS = frozenset({"where", "filter", "filter_by"})
_IDENTITY = re.compile(
    r"(?i)current_user|get_user$|get_me$|get_db$|get_session|getenv|environ|headers|cookies|"
    r"query_params|path_params|settings|config|Depends|Security|logger|^log\.|^request\.|"
    r"get_current|get_settings|get_logger"
)


class Span(Record):
    line: int
    column: int
    end_line: int
    end_column: int


class NameFlow(Record):
    """Where one parameter's value goes inside one function."""

    name: str
    verdict: Verdict
    first: Span | None = None
    """The first read, where a reviewer starts; None when the value is never read."""
    display_calls: list[str] = Field(default_factory=list)
    permission_calls: list[str] = Field(default_factory=list)
    meets: list[str] = Field(default_factory=list)
    """Where the value may meet another (`line:column` of the calls and equalities its reads
    sit in, display and `gather` aside): two ids sharing one are looked up together or
    compared. Read by the `ast` reader only; a module only libcst parses has none."""
    use: Span | None = None
    """The first call that looks the value up or checks it (ast reader only)."""
    use_text: str | None = None


class WriteFlow(Record):
    """A call of a handler that changes a record (`repo.delete(...)`, `session.merge(...)`,
    `Model.query.filter_by(...).update(...)`), and which values reach it. Read by the `ast`
    reader only; which parameters are path ids and which the body is decided at judge time."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    key: str
    """The parts that say which record: filters, `id=`-like keywords, else the first
    argument that is not a session."""
    reached_by: list[str] = Field(default_factory=list)
    """Parameters (and path reads) of the handler whose value reaches the write."""
    key_by: list[str] = Field(default_factory=list)
    """Parameters whose value reaches the key."""
    form_keyed: bool = False
    """Flask's `request.json`/`request.form` reaches the key."""
    spreads: list[tuple[str, str]] = Field(default_factory=list)
    """(a parameter whose value a dict spreads, one spread after it: `{**order.dict(),
    **payload.dict()}` gives (`order_id`, `payload`))."""
    key_meets: dict[str, list[str]] = Field(default_factory=dict)
    """Per parameter reaching the key, where its part of the key meets other values."""


class FunctionFlow(Record):
    """One function (a handler, or a possible dependency) and what its parameters reach.

    `name` is `f` or `Class.method`; `line`/`column` are the `def`'s, as `Route` records them.
    `depends` maps a parameter to the dotted callee of its `Depends(...)`, for dependencies of
    dependencies. `lookups` are the calls shaped like data lookups, filters first, for the
    message ("data is fetched by `.where(Purchase.user_id == user_id)` instead").
    """

    name: str
    line: int
    column: int
    is_handler: bool = False
    params: list[NameFlow] = Field(default_factory=list)
    param_spans: dict[str, Span] = Field(default_factory=dict)
    path_reads: list[NameFlow] = Field(default_factory=list)
    whole_path_params: bool = False
    var_keyword: bool = False
    hands_on_request: bool = False
    trivial: bool = False
    lookups: list[str] = Field(default_factory=list)
    depends: dict[str, str] = Field(default_factory=dict)
    writes: list[WriteFlow] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    """Parameters typed like a request body (`payload: OrderUpdate`, `Body(...)`)."""
    path_aliases: dict[str, str] = Field(default_factory=dict)
    """URL parameters bound to a parameter of another name: `artifact_id: UUID = Path(...,
    alias="id")` gives {"id": "artifact_id"}."""
    returns_function: str | None = None
    """A dependency factory (`Depends(OrgPolicyGuard(...))`) returns a function it defines:
    that function's name (`OrgPolicyGuard.<locals>.dependency`), which FastAPI calls with the
    path parameters."""


_PATH_ALIAS = re.compile(r"\bPath\((?:[^()]|\([^()]*\))*?\balias\s*=\s*(['\"])([^'\"]+)\1", re.S)


def path_alias(default: str, annotation: str) -> str | None:
    """The URL parameter a handler parameter receives under another name: FastAPI's
    `Path(..., alias="id")` as its default or in its `Annotated[...]` (both readers pass the
    source text of each, so they agree)."""
    for text in (default, annotation):
        found = _PATH_ALIAS.search(text)
        if found is not None:
            return found.group(2)
    return None


# ---------------------------------------------------------------------------------------------
# Decisions both readers make from names


@dataclass
class Decision:
    """What one read of a value is for (None: nothing decided here), and the call that says so."""

    verdict: Verdict | None
    call: str | None = None


SHELL_RENDERERS = frozenset(
    {"TemplateResponse", "render_template", "render", "FileResponse", "send_file"}
)
"""Calls that answer with a page or file. Returned with nothing but literals and the request
(`templates.TemplateResponse(request, name="share.html")`), they serve a shell whose own script
reads the id from the address and loads what it names: the view loads nothing, so it cannot load
the wrong record (as `typescript_flow.lookups_by_another_key` leaves a page shell alone)."""


def is_display(name: str | None, last: str | None, extra: frozenset[str]) -> bool:
    """A call whose arguments are only logged, shown, sent to telemetry or raised."""
    if last is None:
        return False
    if name is not None and (name in extra or name in _DISPLAY_LAST):
        return True
    if last in extra or last in _DISPLAY_LAST:
        return True
    if _EXCEPTION.search(last):
        return True
    root = name.split(".", 1)[0] if name is not None else None
    return root in _DISPLAY_ROOTS


def call_decision(
    name: str | None, last: str | None, kept: bool, extra: frozenset[str]
) -> Decision | None:
    """The decision a call (dotted `name`, its `last` part) makes about an argument; None when it
    only transforms it. `kept`: its result is assigned or returned (a checker that returns the
    record)."""
    label = name or (f".{last}" if last else "?")
    if last in TRANSFORMS or name in TRANSFORMS:
        return None
    if is_display(name, last, extra):
        return Decision("display", label)
    if last is not None and _PERMISSION.match(last):
        return Decision("use") if kept else Decision("permission", label)
    if last in _CHECKS:
        return Decision("checked")
    return Decision("use")


def lookup_text(
    name: str | None, last: str, arguments: Sequence[str], first_is_string: bool
) -> tuple[str, bool] | None:
    """(`repo.get(session, id)` shown in a message, is a filter) for a call shaped like fetching
    data, or None. `arguments` as written (`id=x`, `*rest`)."""
    if not _LOOKUP_LAST.match(last) or (name is not None and _IDENTITY.search(name)):
        return None
    if last == "get" and arguments and first_is_string:
        return None  # a mapping's `.get("key")`, not a record
    if last in ("execute", "scalar", "scalars", "query", "select") and not arguments:
        return None
    joined = " ".join(", ".join(arguments).split())
    text = f"{name or '.' + last}({joined})"
    if len(text) > 70:
        text = text[:67] + "..."
    return text, last in _FILTERS or last.startswith("get")


# ---------------------------------------------------------------------------------------------
# The fixed point, over either reader's tree

NodeT = TypeVar("NodeT")


class FlowTree(Protocol, Generic[NodeT]):
    """One function's tree as `flow_of` needs it, whichever parser built it."""

    bindings: list[tuple[list[str], NodeT]]
    """(names an assignment binds, the value it binds them from), in source order."""

    def loads(self) -> Iterable[NodeT]:
        """Every name the function reads (not a target, attribute, keyword or parameter)."""

    def name(self, node: NodeT) -> str:
        """The name a read node reads."""

    def value_loads(self, index: int) -> set[str]:
        """The names the value of binding `index` reads."""

    def ancestors(self, node: NodeT) -> set[NodeT]:
        """Every node above `node` in the function."""

    def span(self, node: NodeT) -> Span:
        """Where `node` is (1-based line and column)."""

    def decide(self, node: NodeT) -> Decision:
        """Climb from one read to the first node that decides what it is for."""

    def meets(self, node: NodeT) -> Iterable[str]:
        """Where a read may meet another value (see `NameFlow.meets`); none in libcst's."""

    def use_of(self, node: NodeT) -> tuple[str, Span] | None:
        """The call that looks a read up or checks it, and where; none in libcst's."""


def tainted_reads(tree: FlowTree[NodeT], tainted: set[str], seeds: Sequence[NodeT]) -> list[NodeT]:
    """Every read of a value: the seeds, and the loads of every name derived from them or from
    `tainted` (which this extends), to a fixed point."""
    around: set[NodeT] = set(seeds)
    for seed in seeds:
        around |= tree.ancestors(seed)
    changed = True
    while changed:
        changed = False
        for index, (names, value) in enumerate(tree.bindings):
            fresh = [n for n in names if n not in tainted]
            if fresh and (value in around or not tree.value_loads(index).isdisjoint(tainted)):
                tainted.update(fresh)
                changed = True
    reads: list[NodeT] = list(seeds)
    reads.extend(node for node in tree.loads() if tree.name(node) in tainted)
    return reads


def flow_of(
    tree: FlowTree[NodeT], name: str, tainted: set[str], seeds: Sequence[NodeT]
) -> NameFlow:
    """Taint from the seeds (reads) and the `tainted` names to a fixed point, then decide every
    read of the value."""
    reads = tainted_reads(tree, tainted, seeds)
    spans = {id(read): tree.span(read) for read in reads}
    reads.sort(key=lambda read: (spans[id(read)].line, spans[id(read)].column))
    best: Verdict = "checked" if reads else "unread"
    display: list[str] = []
    permission: list[str] = []
    meets: set[str] = set()
    use: tuple[str, Span] | None = None
    for read in reads:
        meets.update(tree.meets(read))
        decision = tree.decide(read)
        if use is None and decision.verdict in ("use", "permission"):
            use = tree.use_of(read)
        if decision.verdict is None:
            continue
        shown = decision.call not in (None, "return", *display)
        if decision.verdict == "display" and decision.call and shown:
            display.append(decision.call)
        if decision.verdict == "permission" and decision.call and decision.call not in permission:
            permission.append(decision.call)
        if RANK[decision.verdict] > RANK[best]:
            best = decision.verdict
    return NameFlow(
        name=name,
        verdict=best,
        first=spans[id(reads[0])] if reads else None,
        display_calls=display,
        permission_calls=permission,
        meets=sorted(meets),
        use=use[1] if use is not None else None,
        use_text=use[0] if use is not None else None,
    )


def common_facts(flow: FunctionFlow) -> FunctionFlow:
    """`flow` without what only the `ast` reader reads (where values meet, what a handler
    writes, which parameters are bodies): the facts both readers must agree on."""
    blank: dict[str, object] = {"meets": [], "use": None, "use_text": None}
    return flow.model_copy(
        update={
            "writes": [],
            "bodies": [],
            "params": [p.model_copy(update=blank) for p in flow.params],
            "path_reads": [p.model_copy(update=blank) for p in flow.path_reads],
        }
    )
