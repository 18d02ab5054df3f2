"""Where a URL parameter goes inside one Python function: a lookup, or only display.

The Python half of `url-id-lookup` asks of every function that receives a path parameter
(a route handler, or a FastAPI dependency that declares the same parameter name) the question
`typescript_flow` asks of a TS handler, with the same small name-based data flow over libcst:

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
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.syntax import dotted_name, last_part, node_text, string_value

__all__ = [
    "RANK",
    "FunctionFlow",
    "NameFlow",
    "Span",
    "Verdict",
    "function_flows",
]

Verdict = Literal["use", "permission", "display", "checked", "unread"]
RANK: dict[str, int] = {"unread": 0, "checked": 1, "display": 2, "permission": 3, "use": 4}

_PATH_MAPPINGS = frozenset({"path_params", "view_args", "match_info"})
_REQUEST_NAMES = frozenset({"request", "req"})
_TRANSFORMS = frozenset(
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


# ---------------------------------------------------------------------------------------------
# One function's tree: parents, load references, bindings


class _Tree(cst.CSTVisitor):
    """Parents of every node below a function, and the names it reads and binds."""

    def __init__(self) -> None:
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.stack: list[cst.CSTNode] = []
        self.names: list[cst.Name] = []
        self.calls: list[cst.Call] = []
        self.bindings: list[tuple[list[str], cst.BaseExpression]] = []
        self._loads: dict[int, set[str]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            self.parents[node] = self.stack[-1]
        self.stack.append(node)
        if isinstance(node, cst.Name):
            self.names.append(node)
        elif isinstance(node, cst.Call):
            self.calls.append(node)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                self.bindings.append((list(_bound(target.target)), node.value))
        elif isinstance(node, (cst.AnnAssign, cst.NamedExpr)) and node.value is not None:
            self.bindings.append((list(_bound(node.target)), node.value))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()

    def value_loads(self, index: int) -> set[str]:
        """The names the value of binding `index` reads, computed once per function."""
        if index not in self._loads:
            self._loads[index] = _loads_in(self.bindings[index][1], self)
        return self._loads[index]


def _bound(target: cst.BaseExpression) -> Iterator[str]:
    """Names an assignment target binds (`a`, `a, b`); attributes and items bind none."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _bound(target.value)


_BINDING_PARENTS = (cst.AssignTarget, cst.AsName, cst.CompFor, cst.For, cst.NamedExpr)


def _is_load(name: cst.Name, parents: dict[cst.CSTNode, cst.CSTNode]) -> bool:
    """Whether a `Name` node reads a variable (not an attribute, keyword, target or def)."""
    parent = parents.get(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return False
    if isinstance(parent, (cst.Param, cst.FunctionDef, cst.ClassDef, cst.ImportAlias)):
        return False
    if isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.target is name:
        return False
    if isinstance(parent, (cst.NameItem, cst.Annotation)):
        return False
    child: cst.CSTNode = name
    while isinstance(parent, (cst.Tuple, cst.List, cst.Element, cst.StarredElement)):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, cst.AssignTarget):
        return False
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is child:
        return False
    if isinstance(parent, cst.NamedExpr) and parent.target is child:
        return False
    return not isinstance(parent, cst.AsName)


# ---------------------------------------------------------------------------------------------
# Classifying one read


_STATEMENTS = (
    cst.AugAssign,
    cst.Expr,
    cst.Raise,
    cst.Del,
    cst.BaseSuite,
    cst.FunctionDef,
    cst.ClassDef,
)


@dataclass
class _Decision:
    verdict: Verdict | None
    call: str | None = None


