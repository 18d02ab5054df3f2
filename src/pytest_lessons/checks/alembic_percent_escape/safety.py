"""Whether a Python value provably reaches configparser without a `%` it would reject.

`alembic-percent-escape` asks one question of the value handed to `set_main_option`: can it hold a
`%` that is neither `%%` nor a `%(name)s` reference? Proving "no" needs more than the call's
argument: the value usually comes through a variable, a helper function or an f-string. This
module answers statically, in two passes over one libcst module:

1. `find_option_calls` walks every scope in statement order and records, for each variable, the
   assignments that can reach each point (branches merge, a `return`/`raise` ends a branch), so
   `url = os.environ["X"]; url = url.strip()` is read as the environment value it is. It also
   records the cases a `parametrize` decorator binds to a test's parameters, and every call of a
   private (`_name`) function.
2. `ValueSafety` judges an expression under those bindings: literals by configparser's own test,
   `.replace("%", "%%")` as the fix, local helpers by their return values, a private helper's
   parameter by what its callers in the module pass, paths (`__file__`, `os.path`, `pathlib`,
   `tempfile`) as paths only when everything that goes into them is safe, and URL encoding as
   the opposite of a fix (it is what produces `%2B`).

Anything it cannot read is unsafe: the check only ever claims safety it can show.
"""

from __future__ import annotations

import dataclasses
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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

_INTERPOLATION_REFERENCE = re.compile(r"%\(([^)]+)\)s")


def interpolation_rejects(text: str) -> bool:
    """Whether `ConfigParser.set` refuses `text` (BasicInterpolation's own `before_set` test)."""
    remainder = _INTERPOLATION_REFERENCE.sub("", text.replace("%%", ""))
    return "%" in remainder


def first_unescaped_percent(text: str) -> int | None:
    """The index of the first `%` that makes reading `text` from a config file fail, or None.

    This is BasicInterpolation's read-time scan (`%%`, then `%(name)s`, left to right); it agrees
    with `interpolation_rejects` except on nestings like `%(%%)s` that no real value has.
    """
    index = 0
    while (index := text.find("%", index)) >= 0:
        if text.startswith("%%", index):
            index += 2
            continue
        reference = _INTERPOLATION_REFERENCE.match(text, index)
        if reference is None:
            return index
        index = reference.end()
    return None


class Safety(str, Enum):
    SAFE = "safe"
    PATH = "path"
    """A filesystem path: safe only while the lesson's `trust-path-values` option is on."""
    UNSAFE = "unsafe"


class Reason(str, Enum):
    """Why a value is not safe; stored in the facts, so the values are stable codes."""

    NONE = "none"
    LITERAL = "literal"
    ENVIRONMENT = "environment"
    ENCODED = "percent-encoded"
    DECODED = "percent-decoded"
    FSTRING = "f-string"
    FORMAT = "str-format"
    PERCENT_FORMAT = "percent-format"
    CONCATENATION = "concatenation"
    JOIN = "join"
    ATTRIBUTE = "attribute"
    SUBSCRIPT = "subscript"
    CALL = "call"
    PARAMETER = "parameter"
    IMPORTED = "imported"
    UNRESOLVED = "unresolved"
    LOOP = "loop-variable"
    EXPRESSION = "expression"
    PATH = "path"
    UNREADABLE = "unreadable"
    """The call has no value argument that can be read (`*args`, `**options`, none at all)."""
    FORWARDED = "forwarded"
    """Not a finding: a setter's own implementation passing its `value` parameter on."""


@dataclass(frozen=True)
class Verdict:
    safety: Safety
    reason: Reason
    detail: str = ""
    """A clause for the finding message, e.g. "value read from the environment (...) is ..."."""


SAFE = Verdict(Safety.SAFE, Reason.NONE)

