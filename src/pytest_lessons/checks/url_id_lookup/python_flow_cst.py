"""The flows of `python_flow` read with libcst: the fallback for syntax `ast` rejects.

`python_flow_ast` reads almost every module; this reader exists for the rest (a module using
syntax newer than the running interpreter, which libcst parses for every version) and as the
reference the differential test holds `python_flow_ast` to. The records, the vocabulary and the
fixed point are `python_flow`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.metadata import CodeRange, PositionProvider

from pytest_lessons.checks.url_id_lookup.python_flow import (
    PATH_MAPPINGS,
    REQUEST_NAMES,
    SHELL_RENDERERS,
    Decision,
    FunctionFlow,
    NameFlow,
    Span,
    call_decision,
    flow_of,
    is_display,
    lookup_text,
    path_alias,
)
from pytest_lessons.lang.python.routes.ast_syntax import last_part
from pytest_lessons.lang.python.syntax import dotted_name, node_text, string_value

__all__ = ["function_flows"]


# ---------------------------------------------------------------------------------------------
# One function's tree: parents, load references, bindings


class _Tree(cst.CSTVisitor):
    """Parents of every node below a function, and the names it reads and binds."""

    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange]) -> None:
        self.positions = positions
        self.walk: _Walk
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.stack: list[cst.CSTNode] = []
        self.names: list[cst.Name] = []
        self.calls: list[cst.Call] = []
        self.bindings: list[tuple[list[str], cst.CSTNode]] = []
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

    # -- the FlowTree protocol of python_flow ----------------------------------------------

    def loads(self) -> Iterator[cst.CSTNode]:
        return (name for name in self.names if _is_load(name, self.parents))

    def name(self, node: cst.CSTNode) -> str:
        return node.value if isinstance(node, cst.Name) else ""

    def ancestors(self, node: cst.CSTNode) -> set[cst.CSTNode]:
        return _ancestors(node, self)

    def span(self, node: cst.CSTNode) -> Span:
        return _span(self.positions[node])

    def decide(self, node: cst.CSTNode) -> Decision:
        return self.walk.decide(node)

    def meets(self, node: cst.CSTNode) -> tuple[str, ...]:
        return ()  # joins are read by the ast reader only (see `NameFlow.meets`)

    def use_of(self, node: cst.CSTNode) -> tuple[str, Span] | None:
        return None


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

    def kept(self, node: cst.CSTNode) -> bool:
        """Whether a call's result is assigned or returned (a checker that returns the record)."""
        parent = self.tree.parents.get(node)
        while isinstance(parent, cst.Await):
            node, parent = parent, self.tree.parents.get(parent)
        return isinstance(parent, (cst.Assign, cst.AnnAssign, cst.NamedExpr, cst.Return))

    def call(self, call: cst.Call) -> Decision | None:
        """The decision a call makes about an argument; None when it only transforms it."""
        name, last = self.callee(call)
        return call_decision(name, last, self.kept(call), self.extra_display)

    def comparison(self, comparison: cst.Comparison, child: cst.CSTNode) -> Decision:
        operators = [target.operator for target in comparison.comparisons]
        if any(isinstance(op, (cst.In, cst.NotIn)) for op in operators):
            return Decision("permission", "in")
        if any(isinstance(op, (cst.Is, cst.IsNot)) for op in operators):
            return Decision("checked")
        operands = [comparison.left, *(target.comparator for target in comparison.comparisons)]
        others = [op for op in operands if op is not child and not _contains(op, child)]
        if all(_is_literal(op) for op in others):
            return Decision("checked")
        return Decision("use")

    def decide(self, node: cst.CSTNode) -> Decision:
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
                    return Decision(None)
            elif isinstance(parent, cst.Subscript):
                if parent.value is not child:
                    return Decision("use")  # a key into a mapping: `orders[order_id]`
            elif isinstance(parent, cst.Comparison):
                return self.comparison(parent, child)
            elif isinstance(parent, cst.ComparisonTarget):
                pass
            elif isinstance(parent, (cst.If, cst.While, cst.Assert, cst.CompIf)):
                return Decision("checked")
            elif isinstance(parent, cst.IfExp):
                if parent.test is child:
                    return Decision("checked")
            elif isinstance(parent, cst.UnaryOperation):
                if isinstance(parent.operator, cst.Not):
                    return Decision("checked")
            elif isinstance(parent, (cst.Return, cst.Yield)):
                return Decision("display", "return") if self.is_handler else Decision("use")
            elif isinstance(parent, (cst.Assign, cst.AnnAssign)):
                targets = (
                    [t.target for t in parent.targets]
                    if isinstance(parent, cst.Assign)
                    else [parent.target]
                )
                if any(isinstance(t, (cst.Attribute, cst.Subscript)) for t in targets):
                    return Decision("use")
                return Decision(None)  # followed by the derived-name taint instead
            elif isinstance(parent, _STATEMENTS):
                return Decision(None)
            child, parent = parent, parents.get(parent)
        return Decision(None)


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
    return isinstance(node, cst.Attribute) and node.attr.value in PATH_MAPPINGS


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


