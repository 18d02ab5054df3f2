"""The Python half of `env-example-complete` read with the standard library's `ast`: the fast path.

libcst with position metadata cost most of this lesson's time on a large service (polar: a
position pass and a visit per module that reads the environment); `ast` reads the same facts in
a fraction. The facts must not depend on the reader, so this module walks the `ast` tree in the
order libcst visits its nodes (`children_in_source_order`, parents before children) and reads it
the way `python_cst` reads libcst's, where the two trees differ:

- `None`, `True`, `False` and `...` are constants, not names (`ast_dotted` names the first three
  as libcst does); implicitly concatenated literals are one constant in both readings.
- `ast` keeps a call's positional and keyword arguments apart, and a boolean chain flat
  (`a or b or c`); libcst keeps the written order and nests each operator.
- `del a, b` is one tuple target in libcst, two in `ast`: neither marks the items as written.
- A class body written on the `class` line (`class A(B): x: int = 1`) is a one-line suite libcst
  does not read fields from.
- Columns are characters (`AstSource.position`); class and field names are the text written.

`ast_python_facts` raises what `ast.parse` raises for a module the running interpreter cannot
parse; the caller then reads it with `python_cst`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from pytest_lessons.checks.env_example_complete.python_facts import (
    PythonFacts,
    SettingsClass,
    SettingsField,
)
from pytest_lessons.checks.env_example_complete.reads import (
    CONFIG_CLASSES,
    CONFIG_FUNCTIONS,
    EnvRead,
)
from pytest_lessons.lang.python.ast_source import (
    AstSource,
    Parsed,
    children_in_source_order,
    parsed,
)
from pytest_lessons.lang.python.routes.ast_syntax import (
    ast_arguments_by_parameter,
    ast_callee,
    ast_dotted,
    ast_string,
)

__all__ = ["ast_python_facts"]

_ENVIRON = "os.environ"
_GETTERS = frozenset({"os.getenv", "os.environ.get"})
_ALIAS_FACTORIES = frozenset({"AliasChoices", "AliasPath"})
_CONFIG_FACTORIES = frozenset({"SettingsConfigDict", "ConfigDict", "dict"})
_NOT_MODEL_TYPES = frozenset(
    {
        "Optional",
        "Union",
        "List",
        "Dict",
        "Set",
        "Tuple",
        "Literal",
        "Annotated",
        "ClassVar",
        "SecretStr",
        "SecretBytes",
        "Path",
        "Any",
    }
)
_CLASS_NAME = re.compile(r"class[ \t\f]+(\w+)")


def _last(name: str | None) -> str | None:
    return name.rsplit(".", 1)[-1] if name is not None else None


def _unstarred(node: ast.expr) -> ast.expr:
    """libcst keeps the star of `*x` on the element or argument, around the same expression."""
    return node.value if isinstance(node, ast.Starred) else node


def _real_default(node: ast.AST) -> bool:
    """Whether a fallback is a real default; `None` and `""` mean "unset, silently off"."""
    if isinstance(node, ast.Constant) and node.value is None:
        return False
    return ast_string(node) != ""


_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_RESPONDING = frozenset({"jsonify", "abort", "make_response", "redirect", "HTTPException"})


def _function_blocks(body: list[ast.stmt]) -> Iterator[list[ast.stmt]]:
    """Every statement list of a function body, nested blocks included, not nested functions."""
    pending = [body]
    while pending:
        block = pending.pop()
        yield block
        for statement in block:
            if isinstance(statement, (ast.If, ast.For, ast.AsyncFor, ast.While)):
                pending.extend(b for b in (statement.body, statement.orelse) if b)
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                pending.append(statement.body)
            elif isinstance(statement, ast.Try):
                pending.extend(
                    b
                    for b in (
                        statement.body,
                        *(handler.body for handler in statement.handlers),
                        statement.orelse,
                        statement.finalbody,
                    )
                    if b
                )


def _falls_back(body: list[ast.stmt]) -> bool:
    """Whether an `if` body does nothing but return a real default that is no response."""
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return False
    value = body[0].value
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call):
        callee = ast_dotted(value.func) or ""
        last = callee.rsplit(".", 1)[-1]
        if "Response" in last or last in _RESPONDING:
            return False
    return _real_default(value)


def _next_return_real(statements: list[ast.stmt]) -> bool:
    """Whether the first `return` among `statements` returns a real value."""
    for statement in statements:
        if isinstance(statement, ast.Return):
            return statement.value is not None and _real_default(statement.value)
    return False


def ast_python_facts(module: Parsed) -> PythonFacts:
    """The module's facts; raises what `ast.parse` raises when `module` is text it rejects."""
    tree, source = parsed(module)
    collector = _Collector(source)
    collector.walk(tree)
    reads = [
        read.model_copy(
            update={"alternatives": (*read.alternatives, *sorted(collector.copies[read.name]))}
        )
        if read.name in collector.copies
        else read
        for read in collector.reads
    ]
    return PythonFacts(
        reads=reads,
        classes=collector.classes,
        imports=collector.imports,
        called=sorted(collector.called),
    )


