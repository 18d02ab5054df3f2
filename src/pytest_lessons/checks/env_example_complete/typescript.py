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
from pytest_lessons.lang.typescript.syntax import dotted_name, root_of, span, string_value
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
_FALLBACK_OPERATORS = frozenset({"??", "||"})
_TRANSPARENT = frozenset(
    {"parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"}
)


def env_reads(file: SourceFile) -> list[EnvRead]:
    """Literal reads of `process.env` / `import.meta.env` in one script.

    A read followed by `?? other` / `|| other` is satisfied by any env variable of that fallback
    chain (`process.env.KEY_LIVE ?? process.env.KEY`), and is defaulted when the chain ends in
    a real value; `""`, `undefined` and `null` are not defaults, they are "silently off". A
    variable copied into another (`process.env.DATABASE_URL = process.env.POSTGRES_URL`, the
    way apps adopt a platform integration's name) is satisfied by the one it is copied into.
    """
    if b"process" not in file.data and b"import.meta" not in file.data:
        return []
    root = root_of(file)
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
        elif dotted_name(obj) in ("process", "globalThis.process", "global.process"):
            via = "process.env"
        else:
            continue
        for read, access in _reads_of_env_object(node, via):
            reads.append(read)
            target = _copied_into(access)
            if target is not None:
                copies.setdefault(read.name, set()).add(target)
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
        if base.kind() != "meta_property" and dotted_name(base) not in (
            "process",
            "globalThis.process",
            "global.process",
        ):
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


def _reads_of_env_object(env: SgNode, via: str) -> Iterator[tuple[EnvRead, SgNode]]:
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
    defaulted = defaulted or _guarded(parent, name)
    where = span(parent)
    yield (
        EnvRead(
            name=name,
            line=where.line,
            column=where.column,
            end_line=where.end_line,
            end_column=where.end_column,
            via=via,
            defaulted=defaulted,
            alternatives=tuple(a for a in alternatives if a != name),
        ),
        parent,
    )


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
        where = span(key)
        yield EnvRead(
            name=name,
            line=where.line,
            column=where.column,
            end_line=where.end_line,
            end_column=where.end_column,
            via=f"destructured from {via}",
            defaulted=defaulted,
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
    """The env variables later in this read's `??`/`||` chain, and whether the chain (or an
    enclosing `cond ? read : "d"`-style ternary on the read) ends in a real default."""
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
        if parent.kind() == "ternary_expression" and _same(parent.field("consequence"), node):
            if _env_access_name(parent.field("condition")) == name:
                return _real_default(parent.field("alternative"))
        node, parent = parent, parent.parent()
    return False


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