def _is_trivial(function: cst.FunctionDef, extra: frozenset[str]) -> bool:
    """A stub, which loads nothing: only a docstring, `pass`, `...`, a `raise`, imports, log
    lines and a literal `return`.

    A handler whose whole body raises (`raise NotImplementedError`, a TODO that answers
    `HTTPException(501)` or a 404 naming the id) fetches nothing, so it cannot fetch the wrong
    thing: an id it only puts in the error message is a placeholder, not a lookup gone astray.
    The same holds for a retired endpoint that logs the call and answers 410 Gone (letta's
    `voice-beta`), for one that returns a literal, and for a page shell: a view that returns a
    template or file with nothing but literals and the request (`SHELL_RENDERERS`; khoj's
    shared-conversation page, whose script reads the slug).
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
            if isinstance(small, (cst.Pass, cst.Raise, cst.Import, cst.ImportFrom)):
                continue
            if isinstance(small, cst.Return) and (
                small.value is None or _is_constant(small.value) or _renders_a_shell(small.value)
            ):
                continue
            if isinstance(small, cst.Expr) and isinstance(
                small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString)
            ):
                continue
            call = small.value if isinstance(small, cst.Expr) else None
            if isinstance(call, cst.Call) and _only_displays(call, extra):
                continue
            return False
    return True


def _renders_a_shell(value: cst.BaseExpression) -> bool:
    """`templates.TemplateResponse(request, name="share.html")`: see `SHELL_RENDERERS`."""
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    if isinstance(func, cst.Attribute):
        last: str | None = func.attr.value
    else:
        last = func.value if isinstance(func, cst.Name) else None
    if last not in SHELL_RENDERERS:
        return False
    return all(not argument.star and _inert(argument.value) for argument in value.args)


def _inert(node: cst.BaseExpression) -> bool:
    """A literal, the request, or a dict of those under literal keys: nothing of the URL."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        node = node.expression  # -1
    if isinstance(node, cst.Name) and node.value not in ("None", "True", "False"):
        return node.value in REQUEST_NAMES
    if _is_constant(node):
        return True
    if isinstance(node, cst.Dict):
        return all(
            isinstance(element, cst.DictElement)
            and _is_constant(element.key)
            and _inert(element.value)
            for element in node.elements
        )
    return False