class _Collector:
    """`python_cst`'s collector, fed the nodes of an `ast` tree in libcst's visit order."""

    def __init__(self, source: AstSource) -> None:
        self.source = source
        self.reads: list[EnvRead] = []
        self.classes: list[SettingsClass] = []
        self.imports: dict[str, str] = {}
        self.called: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.written: set[int] = set()
        self.copies: dict[str, set[str]] = {}
        self.fallbacks: dict[int, tuple[list[str], bool]] = {}
        self.in_chain: set[int] = set()
        self.constants: dict[str, str] = {}
        self.guarded: set[int] = set()
        self.config_readers: dict[str, tuple[str, ...]] = {}

    def walk(self, tree: ast.Module) -> None:
        pending: list[ast.AST] = [tree]
        while pending:
            node = pending.pop()
            kind = type(node)
            if kind is ast.Call:
                self._call(node)  # type: ignore[arg-type]
            elif kind is ast.Subscript:
                self._subscript(node)  # type: ignore[arg-type]
            elif kind is ast.Assign:
                self._assign(node)  # type: ignore[arg-type]
            elif kind is ast.BoolOp:
                self._bool_op(node)  # type: ignore[arg-type]
            elif kind is ast.IfExp:
                self._if_exp(node)  # type: ignore[arg-type]
            elif kind is ast.Compare:
                self._compare(node)  # type: ignore[arg-type]
            elif kind is ast.AugAssign:
                self.written.add(id(node.target))  # type: ignore[attr-defined]
            elif kind is ast.Delete:
                targets = node.targets  # type: ignore[attr-defined]
                if len(targets) == 1:  # `del a, b` is one tuple target in libcst
                    self.written.add(id(targets[0]))
            elif kind is ast.Import:
                self._import(node)  # type: ignore[arg-type]
            elif kind is ast.ImportFrom:
                self._import_from(node)  # type: ignore[arg-type]
            elif kind is ast.ClassDef:
                self._class(node)  # type: ignore[arg-type]
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self._statement_guards(node.body)  # type: ignore[attr-defined]
            pending.extend(reversed(list(children_in_source_order(node))))

    def _canonical(self, node: ast.AST) -> str | None:
        name = ast_dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        base = self.aliases.get(head)
        if base is None:
            return name if head == "os" else None
        return f"{base}.{rest}" if rest else base

    # imports

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "os" and alias.asname is not None:
                self.aliases[alias.asname] = "os"

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                return
            local = alias.asname if alias.asname is not None else alias.name
            self.imports[local] = f"{module}.{alias.name}"
            if module == "os" and alias.name in ("environ", "getenv"):
                self.aliases[local] = f"os.{alias.name}"

    # writes

    def _assign(self, node: ast.Assign) -> None:
        literal = ast_string(node.value)
        made = ast_callee(node.value)
        reader = CONFIG_CLASSES.get(self.imports.get(made, "")) if made is not None else None
        for target in node.targets:
            if literal is not None and isinstance(target, ast.Name):
                self.constants.setdefault(target.id, literal)
            if reader is not None and isinstance(target, ast.Name):
                self.config_readers[target.id] = reader  # `config = Config(".env")`
            self.written.add(id(target))
            copied_into = self._env_key(target)
            source = self._env_name(node.value)
            if copied_into is not None and source is not None:
                self.copies.setdefault(source, set()).add(copied_into)

    # reads

    def _env_key(self, node: ast.AST) -> str | None:
        """`X` for `os.environ["X"]`."""
        if not isinstance(node, ast.Subscript) or self._canonical(node.value) != _ENVIRON:
            return None
        key = node.slice
        if isinstance(key, (ast.Slice, ast.Tuple)):
            return None
        return ast_string(_unstarred(key)) or None

    def _env_name(self, node: ast.AST | None) -> str | None:
        """The variable an expression reads, when it is one literal env read."""
        if node is None:
            return None
        key = self._env_key(node)
        if key is not None:
            return key
        if isinstance(node, ast.Call) and self._canonical(node.func) in _GETTERS:
            return ast_string(ast_arguments_by_parameter(node, ("key", "default")).get("key"))
        return None

    def _chain(self, node: ast.AST | None) -> tuple[list[str], bool]:
        """Env variables in a fallback expression, and whether it ends in a real default."""
        if node is None:
            return [], False
        name = self._env_name(node)
        if name is not None:
            names, defaulted = [name], False
            if isinstance(node, ast.Call):
                default = ast_arguments_by_parameter(node, ("key", "default")).get("default")
                more, defaulted = self._chain(default)
                names.extend(more)
            return names, defaulted
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            names, defaulted = [], False
            for value in node.values:
                more, real = self._chain(value)
                names.extend(more)
                defaulted = defaulted or real
            return names, defaulted
        return [], _real_default(node)

    def _bool_op(self, node: ast.BoolOp) -> None:
        """`os.getenv("A") or os.getenv("B") or "d"`: each read falls back on what follows."""
        if not isinstance(node.op, ast.Or) or id(node) in self.in_chain:
            return
        operands: list[ast.expr] = []

        def flatten(expression: ast.expr) -> None:
            if isinstance(expression, ast.BoolOp) and isinstance(expression.op, ast.Or):
                self.in_chain.add(id(expression))
                for value in expression.values:
                    flatten(value)
            else:
                operands.append(expression)

        flatten(node)
        for index, operand in enumerate(operands):
            if self._env_name(operand) is None:
                continue
            names: list[str] = []
            defaulted = False
            for later in operands[index + 1 :]:
                more, real = self._chain(later)
                names.extend(more)
                defaulted = defaulted or real
            self.fallbacks[id(operand)] = (names, defaulted)

    def _if_exp(self, node: ast.IfExp) -> None:
        """`os.environ["X"].rstrip("/") if os.environ.get("X") else "/"`: the variable is read
        only when it is set, with a real default otherwise (`X or "/"` in another form)."""
        name = self._env_name(node.test)
        if name is None or not _real_default(node.orelse):
            return
        self.guarded.add(id(node.test))
        for inner in ast.walk(node.body):
            if self._env_name(inner) == name:
                self.guarded.add(id(inner))

    def _statement_guards(self, body: list[ast.stmt]) -> None:
        """`if not os.getenv("X"): return fallback` (the statement form of `X or fallback`):
        every read of X after it in the function is defaulted; and `if "X" in os.environ:
        return os.environ["X"]` followed by `return <real value>`: the reads in the `if` are.
        A fallback of `None`, `""` or nothing, a response (`JSONResponse(...)`, `abort(...)`)
        or a `raise` is no default. (`python_cst`'s `visit_FunctionDef` reads the same on
        libcst's tree.)"""
        for block in _function_blocks(body):
            for index, statement in enumerate(block):
                if not isinstance(statement, ast.If) or statement.orelse:
                    continue
                tested = self._tested(statement.test)
                if tested is None:
                    continue
                name, negated = tested
                if negated and _falls_back(statement.body):
                    self._guard([statement.test, *block[index + 1 :]], name)
                elif (
                    not negated
                    and isinstance(statement.body[-1], ast.Return)
                    and _next_return_real(block[index + 1 :])
                ):
                    self._guard([statement.test, *statement.body], name)

    def _tested(self, test: ast.expr) -> tuple[str, bool] | None:
        """The variable an `if` tests for being set, and whether the test is negated."""
        negated = False
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test, negated = test.operand, True
        name = self._env_name(test)
        if name is not None:
            return name, negated
        checked = self._environ_test(test)
        if checked is None:
            return None
        name, absent = checked  # `"X" not in os.environ` tests for its absence
        return name, negated != absent

    def _environ_test(self, node: ast.AST) -> tuple[str, bool] | None:
        """(X, False) for `"X" in os.environ`, (X, True) for `"X" not in os.environ`."""
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            return None
        if not isinstance(node.ops[0], (ast.In, ast.NotIn)):
            return None
        if self._canonical(node.comparators[0]) != _ENVIRON:
            return None
        name = ast_string(node.left)
        return (name, isinstance(node.ops[0], ast.NotIn)) if name else None

    def _guard(self, nodes: list[ast.AST], name: str) -> None:
        pending = list(nodes)
        while pending:
            node = pending.pop()
            if isinstance(node, _NESTED_SCOPES):
                continue
            checked = self._environ_test(node)
            if self._env_name(node) == name or (checked is not None and checked[0] == name):
                self.guarded.add(id(node))
            pending.extend(ast.iter_child_nodes(node))

    def _subscript(self, node: ast.Subscript) -> None:
        if id(node) in self.written:
            return
        name = self._env_key(node)
        if name:
            self._read(node, name, "os.environ[...]", defaulted=False)

    def _call(self, node: ast.Call) -> None:
        callee = ast_dotted(node.func)
        if callee is not None:
            last = callee.rsplit(".", 1)[-1]
            if last[:1].isupper():
                self.called.add(last)
        canonical = self._canonical(node.func)
        if canonical not in _GETTERS:
            if callee is not None:
                self._config_call(node, callee)
            return
        arguments = ast_arguments_by_parameter(node, ("key", "default"))
        name = ast_string(arguments.get("key"))
        if name:
            alternatives, defaulted = self._chain(arguments.get("default"))
            self._read(node, name, canonical or "", defaulted=defaulted, alternatives=alternatives)

    def _config_call(self, node: ast.Call, callee: str) -> None:
        """`config("X", default=...)` of python-decouple, or of a Starlette `Config`."""
        parameters = self.config_readers.get(callee) or CONFIG_FUNCTIONS.get(
            self.imports.get(callee, callee)
        )
        if parameters is None:
            return
        arguments = ast_arguments_by_parameter(node, parameters)
        name = ast_string(arguments.get(parameters[0]))
        if name:
            default = arguments.get("default")
            defaulted = default is not None and _real_default(default)
            self._read(node, name, f"{callee}(...)", defaulted=defaulted)

    def _compare(self, node: ast.Compare) -> None:
        checked = self._environ_test(node)
        if checked is not None:
            self._read(node, checked[0], "a check `in os.environ`", defaulted=False)

    def _read(
        self,
        node: ast.AST,
        name: str,
        via: str,
        *,
        defaulted: bool,
        alternatives: list[str] | tuple[str, ...] = (),
    ) -> None:
        chained, chain_default = self.fallbacks.get(id(node), ([], False))
        line, column, end_line, end_column = self.source.position(node)
        self.reads.append(
            EnvRead(
                name=name,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                via=via,
                defaulted=defaulted or chain_default or id(node) in self.guarded,
                alternatives=tuple(
                    dict.fromkeys(a for a in (*alternatives, *chained) if a != name)
                ),
            )
        )

    # settings classes

    def _class(self, node: ast.ClassDef) -> None:
        bases = tuple(
            name for name in (ast_dotted(_unstarred(base)) for base in node.bases) if name
        )
        if not bases:
            return
        case_sensitive: bool | None = None
        config: dict[str, ast.expr] = {
            keyword.arg: keyword.value for keyword in node.keywords if keyword.arg is not None
        }
        fields: list[SettingsField] = []
        style: str | None = "class keywords" if config else None
        for statement in _indented_body(node, self.source):
            if isinstance(statement, ast.ClassDef) and statement.name == "Config":
                config.update(_v1_config(statement, self.source))
                style = "class Config"
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if ast_dotted(target) == "model_config":
                        config.update(_config_entries(statement.value))
                        style = "model_config"
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                field_name = self.source.segment(statement.target)
                if field_name == "model_config":
                    if statement.value is not None:
                        config.update(_config_entries(statement.value))
                        style = "model_config"
                    continue
                field = self._field(field_name, statement)
                if field is not None:
                    fields.append(field)
        prefix_node = config.get("env_prefix")
        prefix = ast_string(prefix_node)
        if prefix is None and isinstance(prefix_node, ast.Name):
            prefix = self.constants.get(prefix_node.id)
        static_prefix = "env_prefix" not in config or prefix is not None
        delimiter = ast_string(config.get("env_nested_delimiter"))
        v1_fields = _v1_fields(config.get("fields"))
        if v1_fields:
            fields = [
                field.model_copy(update={"aliases": v1_fields[field.name], "alias_keyword": "env"})
                if field.name in v1_fields and not field.aliases
                else field
                for field in fields
            ]
        sensitive = config.get("case_sensitive")
        if isinstance(sensitive, ast.Constant) and type(sensitive.value) is bool:
            case_sensitive = sensitive.value
        name, line, column, end_column = self._class_name(node)
        self.classes.append(
            SettingsClass(
                name=name,
                line=line,
                column=column,
                end_line=line,
                end_column=end_column,
                bases=bases,
                env_prefix=prefix,
                case_sensitive=case_sensitive,
                nested_delimiter=delimiter or None,
                prefix_is_static=static_prefix,
                config_style=style if "env_prefix" in config else None,
                fields=tuple(fields),
            )
        )

    def _class_name(self, node: ast.ClassDef) -> tuple[str, int, int, int]:
        """The class name as written, and where: `ast` gives the `class` keyword's place only."""
        line = node.lineno
        text = self.source.lines[line - 1] if line <= len(self.source.lines) else ""
        start = self.source.column(line, node.col_offset)
        found = _CLASS_NAME.match(text, start)
        if found is None:  # `class \` continued on the next line: not worth a tokenizer
            return node.name, line, start + 1, start + 1 + len(node.name)
        return found.group(1), line, found.start(1) + 1, found.end(1) + 1

    def _field(self, name: str, node: ast.AnnAssign) -> SettingsField | None:
        if name.startswith("_"):
            return None
        annotation = node.annotation
        type_names = tuple(_annotation_names(annotation))
        if "ClassVar" in type_names:
            return None
        value = node.value
        defaulted = value is not None and _real_default(value)
        aliases: tuple[str, ...] = ()
        alias_keyword: str | None = None
        if isinstance(value, ast.Call) and _last(ast_dotted(value.func)) == "Field":
            arguments = ast_arguments_by_parameter(value, ("default",))
            default = arguments.get("default")
            defaulted = (
                default is not None
                and not (isinstance(default, ast.Constant) and default.value is Ellipsis)
                and _real_default(default)
            ) or "default_factory" in arguments
            for keyword in ("validation_alias", "alias", "env"):
                if keyword in arguments:
                    aliases = tuple(_alias_names(arguments[keyword]))
                    if aliases:
                        alias_keyword = keyword
                        break
        if isinstance(annotation, ast.Subscript) and _last(ast_dotted(annotation.value)) == (
            "Annotated"
        ):
            # Annotated[str, Field(alias="X")]
            for inner in _subscript_elements(annotation)[1:]:
                if isinstance(inner, ast.Call) and _last(ast_dotted(inner.func)) == "Field":
                    arguments = ast_arguments_by_parameter(inner, ())
                    for keyword in ("validation_alias", "alias", "env"):
                        if keyword in arguments and not aliases:
                            aliases = tuple(_alias_names(arguments[keyword]))
                            alias_keyword = keyword if aliases else None
        line, column, end_line, end_column = self.source.position(node.target)
        return SettingsField(
            name=name,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            defaulted=defaulted,
            aliases=aliases,
            alias_keyword=alias_keyword,
            type_names=tuple(t for t in type_names if t not in _NOT_MODEL_TYPES),
        )


