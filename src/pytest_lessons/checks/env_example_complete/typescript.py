"""The TypeScript half of `env-example-complete`: literal reads of `process.env` and
`import.meta.env` (`process.env.X`, `process.env["X"]`, `const { X } = process.env`)."""

from __future__ import annotations

from collections.abc import Iterator

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.checks.base import Half
from pytest_lessons.checks.env_example_complete.options import EnvExampleCompleteOptions
from pytest_lessons.checks.env_example_complete.reads import CODE_PREFILTER, EnvRead
from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    dotted_name,
    root_of,
    span_fields,
    string_value,
)
from pytest_lessons.source import FileKind, SourceFile

__all__ = ["TypeScriptFacts", "TypeScriptHalf", "env_reads"]


class TypeScriptFacts(Record):
    reads: list[EnvRead] = Field(default_factory=list)


class TypeScriptHalf(Half[EnvExampleCompleteOptions, TypeScriptFacts]):
    name = "typescript"
    facts_model = TypeScriptFacts
    file_kinds = frozenset({FileKind.TYPESCRIPT})
    prefilter = CODE_PREFILTER

    def reads(self, file: SourceFile) -> bool:
        return not self.options.excludes(file.rel)

    def extract(self, file: SourceFile) -> TypeScriptFacts:
        return TypeScriptFacts(reads=env_reads(file))


_VITE_BUILTINS = frozenset({"MODE", "DEV", "PROD", "SSR", "BASE_URL"})
_PROCESS = ("process", "globalThis.process", "global.process")
"""What `.env` is read from (besides `import.meta`)."""
_FALLBACK_OPERATORS = frozenset({"??", "||"})
_TRANSPARENT = frozenset(
    {"parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"}
)


def env_reads(file: SourceFile) -> list[EnvRead]:
    """Literal reads of `process.env` / `import.meta.env` in one script.

    A read followed by `?? other` / `|| other` is satisfied by any env variable of that fallback
    chain (`process.env.KEY_LIVE ?? process.env.KEY`), and is defaulted when the chain ends in
    a real value; `""`, `undefined` and `null` are not defaults, they are "silently off". So is
    a read only made when the variable is set, with a real default otherwise (`_guarded`,
    `_defaulted_by_if`: `X ? X : "/"`, `if (!X) return fallback;`), and a read handed to a
    `createEnv` schema that gives the variable a default (`_SchemaDefaults`). A
    variable copied into another (`process.env.DATABASE_URL = process.env.POSTGRES_URL`, the
    way apps adopt a platform integration's name) is satisfied by the one it is copied into.
    """
    if b"process" not in file.data and b"import.meta" not in file.data:
        return []
    root = root_of(file)
    schemas = _SchemaDefaults(root)
    reads: list[EnvRead] = []
    copies: dict[str, set[str]] = {}
    for node in root.find_all(kind="member_expression"):
        prop = node.field("property")
        if prop is None or prop.text() != "env":
            continue
        obj = node.field("object")
        if obj is None:
            continue
        if obj.kind() == "meta_property":
            via = "import.meta.env"
        elif dotted_name(obj) in _PROCESS:
            via = "process.env"
        else:
            continue
        for read, access in _reads_of_env_object(node, via, schemas):
            reads.append(read)
            target = _copied_into(access)
            if target is not None:
                copies.setdefault(read.name, set()).add(target)
    if b"createEnv" in file.data:
        reads.extend(schemas.implicit_reads({read.name for read in reads}))
    if not copies:
        return reads
    return [
        read.model_copy(update={"alternatives": (*read.alternatives, *sorted(copies[read.name]))})
        if read.name in copies
        else read
        for read in reads
    ]