@dataclass
class _Walk:
    tree: _Tree
    is_handler: bool
    extra_display: frozenset[str]
    seen: set[cst.CSTNode] = field(default_factory=set)

    def callee(self, call: cst.Call) -> tuple[str | None, str | None]:
        name = dotted_name(call.func)
        if name is not None:
            return name, last_part(name)
        if isinstance(call.func, cst.Attribute):
            return None, call.func.attr.value
        return None, None

    def is_display(self, name: str | None, last: str | None) -> bool:
        if last is None:
            return False
        if name is not None and (name in self.extra_display or name in _DISPLAY_LAST):
            return True
        if last in self.extra_display or last in _DISPLAY_LAST:
            return True
        if _EXCEPTION.search(last):
            return True
        root = name.split(".", 1)[0] if name is not None else None
        return root in _DISPLAY_ROOTS

    def kept(self, node: cst.CSTNode) -> bool:
        """Whether a call's result is assigned or returned (a checker that returns the record)."""
        parent = self.tree.parents.get(node)
        while isinstance(parent, cst.Await):
            node, parent = parent, self.tree.parents.get(parent)
        return isinstance(parent, (cst.Assign, cst.AnnAssign, cst.NamedExpr, cst.Return))

    def call(self, call: cst.Call) -> _Decision | None:
        """The decision a call makes about an argument; None when it only transforms it."""
        name, last = self.callee(call)
        label = name or (f".{last}" if last else "?")
        if last in _TRANSFORMS or name in _TRANSFORMS:
            return None
        if self.is_display(name, last):
            return _Decision("display", label)
        if last is not None and _PERMISSION.match(last):
            return _Decision("use") if self.kept(call) else _Decision("permission", label)
        if last in _CHECKS:
            return _Decision("checked")
        return _Decision("use")

    def comparison(self, comparison: cst.Comparison, child: cst.CSTNode) -> _Decision:
        operators = [target.operator for target in comparison.comparisons]
        if any(isinstance(op, (cst.In, cst.NotIn)) for op in operators):
            return _Decision("permission", "in")
        if any(isinstance(op, (cst.Is, cst.IsNot)) for op in operators):
            return _Decision("checked")
        operands = [comparison.left, *(target.comparator for target in comparison.comparisons)]
        others = [op for op in operands if op is not child and not _contains(op, child)]
        if all(_is_literal(op) for op in others):
            return _Decision("checked")
        return _Decision("use")

    def decide(self, node: cst.CSTNode) -> _Decision:
        """Climb from one read of the value to the first node that decides what it is for."""
        parents = self.tree.parents
        child, parent = node, parents.get(node)
        while parent is not None:
            if isinstance(parent, cst.Call):
                if parent.func is child:
                    child, parent = parent, parents.get(parent)
                    continue
                decision = self.call(parent)
                if decision is not None:
                    return decision
            elif isinstance(parent, cst.Attribute):
                if parent.value is not child:
                    return _Decision(None)
            elif isinstance(parent, cst.Subscript):
                if parent.value is not child:
                    return _Decision("use")  # a key into a mapping: `orders[order_id]`
            elif isinstance(parent, cst.Comparison):
                return self.comparison(parent, child)
            elif isinstance(parent, cst.ComparisonTarget):
                pass
            elif isinstance(parent, (cst.If, cst.While, cst.Assert, cst.CompIf)):
                return _Decision("checked")
            elif isinstance(parent, cst.IfExp):
                if parent.test is child:
                    return _Decision("checked")
            elif isinstance(parent, cst.UnaryOperation):
                if isinstance(parent.operator, cst.Not):
                    return _Decision("checked")
            elif isinstance(parent, (cst.Return, cst.Yield)):
                return _Decision("display", "return") if self.is_handler else _Decision("use")
            elif isinstance(parent, (cst.Assign, cst.AnnAssign)):
                targets = (
                    [t.target for t in parent.targets]
                    if isinstance(parent, cst.Assign)
                    else [parent.target]
                )
                if any(isinstance(t, (cst.Attribute, cst.Subscript)) for t in targets):
                    return _Decision("use")
                return _Decision(None)  # followed by the derived-name taint instead
            elif isinstance(parent, _STATEMENTS):
                return _Decision(None)
            child, parent = parent, parents.get(parent)
        return _Decision(None)