def _indented_body(node: ast.ClassDef, source: AstSource) -> list[ast.stmt]:
    """The class body, or nothing for one written on the `class` line (libcst's one-line
    suite, which the libcst reader does not look into)."""
    first = node.body[0]
    before = source.lines[first.lineno - 1][: source.column(first.lineno, first.col_offset)]
    return node.body if not before.strip() else []


def _subscript_elements(node: ast.Subscript) -> list[ast.expr]:
    """The index expressions of `X[a, b]` as libcst lists them (`a`, `b`); slices left out."""
    key = node.slice
    items = key.elts if isinstance(key, ast.Tuple) else [key]
    return [_unstarred(item) for item in items if not isinstance(item, ast.Slice)]


def _alias_names(node: ast.expr) -> Iterator[str]:
    """`"X"`, `AliasChoices("X", "Y")`, `AliasPath("X", 0)` (its first step), v1 `["X", "Y"]`."""
    text = ast_string(node)
    if text:
        yield text
        return
    if isinstance(node, ast.Call) and _last(ast_dotted(node.func)) in _ALIAS_FACTORIES:
        is_path = _last(ast_dotted(node.func)) == "AliasPath"
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                continue
            if isinstance(argument, ast.Call):
                yield from _alias_names(argument)
            else:
                choice = ast_string(argument)
                if choice:
                    yield choice
            if is_path:
                return
        return
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for element in node.elts:
            choice = ast_string(_unstarred(element))
            if choice:
                yield choice