def _env_access_name(node: SgNode | None) -> str | None:
    """The variable a `process.env.X` / `process.env["X"]` / `import.meta.env.X` node reads."""
    node = _strip(node)
    if node is None or node.kind() not in ("member_expression", "subscript_expression"):
        return None
    obj = node.field("object")
    if obj is None:
        return None
    if obj.kind() == "member_expression":
        prop = obj.field("property")
        base = obj.field("object")
        if prop is None or prop.text() != "env" or base is None:
            return None
        if base.kind() != "meta_property" and dotted_name(base) not in _PROCESS:
            return None
    else:
        return None
    if node.kind() == "member_expression":
        key = node.field("property")
        return key.text() if key is not None else None
    return string_value(node.field("index"))


def _strip(node: SgNode | None) -> SgNode | None:
    while node is not None and node.kind() in _TRANSPARENT:
        node = next((child for child in node.children() if child.is_named()), None)
    return node


def _reads_of_env_object(
    env: SgNode, via: str, schemas: _SchemaDefaults
) -> Iterator[tuple[EnvRead, SgNode]]:
    parent = env.parent()
    while parent is not None and parent.kind() in _TRANSPARENT:
        env, parent = parent, parent.parent()
    if parent is None:
        return
    kind = parent.kind()
    name: str | None = None
    if kind == "member_expression" and _same(parent.field("object"), env):
        prop = parent.field("property")
        name = prop.text() if prop is not None else None
    elif kind == "subscript_expression" and _same(parent.field("object"), env):
        name = string_value(parent.field("index"))
    elif kind == "variable_declarator" and _same(parent.field("value"), env):
        pattern = parent.field("name")
        if pattern is not None and pattern.kind() == "object_pattern":
            for read in _destructured(pattern, via):
                yield read, pattern
        return
    if name is None or not name:
        return
    if via == "import.meta.env" and name in _VITE_BUILTINS:
        return
    if _is_written(parent):
        return
    alternatives, defaulted = _fallbacks(parent)
    defaulted = (
        defaulted
        or _guarded(parent, name)
        or _defaulted_by_if(parent, name)
        or schemas.defaulted(parent)
    )
    others = tuple(a for a in alternatives if a != name)
    yield _read_at(parent, name, via, defaulted=defaulted, alternatives=others), parent


def _destructured(pattern: SgNode, via: str) -> Iterator[EnvRead]:
    for child in pattern.children():
        kind = child.kind()
        defaulted = False
        key: SgNode | None
        if kind == "shorthand_property_identifier_pattern":
            key = child
        elif kind == "pair_pattern":
            key = child.field("key")
            value = child.field("value")
            if value is not None and value.kind() == "assignment_pattern":
                defaulted = _real_default(value.field("right"))
        elif kind == "object_assignment_pattern":
            key = child.field("left")
            defaulted = _real_default(child.field("right"))
        else:
            continue
        if key is None:
            continue
        name = string_value(key) if key.kind() == "string" else key.text()
        if not name or (via == "import.meta.env" and name in _VITE_BUILTINS):
            continue
        yield _read_at(key, name, f"destructured from {via}", defaulted=defaulted)


def _read_at(
    node: SgNode, name: str, via: str, *, defaulted: bool, alternatives: tuple[str, ...] = ()
) -> EnvRead:
    return EnvRead(
        name=name, via=via, defaulted=defaulted, alternatives=alternatives, **span_fields(node)
    )


def _same(a: SgNode | None, b: SgNode) -> bool:
    return a is not None and a.range() == b.range() and a.kind() == b.kind()


def _is_written(access: SgNode) -> bool:
    parent = access.parent()
    if parent is None:
        return False
    kind = parent.kind()
    if kind in ("assignment_expression", "augmented_assignment_expression"):
        return _same(parent.field("left"), access)
    if kind == "unary_expression":
        operator = parent.field("operator")
        return operator is not None and operator.text() == "delete"
    return False


def _copied_into(access: SgNode) -> str | None:
    """`Y` when this read is assigned straight into `process.env.Y`."""
    node = access
    parent = node.parent()
    while parent is not None and parent.kind() in _TRANSPARENT:
        node, parent = parent, parent.parent()
    if parent is None or parent.kind() != "assignment_expression":
        return None
    if not _same(parent.field("right"), node):
        return None
    return _env_access_name(parent.field("left"))


