"""The flows of `python_flow` read with the standard library's `ast`: the fast path.

The Python half reads the functions of every module that declares a route or may hold a
dependency; libcst with position metadata cost most of a cold run on a FastAPI monorepo (issue
8: polar), `ast` a fraction. The facts must not depend on the reader, so this module reads the
`ast` tree the way `python_flow_cst` reads libcst's, where the trees differ:

- `ast` has no suites or argument wrappers: climbing from a read, any statement the lesson does
  not decide on ends the climb (libcst's suite did), and a call's arguments sit directly under it.
- A name is read when its context is `Load` (or `Del`), except the bare annotation of an
  assignment or a parameter, which libcst keeps apart as an `Annotation`.
- `True`, `False`, `None` are constants, not names; literals are constants of str, bytes, int,
  float, bool or None (not complex, not `...`), as libcst's literal node types.
- Texts, character columns and the written order of children come from `lang.python.ast_source`.

`python_flows` raises `SyntaxError` (or `ValueError`/`RecursionError`) when `ast` cannot parse
the module; the caller then reads it with `python_flow_cst`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from pytest_lessons.checks.url_id_lookup.python_flow import (
    PATH_MAPPINGS,
    REQUEST_NAMES,
    SHELL_RENDERERS,
    TRANSFORMS,
    Decision,
    FunctionFlow,
    NameFlow,
    Span,
    WriteFlow,
    call_decision,
    flow_of,
    is_display,
    lookup_text,
    path_alias,
    tainted_reads,
)
from pytest_lessons.lang.python.ast_source import (
    AstSource,
    Parsed,
    children_in_source_order,
    parsed,
)
from pytest_lessons.lang.python.routes.ast_syntax import ast_dotted, call_arguments

__all__ = ["python_flows"]

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_TRANSFORM_NAMES = TRANSFORMS
_WRITE = re.compile(
    r"^(?:update|upsert|delete|remove|destroy|save|patch|archive|restore|transfer|move|assign|"
    r"replace|edit|modify|revoke|unlink|detach|merge)(?:_\w+)?$"
)
_STORES = re.compile(
    r"(?i)repo|service|crud|session|(?:^|_)db\b|^db|objects|query|client|api|manager|store|dao|"
    r"controller|tx$|conn"
)
_SESSIONS = frozenset(
    {"db", "session", "s", "conn", "connection", "tx", "cursor", "db_session", "async_session"}
)
_FILTER_CALLS = frozenset({"filter", "filter_by", "where", "get", "get_or_404", "first_or_404"})
_KEY_WORDS = re.compile(r"^(?:id|pk|where|db_obj|obj|instance|record|model|\w+_id|\w+_pk)$")
_NOT_BODIES = re.compile(
    r"^(?:Request|Response|WebSocket|BackgroundTasks|Session|AsyncSession|HTTPConnection|"
    r"SecurityScopes|UploadFile|Optional|Annotated|Union|UUID|UUID4|datetime|date|time|Decimal|"
    r"Path|Query|Header|Cookie|Depends|Security|Any|Literal|List|Dict|Set|Sequence|Iterable)$"
)
_FLASK_BODY = re.compile(r"^request\.(?:json|form|values|data|get_json|get_data)$")


_MARKERS = frozenset(
    kind
    for base in (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for kind in base.__subclasses__()
)
"""A name's context and an operator: nodes with no text, position or children, shared by every
node of their kind (CPython keeps one `Load()`), so a tree has nothing to record of them."""


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


# ---------------------------------------------------------------------------------------------
# One function's tree


class _Tree:
    """Parents of every node below a function, and the names it reads and binds."""

    def __init__(self, source: AstSource, is_handler: bool, extra_display: frozenset[str]) -> None:
        self.source = source
        self.is_handler = is_handler
        self.extra_display = extra_display
        self.parents: dict[ast.AST, ast.AST] = {}
        self.order: list[ast.AST] = []
        self.names: list[ast.Name] = []
        self.calls: list[ast.Call] = []
        self.bindings: list[tuple[list[str], ast.AST]] = []
        self._loads: dict[int, set[str]] = {}
        self._load_names: list[ast.Name] | None = None
        self._shown: dict[int, str] = {}

    def add(self, root: ast.AST) -> None:
        """Every node of `root`, in the written order, parents before children."""
        self._load_names = None
        pending: list[ast.AST] = [root]
        while pending:
            node = pending.pop()
            self.order.append(node)
            if isinstance(node, ast.Name):
                self.names.append(node)
            elif isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self.bindings.append((list(_bound(target)), node.value))
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
                self.bindings.append((list(_bound(node.target)), node.value))
            children = [c for c in children_in_source_order(node) if type(c) not in _MARKERS]
            for child in children:
                self.parents[child] = node
            pending.extend(reversed(children))

    def value_loads(self, index: int) -> set[str]:
        """The names the value of binding `index` reads, computed once per function."""
        if index not in self._loads:
            self._loads[index] = self._loads_in(self.bindings[index][1])
        return self._loads[index]

    def _loads_in(self, node: ast.AST) -> set[str]:
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and self.is_load(n)}

    def is_load(self, name: ast.Name) -> bool:
        """A read of a variable; a bare annotation is not one (libcst's `Annotation`)."""
        if isinstance(name.ctx, ast.Store):
            return False
        parent = self.parents.get(name)
        if isinstance(parent, ast.arguments):
            return False  # a default of a nested function: libcst's `Param` holds it
        if isinstance(parent, ast.arg) and parent.annotation is name:
            return False
        if isinstance(parent, ast.AnnAssign) and parent.annotation is name:
            return False
        return not (isinstance(parent, _FUNCTIONS) and parent.returns is name)

    # -- the FlowTree protocol of python_flow ----------------------------------------------

    def loads(self) -> list[ast.Name]:
        """The reads of variables, in the written order: found once per function, as every
        parameter's and path read's flow filters them again."""
        if self._load_names is None:
            self._load_names = [name for name in self.names if self.is_load(name)]
        return self._load_names

    def name(self, node: ast.AST) -> str:
        return node.id if isinstance(node, ast.Name) else ""

    def ancestors(self, node: ast.AST) -> set[ast.AST]:
        found: set[ast.AST] = set()
        current = self.parents.get(node)
        while current is not None:
            found.add(current)
            current = self.parents.get(current)
        return found

    def span(self, node: ast.AST) -> Span:
        line, column, end_line, end_column = self.source.position(node)
        return Span(line=line, column=column, end_line=end_line, end_column=end_column)

    def _enclosing(self, node: ast.AST) -> Iterator[ast.AST]:
        """The nodes above `node` up to its statement (a lambda or comprehension included)."""
        current = self.parents.get(node)
        while current is not None and not isinstance(current, ast.stmt):
            yield current
            current = self.parents.get(current)

    def _joins(self, call: ast.Call) -> bool:
        name, last = self.callee(call)
        if last == "gather" or is_display(name, last, self.extra_display):
            return False
        return name not in _TRANSFORM_NAMES and last not in _TRANSFORM_NAMES

    def meets(self, node: ast.AST) -> Iterator[str]:
        for above in self._enclosing(node):
            joins = isinstance(above, ast.Call) and self._joins(above)
            equality = isinstance(above, ast.Compare) and any(
                isinstance(op, (ast.Eq, ast.NotEq)) for op in above.ops
            )
            if joins or equality:
                yield self._key(above)

    def use_of(self, node: ast.AST) -> tuple[str, Span] | None:
        for above in self._enclosing(node):
            if isinstance(above, ast.Call) and above.func is not node and self._joins(above):
                return self._shown_text(above), self.span(above)
        return None

    def _shown_text(self, call: ast.Call) -> str:
        """`_shown` once per call: the reads of several names often meet in the same call, and
        a call written over lines is rendered again by `ast.unparse`."""
        text = self._shown.get(id(call))
        if text is None:
            text = self._shown[id(call)] = _shown(self.source, call)
        return text

    def _key(self, node: ast.AST) -> str:
        return f"{getattr(node, 'lineno', 0)}:{getattr(node, 'col_offset', 0)}"

    # -- deciding one read -----------------------------------------------------------------

    def callee(self, call: ast.Call) -> tuple[str | None, str | None]:
        name = ast_dotted(call.func)
        if name is not None:
            return name, name.rsplit(".", 1)[-1]
        if isinstance(call.func, ast.Attribute):
            return None, call.func.attr
        return None, None

    def kept(self, node: ast.AST) -> bool:
        """Whether a call's result is assigned or returned (a checker that returns the record)."""
        parent = self.parents.get(node)
        while isinstance(parent, ast.Await):
            node, parent = parent, self.parents.get(parent)
        return isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.Return))

    def call(self, call: ast.Call) -> Decision | None:
        """The decision a call makes about an argument; None when it only transforms it."""
        name, last = self.callee(call)
        return call_decision(name, last, self.kept(call), self.extra_display)

    def comparison(self, comparison: ast.Compare, child: ast.AST) -> Decision:
        if any(isinstance(op, (ast.In, ast.NotIn)) for op in comparison.ops):
            return Decision("permission", "in")
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in comparison.ops):
            return Decision("checked")
        # libcst's reader compares a read on the left with the other operands, and a read on
        # the right (inside its comparison target) with every operand, itself included
        others = (
            comparison.comparators
            if child is comparison.left
            else [comparison.left, *comparison.comparators]
        )
        if all(_is_literal(op) for op in others):
            return Decision("checked")
        return Decision("use")

    def decide(self, node: ast.AST) -> Decision:
        """Climb from one read of the value to the first node that decides what it is for."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Call):
                if parent.func is child:
                    child, parent = parent, self.parents.get(parent)
                    continue
                decision = self.call(parent)
                if decision is not None:
                    return decision
            elif isinstance(parent, ast.Subscript):
                if parent.value is not child:
                    return Decision("use")  # a key into a mapping: `orders[order_id]`
            elif isinstance(parent, ast.Compare):
                return self.comparison(parent, child)
            elif isinstance(parent, (ast.If, ast.While, ast.Assert)):
                return Decision("checked")
            elif isinstance(parent, ast.comprehension):
                if child in parent.ifs:
                    return Decision("checked")
            elif isinstance(parent, ast.IfExp):
                if parent.test is child:
                    return Decision("checked")
            elif isinstance(parent, ast.UnaryOp):
                if isinstance(parent.op, ast.Not):
                    return Decision("checked")
            elif isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
                return Decision("display", "return") if self.is_handler else Decision("use")
            elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets):
                    return Decision("use")
                return Decision(None)  # followed by the derived-name taint instead
            elif isinstance(parent, ast.stmt):
                return Decision(None)
            child, parent = parent, self.parents.get(parent)
        return Decision(None)


def _bound(target: ast.AST) -> Iterator[str]:
    """Names an assignment target binds (`a`, `a, b`); attributes and items bind none."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _bound(element)
    elif isinstance(target, ast.Starred):
        yield from _bound(target.value)


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        value = node.value
        return value is None or isinstance(value, (str, bytes, int, float))
    if isinstance(node, ast.UnaryOp):
        return _is_literal(node.operand)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_literal(e.value if isinstance(e, ast.Starred) else e) for e in node.elts)
    return False