STRONG_REASONS = (Reason.ENCODED, Reason.DECODED, Reason.LITERAL)
"""Reasons that show a `%` is there, not just unproven; they win when verdicts combine."""


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict of a value that may be any of `verdicts`: unsafe beats path beats safe."""
    unsafe: Verdict | None = None
    path: Verdict | None = None
    for verdict in verdicts:
        if verdict.safety is Safety.UNSAFE:
            if unsafe is None or _rank(verdict) < _rank(unsafe):
                unsafe = verdict
        elif verdict.safety is Safety.PATH and path is None:
            path = verdict
    return unsafe or path or SAFE


def _rank(verdict: Verdict) -> int:
    if verdict.reason in STRONG_REASONS:
        return STRONG_REASONS.index(verdict.reason)
    return len(STRONG_REASONS)


# ---------------------------------------------------------------------------------------------
# Pass 1: bindings per scope, in statement order


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


def _is_private(name: str) -> bool:
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


def _all_params(params: cst.Parameters) -> list[cst.Param]:
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
                if isinstance(func, cst.Name) and _is_private(func.value):
                    env = Env(self.capture([current], visible), scope)
                    self.private_calls.setdefault(func.value, []).append((current, env))
                    children = [child for child in children if child is not func]
            elif isinstance(current, cst.Name):
                if _is_private(current.value):
                    self.referenced.add(current.value)
            elif isinstance(current, cst.NamedExpr) and isinstance(current.target, cst.Name):
                env = Env(self.capture([current.value], visible), scope)
                walrus.append((current.target.value, current.value, env))
            elif isinstance(current, cst.Lambda):
                visible = {**visible}
                for param in _all_params(current.params):
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
        for param in _all_params(function.params):
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
            whole = len(argnames) == 1 and _literal_text(names_node) is not None
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
        id_spec = _literal_text(keywords["id_"]) if "id_" in keywords else None
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
    text = _literal_text(node)
    if text is not None:
        return [name.strip() for name in text.split(",") if name.strip()]
    if isinstance(node, (cst.List, cst.Tuple)):
        found = [_literal_text(element.value) for element in node.elements]
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


# ---------------------------------------------------------------------------------------------
# Pass 2: the safety of an expression under its bindings

_ENV_MAPPINGS = frozenset({"os.environ", "os.environb"})
_ENV_READERS = frozenset(
    {
        "os.getenv",
        "os.getenvb",
        "os.environ.get",
        "os.environ.setdefault",
        "os.environ.pop",
        "os.environb.get",
        "os.path.expandvars",
    }
)
_ENCODERS = frozenset(
    {
        "urllib.parse.quote",
        "urllib.parse.quote_plus",
        "urllib.parse.quote_from_bytes",
        "urllib.parse.urlencode",
        "urllib.quote",
        "urllib.quote_plus",
        "urllib.urlencode",
        "quote",
        "quote_plus",
        "quote_from_bytes",
        "urlencode",
    }
)
_DECODERS = frozenset(
    {
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "urllib.parse.unquote_to_bytes",
        "urllib.unquote",
        "urllib.unquote_plus",
        "unquote",
        "unquote_plus",
    }
)
_URL_RENDERERS = frozenset({"render_as_string", "unicode_string"})
_PATH_CALLS = frozenset(
    {
        "os.getcwd",
        "os.getcwdb",
        "os.fspath",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "pathlib.Path.cwd",
        "pathlib.Path.home",
        "Path",
        "PurePath",
        "Path.cwd",
        "Path.home",
        "tempfile.gettempdir",
        "tempfile.gettempdirb",
        "tempfile.mkdtemp",
    }
)
_TEMPDIR_FACTORIES = frozenset({"tempfile.TemporaryDirectory", "TemporaryDirectory"})
"""`TemporaryDirectory()`: its `.name`, and what `with ... as` binds, is a temporary path."""
_CONSTANTS = frozenset(
    {
        f"{module}.{name}"
        for module in ("os", "os.path")
        for name in ("sep", "altsep", "extsep", "pathsep", "curdir", "pardir", "linesep", "devnull")
    }
)
"""Separators and fixed names from `os`: never a `%` in them."""
_PATH_METHODS = frozenset(
    {
        "absolute",
        "as_posix",
        "expanduser",
        "joinpath",
        "relative_to",
        "resolve",
        "with_name",
        "with_stem",
        "with_suffix",
    }
)
_PASS_THROUGH: Mapping[str, int] = {"str": 0, "builtins.str": 0, "typing.cast": 1, "cast": 1}
"""Calls whose result is one of their arguments (by position), as far as `%` goes."""
_NUMERIC = frozenset(
    {"int", "float", "len", "bool", "abs", "round", "builtins.int", "builtins.float"}
)
_PRESERVING_METHODS = frozenset(
    {"strip", "lstrip", "rstrip", "lower", "casefold", "removeprefix", "removesuffix"}
)
"""str methods that keep an escaped value escaped (when their own arguments hold no `%`);
`upper`/`title` are not among them: they turn `%(here)s` into the invalid `%(HERE)S`."""
_MAX_DEPTH = 120
_MAX_STEPS = 20_000
"""Expression evaluations per option call: bounds helpers that call helpers many times over."""


def _snippet(module: cst.Module, node: cst.CSTNode, limit: int = 60) -> str:
    try:
        code = " ".join(module.code_for_node(node).split())
    except RecursionError:
        code = "..."
    return code if len(code) <= limit else code[: limit - 3] + "..."


def _literal_text(node: cst.CSTNode) -> str | None:
    """The value of a plain (non-f) string literal, bytes read as latin-1; None otherwise."""
    value = literal_value(node)
    return value.decode("latin-1") if isinstance(value, bytes) else value


@dataclass
class _Frame:
    """Arguments of one call to a helper defined in the file, while its returns are judged."""

    scope: Scope
    arguments: dict[str, tuple[cst.BaseExpression, Env]]
    complete: bool
    """False after a `*args`: parameters without an argument are then unknown, not defaulted."""
    calling: frozenset[int]
    """The helpers being evaluated when this call was made (the caller's recursion guard)."""


class ValueSafety:
    """Pass 2: judges expressions found by `find_option_calls` (one instance per module)."""

    def __init__(
        self,
        module: cst.Module,
        escape_helpers: Sequence[str] = (),
        *,
        flow: ModuleFlow | None = None,
        line_of: Callable[[cst.CSTNode], int] | None = None,
    ) -> None:
        self._module = module
        self._escape_helpers = tuple(escape_helpers)
        self._flow = flow
        """Calls of the module's private functions: their parameters are judged by them."""
        self._line_of = line_of
        self._expanding: set[int] = set()
        self._memo: dict[int, Verdict] = {}
        self._helper_memo: dict[int, Verdict] = {}
        self._active: set[int] = set()
        self._calling: set[int] = set()
        self._frames: list[_Frame] = []
        self._depth = 0
        self._steps = 0

    def of(self, node: cst.BaseExpression, env: Env) -> Verdict:
        self._steps = 0
        return self._eval(node, env)

    # -- names --------------------------------------------------------------------------------

    def _lookup(self, name: str, env: Env) -> tuple[Binding, ...]:
        if name in env.names:
            return self._resolve_outer(env.names[name], name, env.scope)
        return self._lookup_outer(name, env.scope)

    def _lookup_outer(self, name: str, scope: Scope) -> tuple[Binding, ...]:
        current = scope.parent
        while current is not None:
            if current.kind != "class" and name in current.final:
                return self._resolve_outer(current.final[name], name, current)
            current = current.parent
        return ()

    def _resolve_outer(
        self, found: tuple[Binding, ...], name: str, scope: Scope
    ) -> tuple[Binding, ...]:
        if not any(binding.kind is BindingKind.OUTER for binding in found):
            return found
        own = tuple(binding for binding in found if binding.kind is not BindingKind.OUTER)
        return own + self._lookup_outer(name, scope)

    def _qualified(self, node: cst.CSTNode, env: Env, depth: int = 0) -> str | None:
        """The dotted name a Name/Attribute stands for: imports and simple aliases followed.

        A name bound nowhere in the file stands for itself (a builtin, or code without imports).
        """
        if depth > 8:
            return None
        if isinstance(node, cst.Name):
            bindings = self._lookup(node.value, env)
            if not bindings:
                return node.value
            if len(bindings) == 1:
                binding = bindings[0]
                if binding.kind is BindingKind.IMPORT:
                    return binding.qualified
                if (
                    binding.kind is BindingKind.VALUE
                    and isinstance(binding.node, (cst.Name, cst.Attribute))
                    and binding.env is not None
                ):
                    return self._qualified(binding.node, binding.env, depth + 1)
            return None
        if isinstance(node, cst.Attribute):
            base = self._qualified(node.value, env, depth)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def _const(self, node: cst.CSTNode, env: Env, depth: int = 0) -> str | None:
        """A string constant: a literal, or a name bound only to one."""
        text = _literal_text(node)
        if text is not None or depth > 8 or not isinstance(node, cst.Name):
            return text
        bindings = self._lookup(node.value, env)
        if len(bindings) == 1 and bindings[0].kind is BindingKind.VALUE:
            binding = bindings[0]
            if binding.node is not None and binding.env is not None:
                return self._const(binding.node, binding.env, depth + 1)
        return None

    def _binding(self, binding: Binding) -> Verdict:
        key = id(binding)
        cacheable = not self._frames
        if cacheable and key in self._memo:
            return self._memo[key]
        if key in self._active:
            return Verdict(
                Safety.UNSAFE,
                Reason.EXPRESSION,
                f"'{binding.name}' is defined in terms of itself, so it is not shown to escape '%'",
            )
        self._active.add(key)
        try:
            verdict = self._binding_verdict(binding)
        finally:
            self._active.discard(key)
        if cacheable:
            self._memo[key] = verdict
        return verdict

    def _binding_verdict(self, binding: Binding) -> Verdict:
        kind, node, env = binding.kind, binding.node, binding.env
        if kind is BindingKind.PARAMETER:
            return self._parameter(binding)
        if kind is BindingKind.IMPORT:
            return Verdict(
                Safety.UNSAFE,
                Reason.IMPORTED,
                f"value imported as {binding.qualified} is not %-escaped here",
            )
        if kind is BindingKind.CONTEXT:
            if (
                isinstance(node, cst.Call)
                and env is not None
                and self._qualified(node.func, env) in _TEMPDIR_FACTORIES
            ):
                return self._path(node, [self._eval(arg.value, env) for arg in node.args])
            node = env = None  # opaque
        if env is None or node is None:
            return Verdict(
                Safety.UNSAFE,
                Reason.EXPRESSION,
                f"'{binding.name}' (bound by with/except/match or a def) is not shown to "
                "escape '%'",
            )
        if kind is BindingKind.VALUE and isinstance(node, cst.BaseExpression):
            return self._eval(node, env)
        if kind in (BindingKind.UNPACK, BindingKind.ITERATION) and isinstance(
            node, cst.BaseExpression
        ):
            elements = self._elements(node, env)
            if elements is not None:
                return elements
            if kind is BindingKind.UNPACK:
                return self._eval(node, env)
            return Verdict(
                Safety.UNSAFE,
                Reason.LOOP,
                f"loop variable '{binding.name}' takes values that are not shown to escape '%'",
            )
        if (
            kind is BindingKind.AUGMENTED
            and isinstance(node, cst.AugAssign)
            and isinstance(node.target, cst.Name)
        ):
            operator = _AUGMENTED_OPERATORS.get(type(node.operator), "?")
            left = self._eval(node.target, env)
            return self._binary(operator, node.target, left, node.value, env, node)
        return Verdict(
            Safety.UNSAFE, Reason.EXPRESSION, f"'{binding.name}' is not shown to escape '%'"
        )

    def _parameter(self, binding: Binding) -> Verdict:
        for index in range(len(self._frames) - 1, -1, -1):
            frame = self._frames[index]
            if frame.scope is not binding.scope:
                continue
            argument = frame.arguments.get(binding.name)
            outer, calling = self._frames, self._calling
            self._frames = outer[:index]  # the argument belongs to the caller's context
            self._calling = set(frame.calling)
            try:
                if argument is not None:
                    return self._eval(argument[0], argument[1])
                if frame.complete and binding.default is not None and binding.env is not None:
                    return self._eval(binding.default, binding.env)
            finally:
                self._frames, self._calling = outer, calling
            break
        else:
            if binding.choices is not None:
                return combine(self._eval(choice, env) for choice, env in binding.choices)
            from_callers = self._from_callers(binding)
            if from_callers is not None:
                return from_callers
        if binding.is_path:
            return Verdict(
                Safety.PATH,
                Reason.PATH,
                f"filesystem path (parameter '{binding.name}') is not %-escaped, and "
                "trust-path-values is off",
            )
        owner = "function" if binding.scope is not None else "lambda"
        return Verdict(
            Safety.UNSAFE,
            Reason.PARAMETER,
            f"{owner} parameter '{binding.name}' is not %-escaped",
        )

    def _from_callers(self, binding: Binding) -> Verdict | None:
        """A private function's parameter, judged by every call of the function in the module.

        None (no verdict) when the function is public, used other than by calls (passed on, so
        the calls here may not be all), or never called here.
        """
        scope = binding.scope
        function = scope.function if scope is not None else None
        if self._flow is None or scope is None or function is None:
            return None
        name = function.name.value
        if not _is_private(name) or name in self._flow.referenced or id(scope) in self._expanding:
            return None
        calls = [
            (call, env)
            for call, env in self._flow.private_calls.get(name, ())
            if isinstance(call.func, cst.Name)
            and (found := self._lookup(call.func.value, env))
            and all(item.kind is BindingKind.FUNCTION and item.scope is scope for item in found)
        ]
        if not calls:
            return None
        if self._line_of is not None:
            line_of = self._line_of
            calls.sort(key=lambda item: line_of(item[0]))
        self._expanding.add(id(scope))
        verdicts: list[Verdict] = []
        try:
            for call, env in calls:
                arguments, complete = _bind_arguments(function, call, env)
                passed = arguments.get(binding.name)
                if (
                    passed is not None
                    and isinstance(passed[0], cst.Name)
                    and self._lookup(passed[0].value, passed[1]) == (binding,)
                ):
                    continue  # a recursive call handing the parameter on adds no value
                self._frames.append(_Frame(scope, arguments, complete, frozenset(self._calling)))
                try:
                    verdict = self._parameter(binding)
                finally:
                    self._frames.pop()
                if verdict.safety is Safety.UNSAFE:
                    where = (
                        f"at line {self._line_of(call)}"
                        if self._line_of is not None
                        else "in this file"
                    )
                    return Verdict(
                        verdict.safety,
                        verdict.reason,
                        f"{verdict.detail} (passed as '{binding.name}' to {name}() {where})",
                    )
                verdicts.append(verdict)
        finally:
            self._expanding.discard(id(scope))
        return combine(verdicts) if verdicts else None

    # -- expressions --------------------------------------------------------------------------

    def _eval(self, node: cst.BaseExpression, env: Env) -> Verdict:
        self._depth += 1
        self._steps += 1
        try:
            if self._depth > _MAX_DEPTH or self._steps > _MAX_STEPS:
                return self._unsafe(
                    Reason.EXPRESSION, node, "expression ({}) is too involved to analyse"
                )
            return self._eval_node(node, env)
        finally:
            self._depth -= 1

    def _unsafe(self, reason: Reason, node: cst.CSTNode, template: str) -> Verdict:
        return Verdict(Safety.UNSAFE, reason, template.format(_snippet(self._module, node)))

    def _path(self, node: cst.CSTNode, parts: Iterable[Verdict] = ()) -> Verdict:
        """A path built from `parts`: a path only when every part is safe or a path itself.

        `os.path.join(os.environ["DATABASE_URL"])` is the environment value, not a path: a path
        function must not launder what goes into it.
        """
        inputs = combine(parts)
        if inputs.safety is Safety.UNSAFE:
            return inputs
        return Verdict(
            Safety.PATH,
            Reason.PATH,
            f"filesystem path ({_snippet(self._module, node)}) is not %-escaped, and "
            "trust-path-values is off",
        )

    def _eval_node(self, node: cst.BaseExpression, env: Env) -> Verdict:
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = _literal_text(node)
            if text is not None:
                if interpolation_rejects(text):
                    return self._unsafe(
                        Reason.LITERAL, node, "string literal {} has an unescaped '%'"
                    )
                return SAFE
            if isinstance(node, cst.ConcatenatedString):
                return combine([self._eval(node.left, env), self._eval(node.right, env)])
            return self._unsafe(Reason.EXPRESSION, node, "string literal {} cannot be read")
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, env)
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return SAFE
        if isinstance(node, cst.Name):
            return self._name(node, env)
        if isinstance(node, cst.Attribute):
            return self._attribute(node, env)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, env)
        if isinstance(node, cst.Call):
            return self._call(node, env)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self._composite(
                Reason.CONCATENATION,
                "string concatenation with a value that is not %-escaped ({})",
                [(operand, self._eval(operand, env)) for operand in _added_operands(node)],
            )
        if isinstance(node, cst.BinaryOperation):
            operator = _BINARY_OPERATORS.get(type(node.operator), "?")
            left = self._eval(node.left, env)
            return self._binary(operator, node.left, left, node.right, env, node)
        if isinstance(node, cst.BooleanOperation):
            return combine([self._eval(node.left, env), self._eval(node.right, env)])
        if isinstance(node, cst.IfExp):
            return combine([self._eval(node.body, env), self._eval(node.orelse, env)])
        if isinstance(node, cst.Await):
            return self._eval(node.expression, env)
        if isinstance(node, cst.NamedExpr):
            return self._eval(node.value, env)
        if isinstance(node, cst.UnaryOperation):
            if isinstance(node.operator, cst.Not):
                return SAFE
            return self._eval(node.expression, env)
        return self._unsafe(Reason.EXPRESSION, node, "expression ({}) is not shown to escape '%'")

    def _composite(
        self, reason: Reason, template: str, parts: Sequence[tuple[cst.CSTNode, Verdict]]
    ) -> Verdict:
        """A string built from parts: safe when all are; an encoded part is named as such."""
        verdict = combine(verdict for _, verdict in parts)
        if verdict.safety is not Safety.UNSAFE or verdict.reason in STRONG_REASONS:
            return verdict
        culprit = next(node for node, part in parts if part is verdict)
        return self._unsafe(reason, culprit, template)

    def _fstring(self, node: cst.FormattedString, env: Env) -> Verdict:
        parts: list[tuple[cst.CSTNode, Verdict]] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                if interpolation_rejects(part.value):
                    return self._unsafe(
                        Reason.LITERAL, node, "f-string text in {} has an unescaped '%'"
                    )
            elif isinstance(part, cst.FormattedStringExpression):
                parts.append((part.expression, self._eval(part.expression, env)))
        return self._composite(
            Reason.FSTRING, "f-string with interpolated values that are not %-escaped ({})", parts
        )

    def _name(self, node: cst.Name, env: Env) -> Verdict:
        name = node.value
        if name in ("None", "True", "False"):
            return SAFE
        bindings = self._lookup(name, env)
        if not bindings:
            if name == "__file__":
                return self._path(node)
            return Verdict(
                Safety.UNSAFE,
                Reason.UNRESOLVED,
                f"name '{name}' is not assigned in this file, so it is not shown to escape '%'",
            )
        return combine(self._binding(binding) for binding in bindings)

    def _attribute(self, node: cst.Attribute, env: Env) -> Verdict:
        qualified = self._qualified(node, env)
        if qualified in _ENV_MAPPINGS:
            return self._unsafe(
                Reason.ENVIRONMENT, node, "value read from the environment ({}) is not %-escaped"
            )
        if qualified in _CONSTANTS:
            return SAFE
        if node.attr.value == "name":
            factory = self._tempdir_call(node.value, env)
            if factory is not None:
                return self._path(node, [self._eval(arg.value, env) for arg in factory.args])
        receiver = self._eval(node.value, env)
        if receiver.safety is Safety.PATH:
            return self._path(node, [receiver])
        if receiver.reason is Reason.ENCODED:
            return receiver
        return self._unsafe(
            Reason.ATTRIBUTE, node, "setting or attribute value ({}) is not %-escaped"
        )

    def _tempdir_call(self, node: cst.BaseExpression, env: Env, depth: int = 0) -> cst.Call | None:
        """The `TemporaryDirectory(...)` call `node` is, directly or through a local name."""
        if isinstance(node, cst.Call):
            return node if self._qualified(node.func, env) in _TEMPDIR_FACTORIES else None
        if isinstance(node, cst.Name) and depth < 8:
            bindings = self._lookup(node.value, env)
            if len(bindings) == 1 and bindings[0].kind is BindingKind.VALUE:
                found, found_env = bindings[0].node, bindings[0].env
                if isinstance(found, cst.BaseExpression) and found_env is not None:
                    return self._tempdir_call(found, found_env, depth + 1)
        return None

    def _subscript(self, node: cst.Subscript, env: Env) -> Verdict:
        if self._qualified(node.value, env) in _ENV_MAPPINGS:
            return self._unsafe(
                Reason.ENVIRONMENT, node, "value read from the environment ({}) is not %-escaped"
            )
        receiver = self._eval(node.value, env)
        if receiver.safety is Safety.PATH:
            return self._path(node, [receiver])
        if receiver.reason is Reason.ENCODED:
            return receiver
        return self._unsafe(Reason.SUBSCRIPT, node, "subscripted value ({}) is not %-escaped")

    def _binary(
        self,
        operator: str,
        left_node: cst.BaseExpression,
        left: Verdict,
        right_node: cst.BaseExpression,
        env: Env,
        whole: cst.CSTNode,
    ) -> Verdict:
        if operator == "+":
            return self._composite(
                Reason.CONCATENATION,
                "string concatenation with a value that is not %-escaped ({})",
                [(left_node, left), (right_node, self._eval(right_node, env))],
            )
        if operator == "/":  # only paths divide into strings
            return self._path(whole, [left, self._eval(right_node, env)])
        if operator == "%":
            template = self._const(left_node, env)
            if template is None:
                return self._unsafe(
                    Reason.PERCENT_FORMAT, whole, "%-formatting ({}) with an unknown template"
                )
            if "%%" in template:
                return self._unsafe(
                    Reason.LITERAL,
                    left_node,
                    "%-formatting turns '%%' in the template {} into a bare '%'",
                )
            values: list[cst.BaseExpression]
            if isinstance(right_node, (cst.Tuple, cst.List)):
                values = [element.value for element in right_node.elements]
            elif isinstance(right_node, cst.Dict):
                values = [
                    element.value for element in right_node.elements if element.value is not None
                ]
            else:
                values = [right_node]
            return self._composite(
                Reason.PERCENT_FORMAT,
                "%-formatting with values that are not %-escaped ({})",
                [(value, self._eval(value, env)) for value in values],
            )
        return self._unsafe(Reason.EXPRESSION, whole, "expression ({}) is not shown to escape '%'")

    def _elements(self, node: cst.BaseExpression, env: Env, depth: int = 0) -> Verdict | None:
        """The combined verdict of what iterating a literal container yields; None if unknown."""
        if depth > 8:
            return None
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            verdicts = []
            for element in node.elements:
                inner = self._elements(element.value, env, depth + 1)
                if inner is None and isinstance(element, cst.StarredElement):
                    return None
                verdicts.append(inner if inner is not None else self._eval(element.value, env))
            return combine(verdicts)
        if isinstance(node, cst.Dict):
            return combine(
                self._eval(element.key, env)
                for element in node.elements
                if isinstance(element, cst.DictElement)
            )
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Dict)
            and node.func.attr.value in ("items", "values", "keys")
        ):
            parts: list[Verdict] = []
            for entry in node.func.value.elements:
                if not isinstance(entry, cst.DictElement):
                    return None
                if node.func.attr.value != "values":
                    parts.append(self._eval(entry.key, env))
                if node.func.attr.value != "keys":
                    parts.append(self._eval(entry.value, env))
            return combine(parts)
        bindings: tuple[Binding, ...] = ()
        if isinstance(node, cst.Name):
            bindings = self._lookup(node.value, env)
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            # `self.items`, assigned earlier in the same function (flow only, see _bind)
            bindings = env.names.get(f"{node.value.value}.{node.attr.value}", ())
        if len(bindings) == 1 and bindings[0].kind is BindingKind.VALUE:
            binding = bindings[0]
            if isinstance(binding.node, cst.BaseExpression) and binding.env is not None:
                return self._elements(binding.node, binding.env, depth + 1)
        return None

    # -- calls --------------------------------------------------------------------------------

    def _call(self, node: cst.Call, env: Env) -> Verdict:
        func = node.func
        qualified = self._qualified(func, env)
        if qualified is not None:
            known = self._known_call(qualified, node, env)
            if known is not None:
                return known
        if self._is_escape_helper(qualified, func):
            return SAFE
        if isinstance(func, cst.Name):
            bindings = self._lookup(func.value, env)
            if bindings and all(binding.kind is BindingKind.FUNCTION for binding in bindings):
                return combine(self._call_helper(binding, node, env) for binding in bindings)
        if isinstance(func, cst.Attribute):
            return self._method(node, func, env)
        return self._unsafe(
            Reason.CALL, node, "value from a call that is not shown to escape '%' ({})"
        )

    def _known_call(self, qualified: str, node: cst.Call, env: Env) -> Verdict | None:
        if qualified in _ENV_READERS:
            return self._unsafe(
                Reason.ENVIRONMENT, node, "value read from the environment ({}) is not %-escaped"
            )
        if qualified in _ENCODERS or _is_url_factory(qualified):
            return self._unsafe(
                Reason.ENCODED,
                node,
                "URL rendered with percent-encoding ({}) produces %XX sequences",
            )
        if qualified in _DECODERS:
            return self._unsafe(
                Reason.DECODED, node, "URL-decoded value ({}) can still contain a bare '%'"
            )
        if qualified in _PATH_CALLS or qualified.startswith("os.path."):
            return self._path(node, [self._eval(arg.value, env) for arg in node.args])
        if qualified in _PASS_THROUGH:
            positional = [arg for arg in node.args if not arg.keyword and not arg.star]
            index = _PASS_THROUGH[qualified]
            if len(positional) > index:
                return self._eval(positional[index].value, env)
            return SAFE if not node.args else None
        if qualified in _NUMERIC:
            return SAFE
        if qualified == "re.sub" and len(node.args) == 3:
            pattern, replacement = (self._const(arg.value, env) for arg in node.args[:2])
            if pattern == "%" and replacement == "%%":
                return SAFE
        return None

    def _is_escape_helper(self, qualified: str | None, func: cst.BaseExpression) -> bool:
        for helper in self._escape_helpers:
            if qualified is not None and (qualified == helper or qualified.endswith("." + helper)):
                return True
            if "." not in helper and isinstance(func, cst.Attribute) and func.attr.value == helper:
                return True
        return False

    def _call_helper(self, binding: Binding, node: cst.Call, env: Env) -> Verdict:
        """A function defined in this file: safe when every value it returns is."""
        scope, function = binding.scope, binding.node
        if scope is None or not isinstance(function, cst.FunctionDef):
            return self._unsafe(
                Reason.CALL, node, "value from a call that is not shown to escape '%' ({})"
            )
        key = id(scope)
        if key in self._calling:
            return self._unsafe(
                Reason.CALL, node, "value from a recursive call ({}) is not shown to escape '%'"
            )
        if not scope.returns:
            return SAFE  # returns None: no `%` to trip over
        has_parameters = bool(_all_params(function.params))
        if not has_parameters and not self._frames and key in self._helper_memo:
            return self._helper_memo[key]
        if has_parameters:
            arguments, complete = _bind_arguments(function, node, env)
            self._frames.append(_Frame(scope, arguments, complete, frozenset(self._calling)))
        self._calling.add(key)
        try:
            verdict = combine(
                SAFE if value is None else self._eval(value, value_env)
                for value, value_env in scope.returns
            )
        finally:
            self._calling.discard(key)
            if has_parameters:
                self._frames.pop()
        if not has_parameters and not self._frames:
            self._helper_memo[key] = verdict
        if verdict.safety is Safety.UNSAFE and verdict.reason not in STRONG_REASONS:
            return Verdict(
                verdict.safety, verdict.reason, f"{verdict.detail} (in {binding.name}())"
            )
        return verdict

    def _method(self, node: cst.Call, func: cst.Attribute, env: Env) -> Verdict:
        method = func.attr.value
        receiver = func.value
        if method == "replace":
            return self._replace(node, receiver, env)
        if method in _URL_RENDERERS:
            return self._unsafe(
                Reason.ENCODED,
                node,
                "URL rendered with percent-encoding ({}) produces %XX sequences",
            )
        if method == "format":
            parts = [(receiver, self._eval(receiver, env))]
            parts += [(arg.value, self._eval(arg.value, env)) for arg in node.args]
            return self._composite(
                Reason.FORMAT, "str.format() with values that are not %-escaped ({})", parts
            )
        if method == "join" and len(node.args) == 1 and not node.args[0].star:
            items = node.args[0].value
            joined = self._elements(items, env)
            return self._composite(
                Reason.JOIN,
                "str.join() over values that are not %-escaped ({})",
                [
                    (receiver, self._eval(receiver, env)),
                    (items, joined if joined is not None else self._eval(items, env)),
                ],
            )
        value = self._eval(receiver, env)
        if method in _PRESERVING_METHODS:
            for arg in node.args:
                text = self._const(arg.value, env)
                if text is None or "%" in text:
                    return self._unsafe(
                        Reason.CALL,
                        node,
                        "{} may split a '%%' pair, so it is not shown to escape '%'",
                    )
            return value
        if value.safety is Safety.PATH and method in _PATH_METHODS:
            return self._path(node, [value, *(self._eval(arg.value, env) for arg in node.args)])
        if value.reason is Reason.ENCODED:
            return value
        return self._unsafe(
            Reason.CALL, node, "value from a call that is not shown to escape '%' ({})"
        )

    def _replace(self, node: cst.Call, receiver: cst.BaseExpression, env: Env) -> Verdict:
        """`.replace("%", "%%")` is the fix; other replacements keep the receiver's verdict."""
        args = node.args
        if len(args) >= 2 and not any(arg.star or arg.keyword for arg in args[:2]):
            old = self._const(args[0].value, env)
            new = self._const(args[1].value, env)
            if old == "%" and new == "%%" and len(args) == 2:
                return SAFE
            if old is not None and "%" not in old:
                return combine([self._eval(receiver, env), self._eval(args[1].value, env)])
        return self._unsafe(Reason.CALL, node, "{} does not escape every '%' as '%%'")