def _real_default(node: SgNode | None) -> bool:
    """Whether a fallback value is a real default; `""`, `undefined`, `null` switch things off."""
    node = _strip(node)
    if node is None:
        return False
    if node.kind() in ("undefined", "null"):
        return False
    if node.kind() == "identifier" and node.text() == "undefined":
        return False
    value = string_value(node)
    return value != ""


def _fallbacks(access: SgNode) -> tuple[list[str], bool]:
    """The other env variables of this read's `??`/`||` chain, before or after it (either
    satisfies the other: `process.env.NEW ?? process.env.OLD` reads a renamed variable under
    both names), and whether the chain after it (or an enclosing `cond ? read : "d"`-style
    ternary on the read) ends in a real default."""
    names: list[str] = []
    defaulted = False
    node = access
    parent = node.parent()
    while parent is not None:
        kind = parent.kind()
        if kind in _TRANSPARENT:
            node, parent = parent, parent.parent()
            continue
        if kind == "binary_expression":
            operator = parent.field("operator")
            if operator is None or operator.text() not in _FALLBACK_OPERATORS:
                break
            if _same(parent.field("left"), node):
                chain_names, chain_default = _chain(parent.field("right"))
                names.extend(chain_names)
                defaulted = defaulted or chain_default
            else:  # a fallback itself (a variable's old name): what comes before satisfies it
                names.extend(_chain(parent.field("left"))[0])
            node, parent = parent, parent.parent()
            continue
        if kind == "ternary_expression" and _same(parent.field("condition"), node):
            defaulted = defaulted or _real_default(parent.field("alternative"))
        break
    return names, defaulted


def _guarded(access: SgNode, name: str) -> bool:
    """Whether this read is only made when the variable is set, with a real default otherwise:
    it sits in the consequence of a ternary testing the same variable
    (`process.env.BASE ? process.env.BASE.replace(/\\/$/, "") : "/"`), whose condition is itself
    a defaulted read. Only within the read's own expression: a statement is not followed."""
    node = access
    parent = node.parent()
    while parent is not None and parent.kind() not in _SCOPE_ENDS:
        if (
            parent.kind() == "ternary_expression"
            and _same(parent.field("consequence"), node)
            and _env_access_name(parent.field("condition")) == name
        ):
            return _real_default(parent.field("alternative"))
        node, parent = parent, parent.parent()
    return False


def _defaulted_by_if(access: SgNode, name: str) -> bool:
    """Whether an `if` on the same variable gives this read a real default, the statement
    form of `process.env.X || fallback`:

    * `if (!process.env.X) return fallback;` (no `else`), when the read is its condition or
      comes after it in an enclosing block of the same function: past it, the variable is set;
    * `if (process.env.X) { ...; return ...; }` (no `else`), when the read is its condition or
      inside it, and the first `return` after it in its block returns a real value.

    A fallback of `""`, `undefined`, `null` or nothing (`return;`) switches things off, and a
    `throw` is no default: those reads count as before."""
    node = access
    parent = node.parent()
    while parent is not None:
        kind = parent.kind()
        if kind == "if_statement" and parent.field("alternative") is None:
            tested = _tested(parent.field("condition"))
            consequence = parent.field("consequence")
            in_condition = _same(parent.field("condition"), node)
            if tested == (name, True) and in_condition and _falls_back(consequence):
                return True
            if (
                tested == (name, False)
                and (in_condition or _same(consequence, node))
                and _returns(consequence, real=False)
                and _returns(_next_return(parent), real=True)
            ):
                return True
        if kind in ("statement_block", "program"):
            for earlier in _earlier_statements(node):
                if (
                    earlier.kind() == "if_statement"
                    and earlier.field("alternative") is None
                    and _tested(earlier.field("condition")) == (name, True)
                    and _falls_back(earlier.field("consequence"))
                ):
                    return True
        if kind in _FUNCTION_ENDS:
            return False
        node, parent = parent, parent.parent()
    return False