# ---------------------------------------------------------------------------------------------
# Seeds


def _is_path_mapping(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in PATH_MAPPINGS


def _path_read(node: ast.AST) -> str | None:
    """The name read by `request.path_params["x"]` or `request.path_params.get("x")`."""
    if isinstance(node, ast.Subscript) and _is_path_mapping(node.value):
        index = node.slice
        if isinstance(index, (ast.Tuple, ast.Slice)):
            return None
        return _string(index)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and _is_path_mapping(node.func.value)
    ):
        arguments = call_arguments(node)
        return _string(arguments[0][2]) if arguments else None
    return None


# ---------------------------------------------------------------------------------------------
# Per-function facts


def _parameters(function: _Function, in_class: bool) -> list[ast.arg]:
    arguments = function.args
    params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    if in_class and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    return params


def _defaults(function: _Function) -> dict[str, ast.expr]:
    """Each parameter's default, by name."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    found: dict[str, ast.expr] = {}
    for parameter, default in zip(
        positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=True
    ):
        found[parameter.arg] = default
    for parameter, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if kw_default is not None:
            found[parameter.arg] = kw_default
    return found


def _depends_target(parameter: ast.arg, default: ast.expr | None) -> str | None:
    """The callee of a `Depends(f)`/`Security(f)` default or `Annotated[T, Depends(f)]`."""
    candidates: list[ast.expr] = []
    if default is not None:
        candidates.append(default)
    annotation = parameter.annotation
    if isinstance(annotation, ast.Subscript):
        index = annotation.slice
        elements = index.elts if isinstance(index, ast.Tuple) else [index]
        candidates.extend(e for e in elements if not isinstance(e, ast.Slice))
    for candidate in candidates:
        if not isinstance(candidate, ast.Call):
            continue
        if (ast_dotted(candidate.func) or "").rsplit(".", 1)[-1] not in ("Depends", "Security"):
            continue
        arguments = call_arguments(candidate)
        if arguments:
            target = arguments[0][2]
            return ast_dotted(target) or ast_dotted(
                target.func if isinstance(target, ast.Call) else None
            )
        if annotation is not None:
            return ast_dotted(annotation)
    return None


def _is_trivial(function: _Function, extra: frozenset[str]) -> bool:
    """A stub, which loads nothing: only a docstring, `pass`, `...`, a `raise`, imports, log
    lines and a literal `return`, or the return of a page shell (see `python_flow_cst`)."""
    for statement in function.body:
        if isinstance(statement, (ast.Pass, ast.Raise, ast.Import, ast.ImportFrom)):
            continue
        if isinstance(statement, ast.Return) and (
            statement.value is None
            or isinstance(statement.value, ast.Constant)
            or _renders_a_shell(statement.value)
        ):
            continue
        if isinstance(statement, ast.Expr):
            value = statement.value
            if isinstance(value, ast.Constant) and (
                value.value is Ellipsis or isinstance(value.value, (str, bytes))
            ):
                continue
            if isinstance(value, ast.Call) and _only_displays(value, extra):
                continue
        return False
    return True


def _renders_a_shell(value: ast.expr) -> bool:
    """`templates.TemplateResponse(request, name="share.html")`: see `SHELL_RENDERERS`."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if last not in SHELL_RENDERERS:
        return False
    return all(_inert(argument) for argument in [*value.args, *(k.value for k in value.keywords)])


