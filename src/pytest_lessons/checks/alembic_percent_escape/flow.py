"""Which values reach each alembic `Config` setter call: pass 1 of the `%`-safety analysis.

`find_option_calls` walks every scope of one libcst module in statement order and records, for
each variable, the assignments that can reach each point (branches merge, a `return`/`raise` ends a
branch), so `url = os.environ["X"]; url = url.strip()` is read as the environment value it is. It
also records the cases a `parametrize` decorator binds to a test's parameters, and every call of a
private (`_name`) function, whose parameters `safety` judges by what the callers pass.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeAlias

import libcst as cst

from pytest_lessons.lang.python.syntax import arguments_by_parameter, dotted_name, literal_value

OPTION_METHODS: Mapping[str, tuple[str, ...]] = {
    "set_main_option": ("name", "value"),
    "set_section_option": ("section", "name", "value"),
    "file_config.set": ("section", "name", "value"),
}
"""alembic's `Config` setters (and its parser, `Config.file_config`) with their parameters."""
SETTER_NAMES = frozenset({"set_main_option", "set_section_option"})


class BindingKind(Enum):
    VALUE = "value"
    UNPACK = "unpack"
    ITERATION = "iteration"
    AUGMENTED = "augmented"
    PARAMETER = "parameter"
    IMPORT = "import"
    FUNCTION = "function"
    CLASS = "class"
    OPAQUE = "opaque"
    """Bound by `except ... as` or a match pattern: nothing to read."""
    CONTEXT = "context"
    """Bound by `with <node> as name`: opaque unless <node> makes a temporary directory."""
    OUTER = "outer"
    """On some path the name was not bound here: look it up in the enclosing scopes."""


@dataclass(eq=False)
class Binding:
    """One way a name can get its value; compared by identity."""

    kind: BindingKind
    name: str = ""
    node: cst.CSTNode | None = None
    env: Env | None = None
    qualified: str = ""
    scope: Scope | None = None
    """FUNCTION: the function's own scope; PARAMETER: the scope owning it (None for a lambda)."""
    default: cst.BaseExpression | None = None
    is_path: bool = False
    choices: tuple[tuple[cst.BaseExpression, Env], ...] | None = None
    """PARAMETER of a test: the values a `parametrize`/`combinations` decorator passes it."""


Names: TypeAlias = dict[str, tuple[Binding, ...]]

_OUTER = Binding(BindingKind.OUTER)


@dataclass(eq=False)
class Scope:
    kind: str
    """"module", "function" or "class"."""
    parent: Scope | None
    function: cst.FunctionDef | None = None
    final: Names = field(default_factory=dict)
    """The bindings at the end of the scope's body: what nested functions see when called."""
    returns: list[tuple[cst.BaseExpression | None, Env]] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Env:
    """The bindings one expression sees: its names as of that point, then the enclosing scopes."""

    names: Mapping[str, tuple[Binding, ...]]
    scope: Scope


@dataclass(frozen=True, eq=False)
class OptionCall:
    """A `set_main_option`/`set_section_option` call and its arguments by parameter name."""

    call: cst.Call
    method: str
    args: Mapping[str, cst.BaseExpression]
    env: Env


def literal_text(node: cst.CSTNode) -> str | None:
    """The value of a plain (non-f) string literal, bytes read as latin-1; None otherwise."""
    value = literal_value(node)
    return value.decode("latin-1") if isinstance(value, bytes) else value


def option_method(call: cst.Call) -> str | None:
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    if func.attr.value in SETTER_NAMES:
        return func.attr.value
    if (
        func.attr.value == "set"
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "file_config"
    ):
        return "file_config.set"
    return None


def is_forwarding(option_call: OptionCall) -> bool:
    """Whether the call is a setter's own implementation handing its `value` parameter on.

    Inside a function named `set_main_option`/`set_section_option` (alembic's `Config`, or a
    subclass or wrapper), a call that passes that function's own parameter is not where a `%`
    comes from: the function is the sink, and its callers are checked.
    """
    value = option_call.args.get("value")
    function = option_call.env.scope.function
    if not isinstance(value, cst.Name) or function is None:
        return False
    if function.name.value not in SETTER_NAMES:
        return False
    bindings = option_call.env.names.get(value.value, ())
    return bool(bindings) and all(
        binding.kind is BindingKind.PARAMETER and binding.scope is option_call.env.scope
        for binding in bindings
    )


_SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "colon",
        "equal",
        "dot",
        "star",
        "operator",
        "leading_lines",
        "lines_after_decorators",
        "trailing_whitespace",
        "header",
        "footer",
        "start",
        "end",
        "prefix",
        "quote",
    }
)
_CHILD_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _child_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The syntax children of a node, read from its fields.

    `CSTNode.children` and `visit` rebuild every node they pass through; reading the dataclass
    fields directly (minus whitespace and punctuation) is several times faster on big files.
    """
    names = _CHILD_FIELDS.get(type(node))
    if names is None:
        instance: Any = node
        names = tuple(
            item.name
            for item in dataclasses.fields(instance)
            if item.name not in _SKIPPED_FIELDS and not item.name.startswith("whitespace")
        )
        _CHILD_FIELDS[type(node)] = names
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def _names_in(nodes: Iterable[cst.CSTNode | None]) -> set[str]:
    found: set[str] = set()
    stack = [node for node in nodes if node is not None]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            found.add(node.value)
        else:
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
                found.add(f"{node.value.value}.{node.attr.value}")  # `self.x`, see _bind
            stack.extend(_child_nodes(node))
    return found


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _target_names(target: cst.CSTNode) -> list[str]:
    """Names bound by an assignment or loop target (tuples and starred parts included)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _dotted(node: cst.CSTNode | None) -> str:
    return dotted_name(node) or ""


def _merge(first: Names, second: Names) -> Names:
    merged: Names = {}
    for name in first.keys() | second.keys():
        one = first.get(name, (_OUTER,))
        two = second.get(name, (_OUTER,))
        merged[name] = one if one is two else tuple(dict.fromkeys(one + two))
    return merged


_PATH_ANNOTATIONS = frozenset({"Path", "pathlib.Path", "PurePath", "pathlib.PurePath"})
_PATH_FIXTURES = frozenset({"tmp_path", "tmpdir"})
"""pytest's temporary directory fixtures: test helpers build `script_location` from them."""


def _is_path_parameter(param: cst.Param) -> bool:
    if param.name.value in _PATH_FIXTURES:
        return True
    return param.annotation is not None and _dotted(param.annotation.annotation) in (
        _PATH_ANNOTATIONS
    )


def all_params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        found.append(params.star_arg)
    if params.star_kwarg is not None:
        found.append(params.star_kwarg)
    return found


Body: TypeAlias = "cst.BaseSuite | Sequence[cst.BaseStatement]"