def _tested(condition: SgNode | None) -> tuple[str | None, bool]:
    """The variable an `if` condition tests for being set, and whether it is negated
    (`!process.env.X`)."""
    node = _strip(condition)
    negated = False
    if node is not None and node.kind() == "unary_expression":
        operator = node.field("operator")
        if operator is None or operator.text() != "!":
            return None, False
        node, negated = _strip(node.field("argument")), True
    return _env_access_name(node), negated


def _returns(statement: SgNode | None, *, real: bool) -> bool:
    """Whether a statement (or the block it is) ends by returning; with `real`, a value that
    is a real default."""
    if statement is not None and statement.kind() == "statement_block":
        named = [child for child in statement.children() if child.is_named()]
        statement = named[-1] if named else None
    if statement is None or statement.kind() != "return_statement":
        return False
    if not real:
        return True
    value = next((child for child in statement.children() if child.is_named()), None)
    return value is not None and _real_default(value)


def _falls_back(consequence: SgNode | None) -> bool:
    """Whether the body of `if (!process.env.X)` does nothing but return a fallback: a real
    default that is not a response (`return Response.json({ error }, { status: 503 })` after
    logging that the variable is missing is the feature switched off, not a default)."""
    if consequence is not None and consequence.kind() == "statement_block":
        named = [child for child in consequence.children() if child.is_named()]
        if len(named) != 1:
            return False
        consequence = named[0]
    if not _returns(consequence, real=True) or consequence is None:
        return False
    value = next((child for child in consequence.children() if child.is_named()), None)
    return not _is_response(value)


def _is_response(node: SgNode | None) -> bool:
    node = _strip(node)
    if node is not None and node.kind() == "await_expression":
        node = _strip(next((c for c in node.children() if c.is_named()), None))
    if node is None or node.kind() not in ("call_expression", "new_expression"):
        return False
    callee = node.field("function") or node.field("constructor")
    if callee is None:
        return False
    prop = callee.field("property") if callee.kind() == "member_expression" else callee
    last = prop.text() if prop is not None else ""
    return "Response" in callee.text() or last in _RESPONDING


_RESPONDING = frozenset({"json", "text", "send", "redirect", "error", "status", "sendStatus"})


def _next_return(statement: SgNode) -> SgNode | None:
    """The first `return` among the statements after this one in its block."""
    sibling = statement.next()
    while sibling is not None:
        if sibling.kind() == "return_statement":
            return sibling
        sibling = sibling.next()
    return None


def _earlier_statements(statement: SgNode) -> Iterator[SgNode]:
    sibling = statement.prev()
    while sibling is not None:
        if sibling.is_named():
            yield sibling
        sibling = sibling.prev()


_FUNCTION_ENDS = frozenset(
    {
        "arrow_function",
        "function_declaration",
        "function_expression",
        "generator_function_declaration",
        "method_definition",
        "program",
    }
)


_SCOPE_ENDS = frozenset(
    {
        "statement_block",
        "expression_statement",
        "lexical_declaration",
        "variable_declaration",
        "return_statement",
        "arrow_function",
        "function_expression",
        "program",
    }
)


def _chain(node: SgNode | None) -> tuple[list[str], bool]:
    node = _strip(node)
    if node is None:
        return [], False
    name = _env_access_name(node)
    if name is not None:
        return [name], False
    if node.kind() == "binary_expression":
        operator = node.field("operator")
        if operator is not None and operator.text() in _FALLBACK_OPERATORS:
            left_names, left_default = _chain(node.field("left"))
            right_names, right_default = _chain(node.field("right"))
            return left_names + right_names, left_default or right_default
    return [], _real_default(node)