def _inert(node: ast.expr) -> bool:
    """A literal, the request, or a dict of those under literal keys: nothing of the URL."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand  # -1
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in REQUEST_NAMES
    if isinstance(node, ast.Dict):
        return all(isinstance(key, ast.Constant) for key in node.keys) and all(
            _inert(item) for item in node.values
        )
    return False


def _only_displays(call: ast.Call, extra: frozenset[str]) -> bool:
    """`logger.warning(f"... {agent_id}")`: a display call with no other call inside."""
    for node in ast.walk(call):
        if not isinstance(node, ast.Call):
            continue
        name = ast_dotted(node.func)
        last = name.rsplit(".", 1)[-1] if name is not None else None
        if name is None and isinstance(node.func, ast.Attribute):
            last = node.func.attr
        if not is_display(name, last, extra):
            return False
    return True


def _argument_text(source: AstSource, keyword: str | None, star: str, value: ast.expr) -> str:
    text = source.text(value)
    if keyword is not None:
        return f"{keyword}={text}"
    return f"{star}{text}"


def _lookup_texts(tree: _Tree) -> list[str]:
    """Calls that look like fetching data, filters (`.where(...)`) before other lookups."""
    filters: list[str] = []
    others: list[str] = []
    ends = {id(call): tree.source.position(call.func)[2:] for call in tree.calls}
    for call in sorted(tree.calls, key=lambda c: ends[id(c)]):
        if isinstance(call.func, ast.Attribute):
            last = call.func.attr
        elif isinstance(call.func, ast.Name):
            last = call.func.id
        else:
            continue
        arguments = call_arguments(call)
        first_is_string = bool(arguments) and _string(arguments[0][2]) is not None
        texts = [_argument_text(tree.source, *argument) for argument in arguments]
        found = lookup_text(ast_dotted(call.func), last, texts, first_is_string)
        if found is not None:
            (filters if found[1] else others).append(found[0])
    return filters + others


def _references_request(tree: _Tree, names: set[str]) -> bool:
    """Whether the request object is handed to a call (`handle(request)`), which may read it."""
    for node in tree.names:
        if node.id not in names or not tree.is_load(node):
            continue
        parent = tree.parents.get(node)
        if isinstance(parent, (ast.keyword, ast.Starred)):
            parent = tree.parents.get(parent)
        elif isinstance(parent, ast.Call) and parent.func is node:
            continue
        if isinstance(parent, ast.Call):
            decision = tree.call(parent)
            if decision is None or decision.verdict == "use":
                return True
    return False


def function_flow(
    function: _Function,
    qualified: str,
    source: AstSource,
    *,
    in_class: bool,
    is_handler: bool,
    extra_display: frozenset[str],
    reads_path_params: bool = True,
) -> FunctionFlow:
    """What every parameter (and every `path_params` read) of one function reaches."""
    tree = _Tree(source, is_handler, extra_display)
    for statement in function.body:
        tree.add(statement)
    params = _parameters(function, in_class)
    defaults = _defaults(function)
    for param in params:
        if param.arg in defaults:
            tree.add(defaults[param.arg])
    flows: list[NameFlow] = []
    spans: dict[str, Span] = {}
    depends: dict[str, str] = {}
    request_names: set[str] = set()
    aliases: dict[str, str] = {}
    for param in params:
        name = param.arg
        line, column, _, _ = source.position(param)
        spans[name] = Span(line=line, column=column, end_line=line, end_column=column + len(name))
        flows.append(flow_of(tree, name, {name}, []))
        target = _depends_target(param, defaults.get(name))
        if target is not None:
            depends[name] = target
        annotation = source.text(param.annotation) if param.annotation is not None else ""
        if name in REQUEST_NAMES or annotation.endswith("Request"):
            request_names.add(name)
        default = defaults.get(name)
        alias = path_alias(source.text(default) if default is not None else "", annotation)
        if alias is not None and alias != name:
            aliases[alias] = name
    seeds: dict[str, list[ast.AST]] = {}
    whole = False
    for node in tree.order if reads_path_params else []:
        if node not in tree.parents:
            continue  # a root: libcst's reader only looks at nodes with a parent
        read = _path_read(node)
        if read is not None:
            seeds.setdefault(read, []).append(node)
        elif _is_path_mapping(node):
            parent = tree.parents.get(node)
            if parent is None or (
                _path_read(parent) is None
                and not (
                    isinstance(parent, ast.Attribute)
                    and isinstance(tree.parents.get(parent), ast.Call)
                )
            ):
                whole = True
    path_reads = [flow_of(tree, name, set(), nodes) for name, nodes in seeds.items()]
    writes = _writes(tree, {**seeds, **{p.arg: [] for p in params}}) if is_handler else []
    bodies = [p.arg for p in params if _is_body(p, defaults.get(p.arg), source)]
    line, column, _, _ = source.position(function)
    return FunctionFlow(
        name=qualified,
        line=line,
        column=column,
        is_handler=is_handler,
        params=flows,
        param_spans=spans,
        path_reads=path_reads,
        whole_path_params=whole,
        var_keyword=function.args.kwarg is not None,
        hands_on_request=_references_request(tree, request_names),
        trivial=_is_trivial(function, extra_display),
        lookups=_lookup_texts(tree) if is_handler else [],
        path_aliases=aliases,
        depends=depends,
        writes=writes,
        bodies=bodies if is_handler else [],
        returns_function=(
            f"{qualified}.<locals>.{returned.name}"
            if (returned := _returned_function(function)) is not None
            else None
        ),
    )


# ---------------------------------------------------------------------------------------------
# Writes (issue 11, item 2: the URL id authorises, another id writes)


def _shown(source: AstSource, node: ast.AST) -> str:
    """A node's text for a message: as written when on one line, else re-rendered, so the
    comments inside a call spread over lines stay out of it."""
    text = source.segment(node)
    return _clip(text if "\n" not in text else ast.unparse(node))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _is_body(parameter: ast.arg, default: ast.expr | None, source: AstSource) -> bool:
    """A FastAPI request body: a parameter typed with a model (`payload: OrderUpdate`) or given
    `Body(...)`/`Form(...)`; not a path/query primitive, a request, a session or a dependency."""
    if isinstance(default, ast.Call):
        called = (ast_dotted(default.func) or "").rsplit(".", 1)[-1]
        if called in ("Body", "Form"):
            return True
        if called in ("Depends", "Security", "Query", "Path", "Header", "Cookie", "File"):
            return False
    annotation = parameter.annotation
    if annotation is None or parameter.arg in REQUEST_NAMES:
        return False
    text = source.text(annotation)
    if "Depends(" in text or "Security(" in text:
        return False
    names = re.findall(r"[A-Za-z_][\w.]*", text)
    return any(
        name.rsplit(".", 1)[-1][:1].isupper() and not _NOT_BODIES.match(name.rsplit(".", 1)[-1])
        for name in names
    )


def _chain(tree: _Tree, call: ast.Call) -> list[ast.Call]:
    """The calls of a method chain `call` belongs to, outermost first
    (`Model.query.filter_by(id=x).update(...)`: the update, then the filter)."""
    top: ast.AST = call
    while True:
        parent = tree.parents.get(top)
        holder = tree.parents.get(parent) if isinstance(parent, ast.Attribute) else None
        if isinstance(holder, ast.Call) and holder.func is parent:
            top = holder
            continue
        break
    chain: list[ast.Call] = []
    current: ast.AST | None = top
    while isinstance(current, ast.Call):
        chain.append(current)
        function = current.func
        current = function.value if isinstance(function, ast.Attribute) else None
    return chain


def _write_target(tree: _Tree, call: ast.Call, tainted: set[str]) -> bool:
    """A call that changes a stored record: a write verb on a store (a repository, a session,
    a query, an ORM manager), a bare function named so (`delete_connection(...)`), or a
    record the handler loaded (`order.delete()`); `data.update(payload)` on a dict is none."""
    _, last = tree.callee(call)
    if last is None or not _WRITE.match(last):
        return False
    function = call.func
    if isinstance(function, ast.Name):
        return True
    receiver = function.value if isinstance(function, ast.Attribute) else None
    root = receiver
    while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, ast.Name) and root.id in tainted:
        return True
    receiver_text = tree.source.segment(receiver) if receiver is not None else ""
    return bool(_STORES.search(receiver_text)) or ".filter" in receiver_text


def _key_parts(tree: _Tree, call: ast.Call, chain: Sequence[ast.Call]) -> list[ast.AST]:
    parts: list[ast.AST] = []
    for link in chain:
        if link is call:
            continue
        _, last = tree.callee(link)
        if last in _FILTER_CALLS:
            parts.extend(value for _, _, value in call_arguments(link))
    for keyword, _star, value in call_arguments(call):
        if keyword is not None and _KEY_WORDS.match(keyword):
            parts.append(value)
    if parts:
        return parts
    positional = [
        value for keyword, star, value in call_arguments(call) if keyword is None and not star
    ]
    while positional and isinstance(positional[0], ast.Name) and positional[0].id in _SESSIONS:
        positional = positional[1:]
    if positional:
        return [positional[0]]
    function = call.func
    return [function.value] if isinstance(function, ast.Attribute) else []


def _inside(node: ast.AST, parts: Sequence[ast.AST], tree: _Tree) -> bool:
    above = tree.ancestors(node) | {node}
    return any(part in above for part in parts)


def _spreads(
    tree: _Tree, scope: Sequence[ast.AST], reads: dict[str, list[ast.AST]]
) -> list[tuple[str, str]]:
    """(earlier, later) parameters a dict spreads in that order (`{**order.dict(), **payload}`)."""
    found: list[tuple[str, str]] = []
    for part in scope:
        for node in ast.walk(part):
            if not isinstance(node, ast.Dict):
                continue
            spreads = [v for k, v in zip(node.keys, node.values, strict=True) if k is None]
            owners = [
                [name for name, rs in reads.items() if any(_inside(r, [spread], tree) for r in rs)]
                for spread in spreads
            ]
            for index, earlier in enumerate(owners):
                for later in owners[index + 1 :]:
                    found.extend((a, b) for a in earlier for b in later if (a, b) not in found)
    return found


def _writes(tree: _Tree, named: dict[str, list[ast.AST]]) -> list[WriteFlow]:
    """Every write of a handler and which values reach it, its key and its spreads."""
    forms = [
        node
        for node in tree.order
        if isinstance(node, (ast.Attribute, ast.Call))
        and _FLASK_BODY.match(tree.source.segment(node))
    ]
    reads = {name: tainted_reads(tree, {name}, seed) for name, seed in named.items()}
    form_reads = tainted_reads(tree, set(), forms) if forms else []
    found: list[WriteFlow] = []
    seen: set[int] = set()
    for call in tree.calls:
        if not _write_target(tree, call, set(named)):
            continue
        chain = _chain(tree, call)
        if id(chain[0]) in seen:
            continue
        seen.add(id(chain[0]))
        parts = _key_parts(tree, call, chain)
        keyed = {
            name: [r for r in name_reads if _inside(r, parts, tree)]
            for name, name_reads in reads.items()
        }
        line, column, end_line, end_column = tree.source.position(call)
        found.append(
            WriteFlow(
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                text=_shown(tree.source, chain[0]),
                key=_clip(" ".join(_shown(tree.source, part) for part in parts)),
                reached_by=[
                    name
                    for name, name_reads in reads.items()
                    if any(_inside(r, [chain[0]], tree) for r in name_reads)
                ],
                key_by=[name for name, name_keyed in keyed.items() if name_keyed],
                form_keyed=any(_inside(r, parts, tree) for r in form_reads),
                spreads=_spreads(tree, parts, reads),
                key_meets={
                    name: sorted(_key_meets(tree, name_keyed, name))
                    for name, name_keyed in keyed.items()
                    if name_keyed
                },
            )
        )
    return found


def _key_meets(tree: _Tree, keyed: Sequence[ast.AST], root: str) -> set[str]:
    """Where one value's part of a key meets other values: its own derived names (`client_id`),
    or the member it reads (`payload.item_id`), followed wherever the same member is read. A
    body written whole (`update_many(data)`) meets them through its elements, when a loop
    checks each (`for setting in data: if setting.list_id != list_id: raise ...`)."""
    names: set[str] = set()
    texts: set[str] = set()
    for read in keyed:
        if isinstance(read, ast.Name) and read.id != root:
            names.add(read.id)
            continue
        parent = tree.parents.get(read)
        if isinstance(read, ast.Name) and not isinstance(parent, ast.Attribute):
            names.update(_element_names(tree, root))
        texts.add(tree.source.segment(parent if isinstance(parent, ast.Attribute) else read))
    seeds = [
        node
        for node in tree.order
        if isinstance(node, (ast.Attribute, ast.Subscript)) and tree.source.segment(node) in texts
    ]
    meets: set[str] = set()
    for read in tainted_reads(tree, names, seeds):
        meets.update(tree.meets(read))
    return meets


def _element_names(tree: _Tree, root: str) -> Iterator[str]:
    """The names a loop (or a comprehension) over `root` binds to each of its elements."""
    for node in tree.order:
        if (
            isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension))
            and isinstance(node.iter, ast.Name)
            and node.iter.id == root
        ):
            yield from (n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))


def _functions(
    body: Sequence[ast.stmt], owner: str | None = None, outer: str | None = None
) -> Iterator[tuple[_Function, str, bool]]:
    """Every function, nested ones included (Flask app factories define views inside); see
    `python_flow_cst._functions` for which blocks are searched and how they are named."""
    for statement in body:
        if isinstance(statement, _FUNCTIONS):
            if outer is not None:
                qualified = f"{outer}.<locals>.{statement.name}"
            else:
                qualified = f"{owner}.{statement.name}" if owner else statement.name
            yield statement, qualified, owner is not None and outer is None
            yield from _functions(statement.body, outer=qualified)
        elif isinstance(statement, ast.ClassDef):
            yield from _functions(statement.body, statement.name)
        elif isinstance(statement, (ast.If, ast.Try, ast.With, ast.AsyncWith)):
            yield from _functions(statement.body, outer=outer)


def _returned_function(function: _Function) -> _Function | None:
    """The function a factory defines in its body and returns (`return dependency`)."""
    defined = {s.name: s for s in function.body if isinstance(s, _FUNCTIONS)}
    for statement in function.body:
        if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Name):
            found = defined.get(statement.value.id)
            if found is not None:
                return found
    return None


def _body_text(function: _Function, source: AstSource) -> str:
    """The text of a function's body, the comment lines just above its first statement included
    (libcst's suite holds them)."""
    first = function.body[0]
    line = first.lineno
    while line - 1 > function.lineno:
        above = source.lines[line - 2].strip()
        if above and not above.startswith("#"):
            break
        line -= 1
    end = function.end_lineno or first.lineno
    return "".join(source.lines[line - 1 : end])


def _may_receive(
    function: _Function,
    source: AstSource,
    in_class: bool,
    wanted: re.Pattern[str] | None,
    reads_path_params: bool,
) -> bool:
    params = _parameters(function, in_class)
    if wanted is not None and any(wanted.search(p.arg) for p in params):
        return True
    defaults = _defaults(function)
    if any(_depends_target(p, defaults.get(p.arg)) is not None for p in params):
        return True  # a dependency of dependencies: `order: Order = Depends(valid_order_id)`
    returned = _returned_function(function)
    if returned is not None and _may_receive(returned, source, False, wanted, reads_path_params):
        return True  # a dependency factory: FastAPI calls what it returns
    if not reads_path_params:
        return False
    text = _body_text(function, source)
    return any(name in text for name in PATH_MAPPINGS)


def python_flows(
    text: Parsed,
    handlers: set[tuple[int, int]],
    wanted: re.Pattern[str] | None,
    extra_display: frozenset[str],
    *,
    reads_path_params: bool,
) -> list[FunctionFlow]:
    """Flows of the route handlers at `handlers` (def positions) and of possible dependencies
    (see `python_flow_cst.function_flows`); raises SyntaxError when `ast` cannot parse `text`."""
    tree, source = parsed(text)
    found: list[FunctionFlow] = []
    for function, qualified, in_class in _functions(tree.body):
        line, column, _, _ = source.position(function)
        is_handler = (line, column) in handlers
        if not is_handler and not _may_receive(
            function, source, in_class, wanted, reads_path_params
        ):
            continue
        found.append(
            function_flow(
                function,
                qualified,
                source,
                in_class=in_class,
                is_handler=is_handler,
                extra_display=extra_display,
                reads_path_params=reads_path_params,
            )
        )
    return found
