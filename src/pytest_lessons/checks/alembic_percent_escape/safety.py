"""Whether a Python value provably reaches configparser without a `%` it would reject.

`alembic-percent-escape` asks one question of the value handed to `set_main_option`: can it hold a
`%` that is neither `%%` nor a `%(name)s` reference? Proving "no" needs more than the call's
argument: the value usually comes through a variable, a helper function or an f-string, which
`flow` (pass 1) binds. `ValueSafety` (pass 2) judges an expression under those bindings: literals
by configparser's own test, `.replace("%", "%%")` as the fix, local helpers by their return
values, a private helper's parameter by what its callers in the module pass, paths (`__file__`,
`os.path`, `pathlib`, `tempfile`) as paths only when everything that goes into them is safe, and
URL encoding as the opposite of a fix (it is what produces `%2B`).

Anything it cannot read is unsafe: the check only ever claims safety it can show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from pytest_lessons.checks.alembic_percent_escape.flow import (
    Binding,
    BindingKind,
    Env,
    ModuleFlow,
    Scope,
    all_params,
    is_private,
    literal_text,
)
from pytest_lessons.checks.alembic_percent_escape.verdicts import (
    SAFE,
    STRONG_REASONS,
    Reason,
    Safety,
    Verdict,
    combine,
    interpolation_rejects,
)

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
        text = literal_text(node)
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
        if not is_private(name) or name in self._flow.referenced or id(scope) in self._expanding:
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
            text = literal_text(node)
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
        has_parameters = bool(all_params(function.params))
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