class _SchemaDefaults:
    """Whether a read is what a `createEnv` call (t3-env: `@t3-oss/env-core`, `-nextjs`,
    `-nuxt`) hands to a schema that gives the variable a real default.

    Such a module reads every variable into `runtimeEnv: { X: process.env.X }` and declares
    what it accepts beside it (`server: { X: z.string().default("eu") }`): the read itself
    carries no fallback, the schema does. A `.default(value)` or `.catch(value)` anywhere in
    the schema's chain (`z.coerce.number().default(3600)`, `.optional().default("true")`, or a
    schema kept in a module-level constant: `const authMethod = z.enum([...]).default(...)`) is
    a real default unless the value is `""`, `undefined` or `null`. An `.optional()` schema is
    the variable optional with nothing in its place, the empty fallback `?? undefined` is, and
    a bare `z.string()` is required (createEnv throws without it): both still count."""

    def __init__(self, root: SgNode) -> None:
        self._root = root
        self._constants: dict[str, SgNode] | None = None

    def defaulted(self, access: SgNode) -> bool:
        node = access
        parent = node.parent()
        while parent is not None and (parent.kind() in _TRANSPARENT or _is_fallback(parent)):
            node, parent = parent, parent.parent()  # `X: process.env.X ?? process.env.OLD_X`
        if (
            parent is None
            or parent.kind() != "pair"
            or not _same(parent.field("value"), node)
            or not _only_env_reads(node)  # `?? ""` hands the schema "", which no default replaces
        ):
            return False
        key = _key_name(parent.field("key"))
        mapping = parent.parent()
        holder = mapping.parent() if mapping is not None else None
        if (
            key is None
            or mapping is None
            or mapping.kind() != "object"
            or holder is None
            or holder.kind() != "pair"
            or _key_name(holder.field("key")) not in _RUNTIME_ENV_KEYS
        ):
            return False
        options = holder.parent()
        arguments = options.parent() if options is not None else None
        call = arguments.parent() if arguments is not None else None
        if options is None or call is None or not _is_create_env(call):
            return False
        schema = self._schema(options, key)
        return schema is not None and self._has_default(schema, depth=0)

    def implicit_reads(self, explicit: set[str]) -> Iterator[EnvRead]:
        """The variables a `createEnv` call reads from `process.env` by itself, each at its
        schema: every one of `runtimeEnv: process.env` (env-core), and the `server` and
        `shared` ones beside `experimental__runtimeEnv`, which lists only the client's
        (env-nextjs, Next.js 13.4.4 and later). A name the file reads explicitly is left to
        that read."""
        for call in self._root.find_all(kind="call_expression"):
            if not _is_create_env(call):
                continue
            options = _strip(_first_argument(call))
            if options is None or options.kind() != "object":
                continue
            sides = self._implicit_sides(options)
            for side_pair in options.children():
                if side_pair.kind() != "pair" or _key_name(side_pair.field("key")) not in sides:
                    continue
                side = self._value_of(side_pair.field("value"))
                if side is None or side.kind() != "object":
                    continue
                for entry in side.children():
                    name = _key_name(entry.field("key")) if entry.kind() == "pair" else None
                    if not name or name in explicit:
                        continue
                    yield _read_at(
                        entry.field("key") or entry,
                        name,
                        "createEnv, from process.env",
                        defaulted=self._has_default(entry.field("value"), depth=0),
                    )

    def _implicit_sides(self, options: SgNode) -> frozenset[str]:
        for pair in options.children():
            if pair.kind() != "pair":
                continue
            key = _key_name(pair.field("key"))
            if key == "experimental__runtimeEnv":
                return frozenset({"server", "shared"})
            if key in _RUNTIME_ENV_KEYS and _env_object(pair.field("value")):
                return _SCHEMA_SIDES
        return frozenset()

    def _schema(self, options: SgNode, key: str) -> SgNode | None:
        """The schema `server`, `client` or `shared` declares for `key` in this call."""
        for pair in options.children():
            if pair.kind() == "shorthand_property_identifier" and pair.text() in _SCHEMA_SIDES:
                side = _strip(self._constant(pair.text()))  # `createEnv({ server, ... })`
            elif pair.kind() == "pair" and _key_name(pair.field("key")) in _SCHEMA_SIDES:
                side = self._value_of(pair.field("value"))
            else:
                continue
            if side is None or side.kind() != "object":
                continue
            for entry in side.children():
                if entry.kind() == "pair" and _key_name(entry.field("key")) == key:
                    return entry.field("value")
        return None

    def _has_default(self, schema: SgNode | None, *, depth: int) -> bool:
        node = _strip(schema)
        while node is not None and node.kind() == "call_expression":
            callee = node.field("function")
            if callee is None or callee.kind() != "member_expression":
                return False
            method = callee.field("property")
            if method is not None and method.text() in _SCHEMA_DEFAULTS:
                value = _first_argument(node)
                return value is not None and _real_default(value)
            node = _strip(callee.field("object"))
        if node is not None and node.kind() == "identifier" and depth < _CONSTANT_DEPTH:
            return self._has_default(self._constant(node.text()), depth=depth + 1)
        return False

    def _value_of(self, node: SgNode | None) -> SgNode | None:
        """An object written in place, or the module-level constant an identifier names."""
        node = _strip(node)
        if node is not None and node.kind() == "identifier":
            return _strip(self._constant(node.text()))
        return node

    def _constant(self, name: str) -> SgNode | None:
        if self._constants is None:
            self._constants = {}
            for statement in self._root.children():
                if statement.kind() == "export_statement":
                    statement = statement.field("declaration") or statement
                if statement.kind() != "lexical_declaration":
                    continue
                for declarator in statement.children():
                    if declarator.kind() != "variable_declarator":
                        continue
                    bound, value = declarator.field("name"), declarator.field("value")
                    if bound is not None and value is not None and bound.kind() == "identifier":
                        self._constants.setdefault(bound.text(), value)
        return self._constants.get(name)