def _contains(outer: cst.CSTNode, inner: cst.CSTNode) -> bool:
    if outer is inner:
        return True
    return any(_contains(child, inner) for child in outer.children)


def _is_literal(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    if isinstance(node, cst.UnaryOperation):
        return _is_literal(node.expression)
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return all(_is_literal(element.value) for element in node.elements)
    return False


# ---------------------------------------------------------------------------------------------
# Seeds and the fixed point


def _path_read(node: cst.CSTNode) -> str | None:
    """The name read by `request.path_params["x"]` or `request.path_params.get("x")`."""
    if isinstance(node, cst.Subscript) and _is_path_mapping(node.value) and len(node.slice) == 1:
        element = node.slice[0].slice
        if isinstance(element, cst.Index):
            return string_value(element.value)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "get"
        and _is_path_mapping(node.func.value)
        and node.args
    ):
        return string_value(node.args[0].value)
    return None


def _is_path_mapping(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value in _PATH_MAPPINGS


def _loads_in(node: cst.CSTNode, tree: _Tree) -> set[str]:
    """The variable names an expression reads."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            if _is_load(current, tree.parents):
                found.add(current.value)
        else:
            stack.extend(current.children)
    return found


def _ancestors(node: cst.CSTNode, tree: _Tree) -> set[cst.CSTNode]:
    found: set[cst.CSTNode] = set()
    current = tree.parents.get(node)
    while current is not None:
        found.add(current)
        current = tree.parents.get(current)
    return found


def _flow(
    tree: _Tree,
    name: str,
    tainted: set[str],
    seeds: list[cst.CSTNode],
    walk: _Walk,
    positions: dict[cst.CSTNode, CodeRange],
) -> NameFlow:
    """Taint from the seeds to a fixed point, then decide every read."""
    around: set[cst.CSTNode] = set(seeds)
    for seed in seeds:
        around |= _ancestors(seed, tree)
    changed = True
    while changed:
        changed = False
        for index, (names, value) in enumerate(tree.bindings):
            fresh = [n for n in names if n not in tainted]
            if fresh and (value in around or not tree.value_loads(index).isdisjoint(tainted)):
                tainted.update(fresh)
                changed = True
    reads: list[cst.CSTNode] = list(seeds)
    reads.extend(n for n in tree.names if n.value in tainted and _is_load(n, tree.parents))
    reads.sort(key=lambda n: (positions[n].start.line, positions[n].start.column))
    best: Verdict = "checked" if reads else "unread"
    display: list[str] = []
    permission: list[str] = []
    for read in reads:
        decision = walk.decide(read)
        if decision.verdict is None:
            continue
        shown = decision.call not in (None, "return", *display)
        if decision.verdict == "display" and decision.call and shown:
            display.append(decision.call)
        if decision.verdict == "permission" and decision.call and decision.call not in permission:
            permission.append(decision.call)
        if RANK[decision.verdict] > RANK[best]:
            best = decision.verdict
    first = _span(positions[reads[0]]) if reads else None
    return NameFlow(
        name=name,
        verdict=best,
        first=first,
        display_calls=display,
        permission_calls=permission,
    )


def _span(where: CodeRange) -> Span:
    return Span(
        line=where.start.line,
        column=where.start.column + 1,
        end_line=where.end.line,
        end_column=where.end.column + 1,
    )


# ---------------------------------------------------------------------------------------------
# Per-function facts


def _parameters(function: cst.FunctionDef, in_class: bool) -> list[cst.Param]:
    params = [
        *function.params.posonly_params,
        *function.params.params,
        *function.params.kwonly_params,
    ]
    if in_class and params and params[0].name.value in ("self", "cls"):
        params = params[1:]
    return params


def _depends_target(param: cst.Param) -> str | None:
    """The callee of a `Depends(f)`/`Security(f)` default or `Annotated[T, Depends(f)]`."""
    candidates: list[cst.BaseExpression] = []
    if param.default is not None:
        candidates.append(param.default)
    if param.annotation is not None:
        annotation = param.annotation.annotation
        if isinstance(annotation, cst.Subscript):
            candidates.extend(
                element.slice.value
                for element in annotation.slice
                if isinstance(element.slice, cst.Index)
            )
    for candidate in candidates:
        if isinstance(candidate, cst.Call) and last_part(dotted_name(candidate.func)) in (
            "Depends",
            "Security",
        ):
            if candidate.args:
                target = candidate.args[0].value
                return dotted_name(target) or dotted_name(
                    target.func if isinstance(target, cst.Call) else None
                )
            if param.annotation is not None:
                return dotted_name(param.annotation.annotation)
    return None


def _is_trivial(function: cst.FunctionDef) -> bool:
    """A stub: only a docstring, `pass`, `...` or a `raise`.

    A handler whose whole body raises (`raise NotImplementedError`, a TODO that answers
    `HTTPException(501)` or a 404 naming the id) fetches nothing, so it cannot fetch the wrong
    thing: an id it only puts in the error message is a placeholder, not a lookup gone astray.
    """
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        statements: Sequence[cst.CSTNode] = [body]
    else:
        statements = body.body
    for statement in statements:
        if not isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return False
        for small in statement.body:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and isinstance(
                small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString)
            ):
                continue
            if isinstance(small, cst.Raise):
                continue
            return False
    return True


def _lookup_texts(tree: _Tree, positions: dict[cst.CSTNode, CodeRange]) -> list[str]:
    """Calls that look like fetching data, filters (`.where(...)`) before other lookups."""
    filters: list[str] = []
    others: list[str] = []
    ordered = sorted(
        tree.calls,
        key=lambda c: (positions[c.func].end.line, positions[c.func].end.column),
    )
    for call in ordered:
        name = dotted_name(call.func)
        if isinstance(call.func, cst.Attribute):
            last = call.func.attr.value
        elif isinstance(call.func, cst.Name):
            last = call.func.value
        else:
            continue
        if not _LOOKUP_LAST.match(last) or (name is not None and _IDENTITY.search(name)):
            continue
        if last == "get" and call.args and string_value(call.args[0].value) is not None:
            continue  # a mapping's `.get("key")`, not a record
        if last in ("execute", "scalar", "scalars", "query", "select") and not call.args:
            continue
        arguments = " ".join(", ".join(_argument_text(arg) for arg in call.args).split())
        text = f"{name or '.' + last}({arguments})"
        if len(text) > 70:
            text = text[:67] + "..."
        (filters if last in _FILTERS or last.startswith("get") else others).append(text)
    return filters + others


def _argument_text(arg: cst.Arg) -> str:
    value = node_text(arg.value)
    if arg.keyword is not None:
        return f"{arg.keyword.value}={value}"
    return f"{arg.star}{value}"


def _references_request(tree: _Tree, walk: _Walk, names: set[str]) -> bool:
    """Whether the request object is handed to a call (`handle(request)`), which may read it."""
    for node in tree.names:
        if node.value not in names or not _is_load(node, tree.parents):
            continue
        parent = tree.parents.get(node)
        if isinstance(parent, cst.Arg):
            call = tree.parents.get(parent)
            if isinstance(call, cst.Call):
                decision = walk.call(call)
                if decision is None or decision.verdict == "use":
                    return True
    return False


def function_flow(
    function: cst.FunctionDef,
    qualified: str,
    *,
    in_class: bool,
    is_handler: bool,
    positions: dict[cst.CSTNode, CodeRange],
    extra_display: frozenset[str],
    reads_path_params: bool = True,
) -> FunctionFlow:
    """What every parameter (and every `path_params` read) of one function reaches."""
    tree = _Tree()
    function.body.visit(tree)
    for param in _parameters(function, in_class):
        if param.default is not None:
            param.default.visit(tree)
    walk = _Walk(tree, is_handler, extra_display)
    params = _parameters(function, in_class)
    flows: list[NameFlow] = []
    spans: dict[str, Span] = {}
    depends: dict[str, str] = {}
    request_names: set[str] = set()
    for param in params:
        name = param.name.value
        spans[name] = _span(positions[param])
        flows.append(_flow(tree, name, {name}, [], walk, positions))
        target = _depends_target(param)
        if target is not None:
            depends[name] = target
        annotation = node_text(param.annotation.annotation) if param.annotation else ""
        if name in _REQUEST_NAMES or annotation.endswith("Request"):
            request_names.add(name)
    seeds: dict[str, list[cst.CSTNode]] = {}
    whole = False
    for node in list(tree.parents) if reads_path_params else []:
        read = _path_read(node)
        if read is not None:
            seeds.setdefault(read, []).append(node)
        elif _is_path_mapping(node):
            parent = tree.parents.get(node)
            if parent is None or (
                _path_read(parent) is None
                and not (
                    isinstance(parent, cst.Attribute)
                    and isinstance(tree.parents.get(parent), cst.Call)
                )
            ):
                whole = True
    path_reads = [_flow(tree, name, set(), nodes, walk, positions) for name, nodes in seeds.items()]
    star = function.params.star_kwarg
    position = positions[function]
    return FunctionFlow(
        name=qualified,
        line=position.start.line,
        column=position.start.column + 1,
        is_handler=is_handler,
        params=flows,
        param_spans=spans,
        path_reads=path_reads,
        whole_path_params=whole,
        var_keyword=star is not None,
        hands_on_request=_references_request(tree, walk, request_names),
        trivial=_is_trivial(function),
        lookups=_lookup_texts(tree, positions) if is_handler else [],
        depends=depends,
    )


def _functions(
    body: Sequence[cst.CSTNode], owner: str | None = None
) -> Iterator[tuple[cst.FunctionDef, str, bool]]:
    """Every function, nested ones included (Flask app factories define views inside).

    Yields (node, qualified name, is a method): `Class.method` for methods, the bare name
    otherwise; only top-level names can be the target of a `Depends(...)` in another module.
    """
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            qualified = f"{owner}.{statement.name.value}" if owner else statement.name.value
            yield statement, qualified, owner is not None
            yield from _functions(_statements(statement.body))
        elif isinstance(statement, cst.ClassDef):
            yield from _functions(_statements(statement.body), statement.name.value)
        elif isinstance(statement, (cst.If, cst.Try, cst.With)):
            yield from _functions(_statements(statement.body))


def _statements(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else []


def function_flows(
    wrapper: cst.MetadataWrapper,
    handlers: set[tuple[int, int]],
    wanted: re.Pattern[str] | None,
    extra_display: frozenset[str],
    *,
    reads_path_params: bool,
) -> list[FunctionFlow]:
    """Flows of the route handlers at `handlers` (def positions) and of possible dependencies.

    A function that is not a handler is kept only when it could receive a path parameter: a
    parameter name matching `wanted`, or a `path_params` read in its body.
    """
    positions = dict(wrapper.resolve(PositionProvider))
    found: list[FunctionFlow] = []
    for function, qualified, in_class in _functions(wrapper.module.body):
        where = positions[function].start
        is_handler = (where.line, where.column + 1) in handlers
        if not is_handler and not _may_receive(function, in_class, wanted, reads_path_params):
            continue
        found.append(
            function_flow(
                function,
                qualified,
                in_class=in_class,
                is_handler=is_handler,
                positions=positions,
                extra_display=extra_display,
                reads_path_params=reads_path_params,
            )
        )
    return found


def _may_receive(
    function: cst.FunctionDef,
    in_class: bool,
    wanted: re.Pattern[str] | None,
    reads_path_params: bool,
) -> bool:
    params = _parameters(function, in_class)
    if wanted is not None and any(wanted.search(p.name.value) for p in params):
        return True
    if any(_depends_target(p) is not None for p in params):
        return True  # a dependency of dependencies: `order: Order = Depends(valid_order_id)`
    if not reads_path_params:
        return False
    text = node_text(function.body)
    return any(name in text for name in _PATH_MAPPINGS)