class _FlowWalker:
    """Pass 1: walk each scope once, in order, recording bindings, returns and option calls."""

    def __init__(self) -> None:
        self.calls: list[OptionCall] = []
        self.private_calls: dict[str, list[tuple[cst.Call, Env]]] = {}
        """Calls `_name(...)` of a private function by name, with the bindings they see."""
        self.referenced: set[str] = set()
        """Private names used other than as the callee of a call (passed on, aliased, ...)."""
        self._pending: deque[tuple[Scope, Body, Names]] = deque()

    def run(self, module: cst.Module) -> ModuleFlow:
        self._pending.append((Scope("module", None), module.body, {}))
        while self._pending:
            scope, body, names = self._pending.popleft()
            self._body(body, names, scope)
            scope.final = names
        return ModuleFlow(self.calls, self.private_calls, frozenset(self.referenced))

    @staticmethod
    def capture(
        nodes: Iterable[cst.CSTNode | None], names: Names
    ) -> dict[str, tuple[Binding, ...]]:
        """The bindings, as of now, of every name the nodes mention (the rest are outer names)."""
        return {name: names[name] for name in _names_in(nodes) if name in names}

    def record_call(self, call: cst.Call, names: Names, scope: Scope) -> None:
        method = option_method(call)
        if method is None:
            return
        args = arguments_by_parameter(call, OPTION_METHODS[method])
        env = Env(self.capture(args.values(), names), scope)
        self.calls.append(OptionCall(call, method, args, env))

    def _scan(self, node: cst.CSTNode | None, names: Names, scope: Scope) -> None:
        """Record the option calls inside one statement or header expression.

        Names bound inside the expression (lambda parameters, comprehension targets) shadow the
        statement's bindings for the nodes below them.
        """
        if node is None:
            return
        stack: list[tuple[cst.CSTNode, Names]] = [(node, names)]
        walrus: list[tuple[str, cst.BaseExpression, Env]] = []
        while stack:
            current, visible = stack.pop()
            children: Iterable[cst.CSTNode] = _child_nodes(current)
            if isinstance(current, cst.Call):
                self.record_call(current, visible, scope)
                func = current.func
                if isinstance(func, cst.Name) and is_private(func.value):
                    env = Env(self.capture([current], visible), scope)
                    self.private_calls.setdefault(func.value, []).append((current, env))
                    children = [child for child in children if child is not func]
            elif isinstance(current, cst.Name):
                if is_private(current.value):
                    self.referenced.add(current.value)
            elif isinstance(current, cst.NamedExpr) and isinstance(current.target, cst.Name):
                env = Env(self.capture([current.value], visible), scope)
                walrus.append((current.target.value, current.value, env))
            elif isinstance(current, cst.Lambda):
                visible = {**visible}
                for param in all_params(current.params):
                    name = param.name.value
                    visible[name] = (Binding(BindingKind.PARAMETER, name),)
            elif isinstance(current, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
                visible = {**visible}
                comp: cst.CompFor | None = current.for_in
                while comp is not None:
                    env = Env(self.capture([comp.iter], visible), scope)
                    for name in _target_names(comp.target):
                        visible[name] = (Binding(BindingKind.ITERATION, name, comp.iter, env),)
                    comp = comp.inner_for_in
            stack.extend((child, visible) for child in children)
        for name, value, env in walrus:  # `:=` binds in the enclosing scope, comprehension or not
            names[name] = (Binding(BindingKind.VALUE, name, value, env),)

    def _body(self, body: Body, names: Names, scope: Scope) -> bool:
        """Walk statements in order, updating `names`; True when every path ends in return/raise."""
        if isinstance(body, cst.SimpleStatementSuite):
            return self._small_statements(body.body, names, scope)
        statements: Sequence[cst.BaseStatement]
        if isinstance(body, cst.IndentedBlock):
            statements = body.body
        elif isinstance(body, cst.BaseSuite):
            return False
        else:
            statements = body
        ended = False
        for statement in statements:
            if self._statement(statement, names, scope):
                ended = True
        return ended

    def _statement(self, statement: cst.BaseStatement, names: Names, scope: Scope) -> bool:
        if isinstance(statement, cst.SimpleStatementLine):
            return self._small_statements(statement.body, names, scope)
        if isinstance(statement, cst.If):
            return self._if(statement, names, scope)
        if isinstance(statement, (cst.For, cst.While)):
            return self._loop(statement, names, scope)
        if isinstance(statement, (cst.Try, cst.TryStar)):
            return self._try(statement, names, scope)
        if isinstance(statement, cst.With):
            for item in statement.items:
                self._scan(item.item, names, scope)
                if item.asname is not None:
                    env = Env(self.capture([item.item], names), scope)
                    for name in _target_names(item.asname.name):
                        names[name] = (Binding(BindingKind.CONTEXT, name, item.item, env),)
            return self._body(statement.body, names, scope)
        if isinstance(statement, cst.FunctionDef):
            self._define_function(statement, names, scope)
        elif isinstance(statement, cst.ClassDef):
            name = statement.name.value
            names[name] = (Binding(BindingKind.CLASS, name, statement),)
            self._pending.append((Scope("class", scope), statement.body, {}))
        elif isinstance(statement, cst.Match):
            return self._match(statement, names, scope)
        return False

    def _join(self, names: Names, branches: Sequence[tuple[Names, bool]]) -> bool:
        """Replace `names` by the merge of the branches that fall through; True if none does."""
        live = [branch for branch, ended in branches if not ended]
        ended = not live
        merged = dict(live[0]) if live else dict(names)
        for branch in live[1:]:
            merged = _merge(merged, branch)
        names.clear()
        names.update(merged)
        return ended

    def _if(self, statement: cst.If, names: Names, scope: Scope) -> bool:
        self._scan(statement.test, names, scope)
        body = dict(names)
        body_ended = self._body(statement.body, body, scope)
        other = dict(names)
        other_ended = False
        if isinstance(statement.orelse, cst.If):
            other_ended = self._if(statement.orelse, other, scope)
        elif isinstance(statement.orelse, cst.Else):
            other_ended = self._body(statement.orelse.body, other, scope)
        return self._join(names, [(body, body_ended), (other, other_ended)])

    def _loop(self, statement: cst.For | cst.While, names: Names, scope: Scope) -> bool:
        if isinstance(statement, cst.For):
            self._scan(statement.iter, names, scope)
            env = Env(self.capture([statement.iter], names), scope)
            for name in _target_names(statement.target):
                names[name] = (Binding(BindingKind.ITERATION, name, statement.iter, env),)
        else:
            self._scan(statement.test, names, scope)
        body = dict(names)
        self._body(statement.body, body, scope)
        self._join(names, [(names, False), (body, False)])  # the body may run zero times
        if statement.orelse is not None:
            self._body(statement.orelse.body, names, scope)
        return False

    def _try(self, statement: cst.Try | cst.TryStar, names: Names, scope: Scope) -> bool:
        before = dict(names)
        body = dict(names)
        body_ended = self._body(statement.body, body, scope)
        if statement.orelse is not None and not body_ended:
            body_ended = self._body(statement.orelse.body, body, scope)
        start = _merge(before, body)
        branches = [(body, body_ended)]
        for handler in statement.handlers:
            handled = dict(start)
            self._scan(handler.type, handled, scope)
            if handler.name is not None:
                for name in _target_names(handler.name.name):
                    handled[name] = (Binding(BindingKind.OPAQUE, name),)
            branches.append((handled, self._body(handler.body, handled, scope)))
        ended = self._join(names, branches)
        if statement.finalbody is not None and self._body(statement.finalbody.body, names, scope):
            ended = True
        return ended

    def _match(self, statement: cst.Match, names: Names, scope: Scope) -> bool:
        self._scan(statement.subject, names, scope)
        branches: list[tuple[Names, bool]] = [(dict(names), False)]
        for case in statement.cases:
            branch = dict(names)
            for name in _names_in([case.pattern]):
                branch[name] = (Binding(BindingKind.OPAQUE, name),)
            self._scan(case.guard, branch, scope)
            branches.append((branch, self._body(case.body, branch, scope)))
        return self._join(names, branches)

    def _define_function(self, function: cst.FunctionDef, names: Names, scope: Scope) -> None:
        own = Scope("function", scope, function)
        parameters: Names = {}
        choices = self._decorator_choices(function, names, scope)
        for param in all_params(function.params):
            default_env = Env(self.capture([param.default], names), scope)
            parameters[param.name.value] = (
                Binding(
                    BindingKind.PARAMETER,
                    param.name.value,
                    env=default_env,
                    scope=own,
                    default=param.default,
                    is_path=_is_path_parameter(param),
                    choices=choices.get(param.name.value),
                ),
            )
        name = function.name.value
        names[name] = (Binding(BindingKind.FUNCTION, name, function, scope=own),)
        self._pending.append((own, function.body, parameters))

    def _decorator_choices(
        self, function: cst.FunctionDef, names: Names, scope: Scope
    ) -> dict[str, tuple[tuple[cst.BaseExpression, Env], ...]]:
        """Parameters a `@pytest.mark.parametrize` (or SQLAlchemy-style `@combinations`)
        decorator binds, each with the expressions it passes: the test sees one at a time."""
        found: dict[str, tuple[tuple[cst.BaseExpression, Env], ...]] = {}
        for decorator in function.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call):
                continue
            func = call.func
            kind = func.attr.value if isinstance(func, cst.Attribute) else _dotted(func)
            if kind not in ("parametrize", "combinations"):
                continue
            table = self._parametrize_table(call, kind, function, names, scope)
            if table is None:
                continue
            argnames, rows = table
            for index, name in enumerate(argnames):
                found[name] = tuple((items[index], env) for items, env in rows)
        return found

    def _parametrize_table(
        self, call: cst.Call, kind: str, function: cst.FunctionDef, names: Names, scope: Scope
    ) -> tuple[list[str], list[tuple[list[cst.BaseExpression], Env]]] | None:
        """(argnames, rows of argument expressions) of a decorator; None when not readable."""
        if any(arg.star for arg in call.args):
            return None
        positional = [arg.value for arg in call.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        env = Env(self.capture([call], names), scope)
        rows: list[tuple[list[cst.BaseExpression], Env]] = []
        if kind == "parametrize":
            names_node = positional[0] if positional else keywords.get("argnames")
            values_node = positional[1] if len(positional) > 1 else keywords.get("argvalues")
            argnames = _argnames(names_node)
            if argnames is None or names_node is None or values_node is None:
                return None
            if isinstance(values_node, cst.Name):  # a module-level list of cases
                bindings = names.get(values_node.value, ())
                if len(bindings) != 1 or bindings[0].kind is not BindingKind.VALUE:
                    return None
                node, env = bindings[0].node, bindings[0].env or env
                if not isinstance(node, cst.BaseExpression):
                    return None
                values_node = node
            if not isinstance(values_node, (cst.List, cst.Tuple)):
                return None
            # pytest passes each case whole only to a single name given as a string
            whole = len(argnames) == 1 and literal_text(names_node) is not None
            for element in values_node.elements:
                items = _parametrize_row(element, len(argnames), whole=whole)
                if items is None:
                    return None
                rows.append((items, env))
            return argnames, rows
        if "argnames" in keywords:
            argnames = _argnames(keywords["argnames"])
        else:
            argnames = [
                param.name.value
                for param in [*function.params.posonly_params, *function.params.params]
                if param.name.value not in ("self", "cls")
            ]
        id_spec = literal_text(keywords["id_"]) if "id_" in keywords else None
        if argnames is None or ("id_" in keywords and id_spec is None):
            return None
        width: int | None = None
        for value in positional:
            if isinstance(value, cst.Tuple):
                if any(isinstance(element, cst.StarredElement) for element in value.elements):
                    return None
                items = [element.value for element in value.elements]
            else:
                items = [value]
            if id_spec is not None:
                if len(id_spec) != len(items):
                    return None
                items = [item for item, code in zip(items, id_spec, strict=True) if code != "i"]
            if width is None:
                width = len(items)
            if len(items) != width or width > len(argnames):
                return None
            rows.append((items, env))
        return argnames[: width or 0], rows

    def _small_statements(
        self, body: Sequence[cst.BaseSmallStatement], names: Names, scope: Scope
    ) -> bool:
        ended = False
        for small in body:
            self._scan(small, names, scope)
            if isinstance(small, cst.Assign):
                env = Env(self.capture([small.value], names), scope)
                for target in small.targets:
                    self._bind(target.target, small.value, env, names)
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                env = Env(self.capture([small.value], names), scope)
                self._bind(small.target, small.value, env, names)
            elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                env = Env(self.capture([small.target, small.value], names), scope)
                name = small.target.value
                names[name] = (Binding(BindingKind.AUGMENTED, name, small, env),)
            elif isinstance(small, (cst.Import, cst.ImportFrom)):
                self._import(small, names)
            elif isinstance(small, cst.Return):
                if scope.kind == "function":
                    scope.returns.append(
                        (small.value, Env(self.capture([small.value], names), scope))
                    )
                ended = True
            elif isinstance(small, cst.Raise):
                ended = True
        return ended

    def _bind(
        self, target: cst.BaseExpression, value: cst.BaseExpression, env: Env, names: Names
    ) -> None:
        if isinstance(target, cst.Name):
            names[target.value] = (Binding(BindingKind.VALUE, target.value, value, env),)
            return
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            # `self.items = (...)`: kept under "self.items" so a loop over it in the same
            # function can read the literal (see `_elements`); never looked up as a name.
            dotted = f"{target.value.value}.{target.attr.value}"
            names[dotted] = (Binding(BindingKind.VALUE, dotted, value, env),)
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            if (
                isinstance(value, (cst.Tuple, cst.List))
                and len(value.elements) == len(target.elements)
                and not any(
                    isinstance(element, cst.StarredElement)
                    for element in (*target.elements, *value.elements)
                )
            ):
                for part, part_value in zip(target.elements, value.elements, strict=True):
                    self._bind(part.value, part_value.value, env, names)
                return
            for name in _target_names(target):
                names[name] = (Binding(BindingKind.UNPACK, name, value, env),)

    @staticmethod
    def _import(statement: cst.Import | cst.ImportFrom, names: Names) -> None:
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                full = alias.evaluated_name
                if alias.evaluated_alias is not None:
                    names[alias.evaluated_alias] = (
                        Binding(BindingKind.IMPORT, alias.evaluated_alias, qualified=full),
                    )
                else:
                    top = full.split(".", 1)[0]
                    names[top] = (Binding(BindingKind.IMPORT, top, qualified=top),)
            return
        if isinstance(statement.names, cst.ImportStar):
            return
        base = "." * len(statement.relative) + _dotted(statement.module)
        for alias in statement.names:
            local = alias.evaluated_alias or alias.evaluated_name
            joiner = "" if not base or base.endswith(".") else "."
            qualified = f"{base}{joiner}{alias.evaluated_name}"
            names[local] = (Binding(BindingKind.IMPORT, local, qualified=qualified),)


def _argnames(node: cst.BaseExpression | None) -> list[str] | None:
    """`"a, b"`, `("a", "b")` or `["a", "b"]` as names; None when not literal."""
    if node is None:
        return None
    text = literal_text(node)
    if text is not None:
        return [name.strip() for name in text.split(",") if name.strip()]
    if isinstance(node, (cst.List, cst.Tuple)):
        found = [literal_text(element.value) for element in node.elements]
        if all(name is not None and name.isidentifier() for name in found):
            return [name for name in found if name is not None]
    return None


def _parametrize_row(
    element: cst.BaseElement, width: int, *, whole: bool
) -> list[cst.BaseExpression] | None:
    """The argument expressions of one `parametrize` case (`pytest.param(...)` unwrapped)."""
    if isinstance(element, cst.StarredElement):
        return None
    value = element.value
    callee = _dotted(value.func) if isinstance(value, cst.Call) else ""
    if isinstance(value, cst.Call) and (callee == "param" or callee.endswith(".param")):
        if any(arg.star for arg in value.args):
            return None
        items = [arg.value for arg in value.args if arg.keyword is None]
    elif whole:
        items = [value]
    elif isinstance(value, (cst.Tuple, cst.List)):
        if any(isinstance(part, cst.StarredElement) for part in value.elements):
            return None
        items = [part.value for part in value.elements]
    else:
        return None
    return items if len(items) == width else None


@dataclass(frozen=True, eq=False)
class ModuleFlow:
    """What pass 1 found in one module."""

    calls: list[OptionCall]
    private_calls: Mapping[str, list[tuple[cst.Call, Env]]]
    """Calls of private (`_name`) functions by callee name, with the bindings they see."""
    referenced: frozenset[str]
    """Private names used other than as a callee: their calls in the file may not be all."""


def analyse_module(module: cst.Module) -> ModuleFlow:
    """Pass 1 over a module: option calls, and the calls of its private functions."""
    return _FlowWalker().run(module)


def find_option_calls(module: cst.Module) -> list[OptionCall]:
    """Every option setter call, with the bindings its arguments see."""
    return analyse_module(module).calls