def _added_operands(node: cst.BinaryOperation) -> list[cst.BaseExpression]:
    """`a + b + c` as [a, b, c] (iteratively: long chains nest to the left)."""
    operands: list[cst.BaseExpression] = []
    current: cst.BaseExpression = node
    while (
        isinstance(current, cst.BinaryOperation)
        and isinstance(current.operator, cst.Add)
        and not current.lpar
    ):
        operands.append(current.right)
        current = current.left
    operands.append(current)
    operands.reverse()
    return operands


def _bind_arguments(
    function: cst.FunctionDef, call: cst.Call, env: Env
) -> tuple[dict[str, tuple[cst.BaseExpression, Env]], bool]:
    positional = [*function.params.posonly_params, *function.params.params]
    arguments: dict[str, tuple[cst.BaseExpression, Env]] = {}
    index = 0
    complete = True
    for arg in call.args:
        if arg.star:
            complete = False
        elif arg.keyword is not None:
            arguments[arg.keyword.value] = (arg.value, env)
        elif complete and index < len(positional):
            arguments[positional[index].name.value] = (arg.value, env)
            index += 1
    return arguments, complete


def _is_url_factory(qualified: str) -> bool:
    """SQLAlchemy `URL.create`/`make_url` and pydantic `*Dsn.build`/`*Url.build`: they encode."""
    parts = qualified.split(".")
    if parts[-1] == "make_url":
        return True
    if len(parts) < 2:
        return False
    owner, method = parts[-2], parts[-1]
    if owner == "URL" and method == "create":
        return True
    return method == "build" and owner.endswith(("Dsn", "Url"))


_BINARY_OPERATORS: Mapping[type[cst.CSTNode], str] = {
    cst.Add: "+",
    cst.Modulo: "%",
    cst.Divide: "/",
}
_AUGMENTED_OPERATORS: Mapping[type[cst.CSTNode], str] = {
    cst.AddAssign: "+",
    cst.ModuloAssign: "%",
    cst.DivideAssign: "/",
}