def _is_constant(node: cst.BaseExpression) -> bool:
    """What `ast` reads as one `Constant`: a number, a string, `None`, `True`, `False`, `...`."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
        return True
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return True
    return isinstance(node, cst.Name) and node.value in ("None", "True", "False")


def _only_displays(call: cst.Call, extra: frozenset[str]) -> bool:
    """`logger.warning(f"... {agent_id}")`: a display call with no other call inside."""
    for node in m.findall(call, m.Call()):
        assert isinstance(node, cst.Call)
        name = dotted_name(node.func)
        last = last_part(name) if name is not None else None
        if name is None and isinstance(node.func, cst.Attribute):
            last = node.func.attr.value
        if not is_display(name, last, extra):
            return False
    return True


def _lookup_texts(tree: _Tree, positions: Mapping[cst.CSTNode, CodeRange]) -> list[str]:
    """Calls that look like fetching data, filters (`.where(...)`) before other lookups."""
    filters: list[str] = []
    others: list[str] = []
    ordered = sorted(
        tree.calls,
        key=lambda c: (positions[c.func].end.line, positions[c.func].end.column),
    )
    for call in ordered:
        if isinstance(call.func, cst.Attribute):
            last = call.func.attr.value
        elif isinstance(call.func, cst.Name):
            last = call.func.value
        else:
            continue
        first_is_string = bool(call.args) and string_value(call.args[0].value) is not None
        found = lookup_text(
            dotted_name(call.func), last, [_argument_text(a) for a in call.args], first_is_string
        )
        if found is not None:
            (filters if found[1] else others).append(found[0])
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
    positions: Mapping[cst.CSTNode, CodeRange],
    extra_display: frozenset[str],
    reads_path_params: bool = True,
) -> FunctionFlow:
    """What every parameter (and every `path_params` read) of one function reaches."""
    tree = _Tree(positions)
    function.body.visit(tree)
    for param in _parameters(function, in_class):
        if param.default is not None:
            param.default.visit(tree)
    walk = tree.walk = _Walk(tree, is_handler, extra_display)
    params = _parameters(function, in_class)
    flows: list[NameFlow] = []
    spans: dict[str, Span] = {}
    depends: dict[str, str] = {}
    request_names: set[str] = set()
    aliases: dict[str, str] = {}
    for param in params:
        name = param.name.value
        spans[name] = _span(positions[param])
        flows.append(flow_of(tree, name, {name}, []))
        target = _depends_target(param)
        if target is not None:
            depends[name] = target
        annotation = node_text(param.annotation.annotation) if param.annotation else ""
        if name in REQUEST_NAMES or annotation.endswith("Request"):
            request_names.add(name)
        default = node_text(param.default) if param.default is not None else ""
        alias = path_alias(default, annotation)
        if alias is not None and alias != name:
            aliases[alias] = name
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
    path_reads = [flow_of(tree, name, set(), nodes) for name, nodes in seeds.items()]
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
        trivial=_is_trivial(function, extra_display),
        lookups=_lookup_texts(tree, positions) if is_handler else [],
        depends=depends,
        path_aliases=aliases,
        returns_function=(
            f"{qualified}.<locals>.{returned.name.value}"
            if (returned := _returned_function(function)) is not None
            else None
        ),
    )


def _functions(
    body: Sequence[cst.CSTNode], owner: str | None = None, outer: str | None = None
) -> Iterator[tuple[cst.FunctionDef, str, bool]]:
    """Every function, nested ones included (Flask app factories define views inside).

    Yields (node, qualified name, is a method): `Class.method` for methods, `outer.<locals>.f`
    for a function defined in another (a dependency factory's), the bare name otherwise; only
    top-level names can be the target of a `Depends(...)` in another module.
    """
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            if outer is not None:
                qualified = f"{outer}.<locals>.{name}"
            else:
                qualified = f"{owner}.{name}" if owner else name
            yield statement, qualified, owner is not None and outer is None
            yield from _functions(_statements(statement.body), outer=qualified)
        elif isinstance(statement, cst.ClassDef):
            yield from _functions(_statements(statement.body), statement.name.value)
        elif isinstance(statement, (cst.If, cst.Try, cst.With)):
            yield from _functions(_statements(statement.body), outer=outer)


def _returned_function(function: cst.FunctionDef) -> cst.FunctionDef | None:
    """The function a factory defines in its body and returns (`return dependency`)."""
    statements = _statements(function.body)
    defined = {s.name.value: s for s in statements if isinstance(s, cst.FunctionDef)}
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Return) and isinstance(small.value, cst.Name):
                found = defined.get(small.value.value)
                if found is not None:
                    return found
    return None


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
    returned = _returned_function(function)
    if returned is not None and _may_receive(returned, False, wanted, reads_path_params):
        return True  # a dependency factory: FastAPI calls what it returns
    if not reads_path_params:
        return False
    text = node_text(function.body)
    return any(name in text for name in PATH_MAPPINGS)
