"""The Python half of `env-example-complete` read with libcst (see `python` for what it reads)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

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
from pytest_lessons.errors import too_deep_to_analyse
from pytest_lessons.lang.python.syntax import arguments_by_parameter, dotted_name, string_value
from pytest_lessons.source import SourceFile

__all__ = ["cst_python_facts"]


_ENVIRON = "os.environ"
_GETTERS = frozenset({"os.getenv", "os.environ.get"})
"""`os.environ.setdefault` is left out: it sets the variable (`DJANGO_SETTINGS_MODULE` in
`manage.py`), it does not depend on it."""
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


def cst_python_facts(file: SourceFile) -> PythonFacts:
    wrapper = file.python_metadata()
    positions = wrapper.resolve(PositionProvider)
    collector = _PythonCollector(positions)
    try:
        wrapper.module.visit(collector)
    except RecursionError:
        raise too_deep_to_analyse() from None
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


class _PythonCollector(cst.CSTVisitor):
    def __init__(self, positions: object) -> None:
        self.positions = positions
        self.reads: list[EnvRead] = []
        self.classes: list[SettingsClass] = []
        self.imports: dict[str, str] = {}
        self.called: set[str] = set()
        self.aliases: dict[str, str] = {}
        """Local name -> the `os` name it stands for (`os`, `os.environ`, `os.getenv`)."""
        self.written: set[int] = set()
        self.copies: dict[str, set[str]] = {}
        """`os.environ["Y"] = os.environ["X"]`: X -> {Y}."""
        self.fallbacks: dict[int, tuple[list[str], bool]] = {}
        self.in_chain: set[int] = set()
        self.constants: dict[str, str] = {}
        """`ENV_PREFIX = "FIDES__SECURITY__"`: string constants a settings config may name."""
        self.guarded: set[int] = set()
        """Reads made only when the variable is set, with a real default otherwise."""
        self.config_readers: dict[str, tuple[str, ...]] = {}
        """`config = Config(".env")`: config -> the parameters of a call of it."""

    def _range(self, node: cst.CSTNode) -> CodeRange:
        found: CodeRange = self.positions[node]  # type: ignore[index]
        return found

    def _canonical(self, node: cst.CSTNode) -> str | None:
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        base = self.aliases.get(head)
        if base is None:
            return name if head == "os" else None
        return f"{base}.{rest}" if rest else base

    # imports

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if dotted_name(alias.name) == "os" and alias.asname is not None:
                target = alias.asname.name
                if isinstance(target, cst.Name):
                    self.aliases[target.value] = "os"

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None else ""
        module = "." * len(node.relative) + (module or "")
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            imported = dotted_name(alias.name)
            if imported is None:
                continue
            local = imported
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.imports[local] = f"{module}.{imported}"
            if module == "os" and imported in ("environ", "getenv"):
                self.aliases[local] = f"os.{imported}"

    # writes

    def visit_Assign(self, node: cst.Assign) -> None:
        literal = string_value(node.value)
        made = dotted_name(node.value.func) if isinstance(node.value, cst.Call) else None
        reader = CONFIG_CLASSES.get(self.imports.get(made, "")) if made is not None else None
        for target in node.targets:
            if literal is not None and isinstance(target.target, cst.Name):
                self.constants.setdefault(target.target.value, literal)
            if reader is not None and isinstance(target.target, cst.Name):
                self.config_readers[target.target.value] = reader  # `config = Config(".env")`
            self.written.add(id(target.target))
            copied_into = self._env_key(target.target)
            source = self._env_name(node.value)
            if copied_into is not None and source is not None:
                self.copies.setdefault(source, set()).add(copied_into)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.written.add(id(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        self.written.add(id(node.target))

    # reads

    def _env_key(self, node: cst.CSTNode) -> str | None:
        """`X` for `os.environ["X"]`."""
        if not isinstance(node, cst.Subscript) or self._canonical(node.value) != _ENVIRON:
            return None
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        return string_value(node.slice[0].slice.value) or None

    def _env_name(self, node: cst.CSTNode | None) -> str | None:
        """The variable an expression reads, when it is one literal env read."""
        if node is None:
            return None
        key = self._env_key(node)
        if key is not None:
            return key
        if isinstance(node, cst.Call) and self._canonical(node.func) in _GETTERS:
            return string_value(arguments_by_parameter(node, ("key", "default")).get("key"))
        return None

    def _chain(self, node: cst.BaseExpression | None) -> tuple[list[str], bool]:
        """Env variables in a fallback expression, and whether it ends in a real default."""
        if node is None:
            return [], False
        name = self._env_name(node)
        if name is not None:
            names, defaulted = [name], False
            if isinstance(node, cst.Call):
                more, defaulted = self._chain(
                    arguments_by_parameter(node, ("key", "default")).get("default")
                )
                names.extend(more)
            return names, defaulted
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            left, left_default = self._chain(node.left)
            right, right_default = self._chain(node.right)
            return left + right, left_default or right_default
        return [], _real_python_default(node)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        """`os.getenv("A") or os.getenv("B") or "d"`: each read falls back on what follows."""
        if not isinstance(node.operator, cst.Or) or id(node) in self.in_chain:
            return
        operands: list[cst.BaseExpression] = []

        def flatten(expression: cst.BaseExpression) -> None:
            if isinstance(expression, cst.BooleanOperation) and isinstance(
                expression.operator, cst.Or
            ):
                self.in_chain.add(id(expression))
                flatten(expression.left)
                flatten(expression.right)
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

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """`if not os.getenv("X"): return fallback` and its kin (`python_ast`'s
        `_statement_guards`, on libcst's tree)."""
        for block in _function_blocks(node.body):
            for index, statement in enumerate(block):
                if not isinstance(statement, cst.If) or statement.orelse is not None:
                    continue
                tested = self._tested(statement.test)
                if tested is None:
                    continue
                name, negated = tested
                body = _statements(statement.body)
                if negated and _falls_back(body):
                    self._guard([statement.test, *block[index + 1 :]], name)
                elif (
                    not negated
                    and body
                    and isinstance(body[-1], cst.Return)
                    and _next_return_real(block[index + 1 :])
                ):
                    self._guard([statement.test, *body], name)

    def _tested(self, test: cst.BaseExpression) -> tuple[str, bool] | None:
        negated = False
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test, negated = test.expression, True
        name = self._env_name(test)
        if name is not None:
            return name, negated
        checked = self._environ_test(test)
        if checked is None:
            return None
        name, absent = checked  # `"X" not in os.environ` tests for its absence
        return name, negated != absent

    def _environ_test(self, node: cst.CSTNode) -> tuple[str, bool] | None:
        """(X, False) for `"X" in os.environ`, (X, True) for `"X" not in os.environ`."""
        if not isinstance(node, cst.Comparison) or len(node.comparisons) != 1:
            return None
        target = node.comparisons[0]
        if not isinstance(target.operator, (cst.In, cst.NotIn)):
            return None
        if self._canonical(target.comparator) != _ENVIRON:
            return None
        name = string_value(node.left)
        return (name, isinstance(target.operator, cst.NotIn)) if name else None

    def _guard(self, nodes: Sequence[cst.CSTNode], name: str) -> None:
        pending = list(nodes)
        while pending:
            node = pending.pop()
            if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                continue
            checked = self._environ_test(node)
            if self._env_name(node) == name or (checked is not None and checked[0] == name):
                self.guarded.add(id(node))
            pending.extend(node.children)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        """`os.environ["X"].rstrip("/") if os.environ.get("X") else "/"`: the variable is read
        only when it is set, with a real default otherwise (`X or "/"` in another form)."""
        name = self._env_name(node.test)
        if name is None or not _real_python_default(node.orelse):
            return
        self.guarded.add(id(node.test))
        pending: list[cst.CSTNode] = [node.body]
        while pending:
            inner = pending.pop()
            if self._env_name(inner) == name:
                self.guarded.add(id(inner))
            pending.extend(inner.children)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if id(node) in self.written:
            return
        name = self._env_key(node)
        if name:
            self._read(node, name, "os.environ[...]", defaulted=False)

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee is not None:
            last = callee.rsplit(".", 1)[-1]
            if last[:1].isupper():
                self.called.add(last)
        canonical = self._canonical(node.func)
        if canonical not in _GETTERS:
            if callee is not None:
                self._config_call(node, callee)
            return
        arguments = arguments_by_parameter(node, ("key", "default"))
        name = string_value(arguments.get("key"))
        if name:
            alternatives, defaulted = self._chain(arguments.get("default"))
            self._read(node, name, canonical or "", defaulted=defaulted, alternatives=alternatives)

    def _config_call(self, node: cst.Call, callee: str) -> None:
        """`config("X", default=...)` of python-decouple, or of a Starlette `Config`."""
        parameters = self.config_readers.get(callee) or CONFIG_FUNCTIONS.get(
            self.imports.get(callee, callee)
        )
        if parameters is None:
            return
        arguments = arguments_by_parameter(node, parameters)
        name = string_value(arguments.get(parameters[0]))
        if name:
            default = arguments.get("default")
            defaulted = default is not None and _real_python_default(default)
            self._read(node, name, f"{callee}(...)", defaulted=defaulted)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        checked = self._environ_test(node)
        if checked is not None:
            self._read(node, checked[0], "a check `in os.environ`", defaulted=False)

    def _read(
        self,
        node: cst.CSTNode,
        name: str,
        via: str,
        *,
        defaulted: bool,
        alternatives: Sequence[str] = (),
    ) -> None:
        chained, chain_default = self.fallbacks.get(id(node), ([], False))
        where = self._range(node)
        self.reads.append(
            EnvRead(
                name=name,
                line=where.start.line,
                column=where.start.column + 1,
                end_line=where.end.line,
                end_column=where.end.column + 1,
                via=via,
                defaulted=defaulted or chain_default or id(node) in self.guarded,
                alternatives=tuple(
                    dict.fromkeys(a for a in (*alternatives, *chained) if a != name)
                ),
            )
        )

    # settings classes

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = tuple(
            name
            for name in (dotted_name(arg.value) for arg in node.bases if arg.keyword is None)
            if name is not None
        )
        if not bases:
            return
        prefix: str | None = None
        case_sensitive: bool | None = None
        delimiter: str | None = None
        config: dict[str, cst.BaseExpression] = {
            arg.keyword.value: arg.value
            for arg in (*node.bases, *node.keywords)
            if arg.keyword is not None
        }
        fields: list[SettingsField] = []
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        style: str | None = "class keywords" if config else None
        for statement in body:
            if isinstance(statement, cst.ClassDef) and statement.name.value == "Config":
                config.update(_v1_config(statement))
                style = "class Config"
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        if dotted_name(target.target) == "model_config":
                            config.update(_config_entries(small.value))
                            style = "model_config"
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    field_name = small.target.value
                    if field_name == "model_config":
                        if small.value is not None:
                            config.update(_config_entries(small.value))
                            style = "model_config"
                        continue
                    field = self._field(field_name, small)
                    if field is not None:
                        fields.append(field)
        prefix_node = config.get("env_prefix")
        prefix = string_value(prefix_node)
        if prefix is None and isinstance(prefix_node, cst.Name):
            prefix = self.constants.get(prefix_node.value)
        static_prefix = "env_prefix" not in config or prefix is not None
        delimiter = string_value(config.get("env_nested_delimiter"))
        v1_fields = _v1_fields(config.get("fields"))
        if v1_fields:
            fields = [
                field.model_copy(update={"aliases": v1_fields[field.name], "alias_keyword": "env"})
                if field.name in v1_fields and not field.aliases
                else field
                for field in fields
            ]
        sensitive = config.get("case_sensitive")
        if isinstance(sensitive, cst.Name) and sensitive.value in ("True", "False"):
            case_sensitive = sensitive.value == "True"
        where = self._range(node.name)
        self.classes.append(
            SettingsClass(
                name=node.name.value,
                line=where.start.line,
                column=where.start.column + 1,
                end_line=where.end.line,
                end_column=where.end.column + 1,
                bases=bases,
                env_prefix=prefix,
                case_sensitive=case_sensitive,
                nested_delimiter=delimiter or None,
                prefix_is_static=static_prefix,
                config_style=style if "env_prefix" in config else None,
                fields=tuple(fields),
            )
        )

    def _field(self, name: str, node: cst.AnnAssign) -> SettingsField | None:
        if name.startswith("_"):
            return None
        annotation = node.annotation.annotation
        type_names = tuple(_annotation_names(annotation))
        if "ClassVar" in type_names:
            return None
        value = node.value
        defaulted = value is not None and _real_python_default(value)
        aliases: tuple[str, ...] = ()
        alias_keyword: str | None = None
        if isinstance(value, cst.Call) and _last(dotted_name(value.func)) == "Field":
            arguments = arguments_by_parameter(value, ("default",))
            default = arguments.get("default")
            defaulted = (
                default is not None
                and not isinstance(default, cst.Ellipsis)
                and _real_python_default(default)
            ) or "default_factory" in arguments
            for keyword in ("validation_alias", "alias", "env"):
                if keyword in arguments:
                    aliases = tuple(_alias_names(arguments[keyword]))
                    if aliases:
                        alias_keyword = keyword
                        break
        if isinstance(annotation, cst.Subscript) and _last(dotted_name(annotation.value)) == (
            "Annotated"
        ):
            # Annotated[str, Field(alias="X")]
            for element in annotation.slice[1:]:
                inner = element.slice
                if isinstance(inner, cst.Index) and isinstance(inner.value, cst.Call):
                    call = inner.value
                    if _last(dotted_name(call.func)) == "Field":
                        arguments = arguments_by_parameter(call, ())
                        for keyword in ("validation_alias", "alias", "env"):
                            if keyword in arguments and not aliases:
                                aliases = tuple(_alias_names(arguments[keyword]))
                                alias_keyword = keyword if aliases else None
        where = self._range(node.target)
        return SettingsField(
            name=name,
            line=where.start.line,
            column=where.start.column + 1,
            end_line=where.end.line,
            end_column=where.end.column + 1,
            defaulted=defaulted,
            aliases=aliases,
            alias_keyword=alias_keyword,
            type_names=tuple(t for t in type_names if t not in _NOT_MODEL_TYPES),
        )


_RESPONDING = frozenset({"jsonify", "abort", "make_response", "redirect", "HTTPException"})

_Statement = cst.BaseCompoundStatement | cst.BaseSmallStatement
"""An entry of a block: a compound statement, or one small statement of a line (`a; return b`
is two, as in `ast`)."""


def _statements(suite: cst.BaseSuite | cst.Else | cst.Finally | None) -> list[_Statement]:
    if suite is None:
        return []
    if isinstance(suite, (cst.Else, cst.Finally)):
        suite = suite.body
    if isinstance(suite, cst.SimpleStatementSuite):
        return list(suite.body)
    found: list[_Statement] = []
    for line in suite.body:
        if isinstance(line, cst.SimpleStatementLine):
            found.extend(line.body)
        elif isinstance(line, cst.BaseCompoundStatement):
            found.append(line)
    return found


def _function_blocks(body: cst.BaseSuite) -> Iterator[list[_Statement]]:
    """Every statement list of a function body, nested blocks included, not nested functions
    (`python_ast._function_blocks`: an `elif` is a block of one `if`)."""
    pending = [_statements(body)]
    while pending:
        block = pending.pop()
        yield block
        for statement in block:
            suites: list[cst.BaseSuite | cst.Else | cst.Finally | None] = []
            if isinstance(statement, cst.If):
                suites.append(statement.body)
                if isinstance(statement.orelse, cst.If):
                    pending.append([statement.orelse])
                else:
                    suites.append(statement.orelse)
            elif isinstance(statement, (cst.For, cst.While)):
                suites.extend((statement.body, statement.orelse))
            elif isinstance(statement, cst.With):
                suites.append(statement.body)
            elif isinstance(statement, cst.Try):
                suites.append(statement.body)
                suites.extend(handler.body for handler in statement.handlers)
                suites.extend((statement.orelse, statement.finalbody))
            pending.extend(block for block in map(_statements, suites) if block)


def _falls_back(body: list[_Statement]) -> bool:
    if len(body) != 1 or not isinstance(body[0], cst.Return) or body[0].value is None:
        return False
    value = body[0].value
    if isinstance(value, cst.Await):
        value = value.expression
    if isinstance(value, cst.Call):
        last = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
        if "Response" in last or last in _RESPONDING:
            return False
    return _real_python_default(value)


def _next_return_real(statements: list[_Statement]) -> bool:
    for statement in statements:
        if isinstance(statement, cst.Return):
            return statement.value is not None and _real_python_default(statement.value)
    return False


def _real_python_default(node: cst.BaseExpression) -> bool:
    """Whether a fallback is a real default; `None` and `""` mean "unset, silently off"."""
    if isinstance(node, cst.Name) and node.value == "None":
        return False
    return string_value(node) != ""


def _last(name: str | None) -> str | None:
    return name.rsplit(".", 1)[-1] if name is not None else None


def _alias_names(node: cst.BaseExpression) -> Iterator[str]:
    """`"X"`, `AliasChoices("X", "Y")`, `AliasPath("X", 0)` (its first step), v1 `["X", "Y"]`."""
    text = string_value(node)
    if text:
        yield text
        return
    if isinstance(node, cst.Call) and _last(dotted_name(node.func)) in _ALIAS_FACTORIES:
        is_path = _last(dotted_name(node.func)) == "AliasPath"
        for arg in node.args:
            if arg.keyword is not None or arg.star:
                continue
            if isinstance(arg.value, cst.Call):
                yield from _alias_names(arg.value)
            else:
                choice = string_value(arg.value)
                if choice:
                    yield choice
            if is_path:
                return
        return
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        for element in node.elements:
            choice = string_value(element.value)
            if choice:
                yield choice


def _annotation_names(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, (cst.Name, cst.Attribute)):
        name = _last(dotted_name(node))
        if name is not None:
            yield name
    elif isinstance(node, cst.Subscript):
        yield from _annotation_names(node.value)
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                yield from _annotation_names(element.slice.value)
    elif isinstance(node, cst.BinaryOperation):
        yield from _annotation_names(node.left)
        yield from _annotation_names(node.right)
    elif isinstance(node, cst.SimpleString):
        text = string_value(node)
        if text and text.isidentifier():
            yield text


def _config_entries(node: cst.BaseExpression) -> dict[str, cst.BaseExpression]:
    """`SettingsConfigDict(env_prefix=...)`, `ConfigDict(...)`, `dict(...)` or a dict literal."""
    entries: dict[str, cst.BaseExpression] = {}
    if isinstance(node, cst.Call) and _last(dotted_name(node.func)) in _CONFIG_FACTORIES:
        for arg in node.args:
            if arg.keyword is not None:
                entries[arg.keyword.value] = arg.value
    elif isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key:
                    entries[key] = element.value
    return entries


def _v1_config(node: cst.ClassDef) -> dict[str, cst.BaseExpression]:
    """`class Config: env_prefix = "APP_"` (pydantic v1, still accepted by many codebases)."""
    entries: dict[str, cst.BaseExpression] = {}
    body: Sequence[cst.BaseStatement | cst.BaseSmallStatement] = (
        node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    )
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    entries[target.value] = small.value
            elif (
                isinstance(small, cst.AnnAssign)
                and isinstance(small.target, cst.Name)
                and small.value is not None
            ):
                entries[small.target.value] = small.value
    return entries


def _v1_fields(node: cst.BaseExpression | None) -> dict[str, tuple[str, ...]]:
    """pydantic v1 `Config.fields = {"name": "ENV"}` or `{"name": {"env": ["A", "B"]}}`."""
    found: dict[str, tuple[str, ...]] = {}
    if not isinstance(node, cst.Dict):
        return found
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            continue
        field = string_value(element.key)
        value: cst.BaseExpression | None = element.value
        if isinstance(value, cst.Dict):
            value = next(
                (
                    inner.value
                    for inner in value.elements
                    if isinstance(inner, cst.DictElement) and string_value(inner.key) == "env"
                ),
                None,
            )
        names = tuple(_alias_names(value)) if value is not None else ()
        if field and names:
            found[field] = names
    return found