def _annotation_names(node: ast.expr) -> Iterator[str]:
    if isinstance(node, (ast.Name, ast.Attribute)) or (
        isinstance(node, ast.Constant) and (node.value is None or type(node.value) is bool)
    ):
        name = _last(ast_dotted(node))
        if name is not None:
            yield name
    elif isinstance(node, ast.Subscript):
        yield from _annotation_names(node.value)
        for element in _subscript_elements(node):
            yield from _annotation_names(element)
    elif isinstance(node, ast.BinOp):
        yield from _annotation_names(node.left)
        yield from _annotation_names(node.right)
    else:
        text = ast_string(node)
        if text and text.isidentifier():
            yield text


def _config_entries(node: ast.expr) -> dict[str, ast.expr]:
    """`SettingsConfigDict(env_prefix=...)`, `ConfigDict(...)`, `dict(...)` or a dict literal."""
    entries: dict[str, ast.expr] = {}
    if isinstance(node, ast.Call) and _last(ast_dotted(node.func)) in _CONFIG_FACTORIES:
        for keyword in node.keywords:
            if keyword.arg is not None:
                entries[keyword.arg] = keyword.value
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            text = ast_string(key)
            if text:
                entries[text] = value
    return entries


def _v1_config(node: ast.ClassDef, source: AstSource) -> dict[str, ast.expr]:
    """`class Config: env_prefix = "APP_"` (pydantic v1, still accepted by many codebases)."""
    entries: dict[str, ast.expr] = {}
    for statement in _indented_body(node, source):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                entries[target.id] = statement.value
        elif (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.value is not None
        ):
            entries[statement.target.id] = statement.value
    return entries


def _v1_fields(node: ast.expr | None) -> dict[str, tuple[str, ...]]:
    """pydantic v1 `Config.fields = {"name": "ENV"}` or `{"name": {"env": ["A", "B"]}}`."""
    found: dict[str, tuple[str, ...]] = {}
    if not isinstance(node, ast.Dict):
        return found
    for key, entry in zip(node.keys, node.values, strict=True):
        if key is None:
            continue
        field = ast_string(key)
        value: ast.expr | None = entry
        if isinstance(value, ast.Dict):
            value = next(
                (
                    inner
                    for inner_key, inner in zip(value.keys, value.values, strict=True)
                    if inner_key is not None and ast_string(inner_key) == "env"
                ),
                None,
            )
        names = tuple(_alias_names(value)) if value is not None else ()
        if field and names:
            found[field] = names
    return found