def _is_create_env(call: SgNode) -> bool:
    callee = call.field("function") if call.kind() == "call_expression" else None
    return callee is not None and callee.text().rsplit(".", 1)[-1] == "createEnv"


def _first_argument(call: SgNode) -> SgNode | None:
    arguments = call_arguments(call)
    return arguments[0] if arguments else None


def _env_object(node: SgNode | None) -> bool:
    """`process.env` or `import.meta.env` itself."""
    node = _strip(node)
    if node is None or node.kind() != "member_expression":
        return False
    prop, base = node.field("property"), node.field("object")
    if prop is None or prop.text() != "env" or base is None:
        return False
    return base.kind() == "meta_property" or dotted_name(base) in _PROCESS


def _only_env_reads(node: SgNode | None) -> bool:
    node = _strip(node)
    if node is None:
        return False
    if _is_fallback(node):
        return _only_env_reads(node.field("left")) and _only_env_reads(node.field("right"))
    return _env_access_name(node) is not None


def _is_fallback(node: SgNode) -> bool:
    if node.kind() != "binary_expression":
        return False
    operator = node.field("operator")
    return operator is not None and operator.text() in _FALLBACK_OPERATORS


def _key_name(key: SgNode | None) -> str | None:
    if key is None:
        return None
    if key.kind() in ("property_identifier", "identifier"):
        return key.text()
    if key.kind() == "string":
        return string_value(key)
    return None


_RUNTIME_ENV_KEYS = frozenset({"runtimeEnv", "experimental__runtimeEnv", "runtimeEnvStrict"})
_SCHEMA_SIDES = frozenset({"server", "client", "shared"})
_SCHEMA_DEFAULTS = frozenset({"default", "catch"})
_CONSTANT_DEPTH = 3
"""A schema kept in a constant built from another constant is followed this far."""
