"""One JS/TS file's module surface: what it imports, exports, and declares at top level.

Lessons join facts across files by name (the handler a route re-exports, the `track()` wrapper a
component imports, the event name an `as const` map holds), so every layer needs the same answer
to "what does this module bind, and where does each name come from". This module extracts that
answer once per file, as plain data, through `file.derived("js-modules-v1", ...)`; the names are
resolved across files later by `pytest_lessons.lang.typescript.resolver.SymbolIndex`.

API (consumed by the routes and telemetry layers; extend, don't rename):

- `module_facts(file) -> ModuleFacts`, cached per file. Raises `AnalysisError` when the file does
  not parse (the shared ast-grep parse reports the first syntax error).
- `ModuleFacts.imports: list[ImportBinding]`: one per local name an import binds. `imported` is the
  exported name, `"default"`, or `"*"` for namespaces (`import * as ns`) and for CommonJS
  `const x = require("./x")`; `const { a, b: c } = require("./x")` binds `a` and `c` like named
  imports. `type_only` marks `import type { T }` and `import { type T }`.
- `ModuleFacts.side_effect_imports`: specifiers of `import "./x"` (bind nothing).
- `ModuleFacts.exports: list[ExportBinding]`: `export function/const/let/var/class/enum`,
  `export default <name | function | class | expression>`, `export { a, b as c }`,
  `export { a as POST } from "./x"`, `export { default } from`, `export * as ns from`
  (`imported == "*"`), CommonJS `module.exports = { a, b: c }`, `module.exports = ident`
  (exported as `"default"`) and `exports.a = ident`. An export whose value is not a named binding
  (`export default withAuth(handler)`, an anonymous default function) has `local=None` and
  `source=None`: it is defined in this module under its exported name (see `functions["default"]`).
- `ModuleFacts.star_reexports`: specifiers of `export * from "..."`, in source order.
- `ModuleFacts.locals`: every name declared at top level (functions, classes, variables, enums,
  also non-exported), so the resolver can tell a local definition from an import.
- `ModuleFacts.constants`: top-level `const` bindings with a static string meaning:
  `kind="string"` (`const X = "a"`, substitution-free templates, `"a" as const`), `kind="object"`
  (an object literal of strings, nested keys flattened to `"B.C"`), `kind="enum"` (string members
  of `enum`/`const enum`), `kind="alias"` (`const X = E.A` / `const Y = X`: `alias` holds the
  dotted name). Object members whose value is itself a dotted name (`{ A: OTHER.X }`) land in
  `member_aliases`. An object literal counts with `as const`, inside `Object.freeze(...)`, or
  plainly when this file never writes to it (`X.A = ...`, `X[k] = ...`, `delete X.A` or
  `Object.assign(X, ...)` anywhere in the file drop it): event-name maps are rarely written
  `as const`, and a write to another module's object is rare enough to accept.
- `ModuleFacts.functions`: top-level function declarations and `const f = (...) => ...` /
  `const f = function () {}`, exported or not; an anonymous `export default function` or
  `export default (req, res) => ...` is recorded under `"default"`. `params` holds each
  parameter's name, or its source text for destructuring (`"{ params }"`), `...rest` as `"...rest"`.

Only the module's top level is read: the statements are the root's children, and the only whole-file
searches (for writes to object constants) are single ast-grep queries run in Rust, so a large
generated file costs a walk over its top-level statements, not a Python visit of every node.
"""

from __future__ import annotations

from typing import Literal

from ast_grep_py import SgNode
from pydantic import Field

from pytest_lessons.lang.common.records import Compact
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    directives,
    dotted_name,
    export_specifiers,
    object_properties,
    root_of,
    string_value,
)
from pytest_lessons.source import SourceFile

FACTS_KEY = "js-modules-v1"


class ImportBinding(Compact):
    """A local name bound by an import: `import { imported as local } from "source"`."""

    local: str
    source: str
    imported: str  # "default", "*" (namespace / whole CommonJS module), or the exported name
    type_only: bool = False
    line: int


class ExportBinding(Compact):
    """A name this module exports, and where its value comes from."""

    exported: str  # "default" for default exports
    local: str | None = None  # the local binding exported, if any
    source: str | None = None  # specifier of a re-export (`export { a as b } from "./x"`)
    imported: str | None = None  # the name in `source` ("*" for `export * as ns from`)
    type_only: bool = False
    line: int


class ConstValue(Compact):
    """The static meaning of a top-level `const` (or enum) that can hold event names or paths."""

    kind: Literal["string", "object", "enum", "alias"]
    value: str | None = None  # kind == "string"
    members: dict[str, str] = Field(default_factory=dict)  # object / enum: "A", "B.C" -> value
    alias: str | None = None  # kind == "alias": the dotted name this constant copies
    member_aliases: dict[str, str] = Field(default_factory=dict)  # object: "A" -> "OTHER.X"
    line: int = 0


class FunctionDef(Compact):
    """A top-level function, by the name other code calls it."""

    name: str
    line: int
    end_line: int
    is_async: bool
    params: list[str]


class ModuleFacts(Compact):
    """Everything about one file that cross-file resolution needs, without any syntax nodes."""

    directives: list[str] = Field(default_factory=list)
    imports: list[ImportBinding] = Field(default_factory=list)
    side_effect_imports: list[str] = Field(default_factory=list)
    exports: list[ExportBinding] = Field(default_factory=list)
    star_reexports: list[str] = Field(default_factory=list)
    locals: list[str] = Field(default_factory=list)
    constants: dict[str, ConstValue] = Field(default_factory=dict)
    functions: dict[str, FunctionDef] = Field(default_factory=dict)
    commonjs: bool = False  # the file assigns `module.exports` / `exports.x`

    def import_of(self, local: str) -> ImportBinding | None:
        """The import that binds `local`, if any (the last one wins, as redeclaring is an error)."""
        found = None
        for binding in self.imports:
            if binding.local == local:
                found = binding
        return found

    def exports_named(self, exported: str) -> list[ExportBinding]:
        return [binding for binding in self.exports if binding.exported == exported]

    def specifiers(self) -> list[str]:
        """Every module specifier this file names statically, in order, without duplicates."""
        seen: dict[str, None] = {}
        for binding in self.imports:
            seen.setdefault(binding.source, None)
        for specifier in self.side_effect_imports:
            seen.setdefault(specifier, None)
        for export in self.exports:
            if export.source is not None:
                seen.setdefault(export.source, None)
        for specifier in self.star_reexports:
            seen.setdefault(specifier, None)
        return list(seen)


def module_facts(file: SourceFile) -> ModuleFacts:
    """The module surface of `file`, extracted once per run and shared by every layer."""
    return file.derived(FACTS_KEY, _extract)


def _extract(file: SourceFile) -> ModuleFacts:
    root = root_of(file)
    builder = _Builder()
    builder.facts.directives = sorted(directives(root))
    for statement in root.children():
        builder.statement(statement)
    builder.drop_mutated_objects(root)
    facts = builder.facts
    imported = {binding.local for binding in facts.imports}  # `const x = require(...)`
    facts.locals = [name for name in dict.fromkeys(builder.locals) if name not in imported]
    return facts


def _line(node: SgNode) -> int:
    return node.range().start.line + 1


def _named(node: SgNode) -> list[SgNode]:
    return [child for child in node.children() if child.is_named() and child.kind() != "comment"]


def _has_token(node: SgNode, token: str) -> bool:
    return any(not child.is_named() and child.kind() == token for child in node.children())


def _unwrap(node: SgNode | None) -> SgNode | None:
    """Strip `( )`, `as const`, `satisfies T`, `!` and `<T>x` around a value."""
    while node is not None and node.kind() in (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    ):
        inner = _named(node)
        if not inner:
            return None
        node = inner[-1] if node.kind() == "type_assertion" else inner[0]
    return node


_FUNCTION_VALUE_KINDS = frozenset({"arrow_function", "function_expression", "function"})
_DECLARATION_KINDS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "enum_declaration",
        "type_alias_declaration",
        "interface_declaration",
        "function_signature",
    }
)
_TYPE_ONLY_KINDS = frozenset({"type_alias_declaration", "interface_declaration"})


class _Builder:
    def __init__(self) -> None:
        self.facts = ModuleFacts()
        self.locals: list[str] = []
        self._plain_objects: set[str] = set()  # object constants without `as const`/freeze

    # -- statements -------------------------------------------------------------------------

    def statement(self, node: SgNode) -> None:
        kind = node.kind()
        if kind == "import_statement":
            self.import_statement(node)
        elif kind == "export_statement":
            self.export_statement(node)
        elif kind in ("lexical_declaration", "variable_declaration"):
            self.variables(node, exported=False)
        elif kind in _DECLARATION_KINDS:
            self.declaration(node, exported=False)
        elif kind == "ambient_declaration":
            for inner in _named(node):
                if inner.kind() in ("lexical_declaration", "variable_declaration"):
                    self.variables(inner, exported=False)
                elif inner.kind() in _DECLARATION_KINDS:
                    self.declaration(inner, exported=False)
        elif kind == "expression_statement":
            expression = next(iter(_named(node)), None)
            if expression is not None and expression.kind() == "internal_module":  # namespace X {}
                name = expression.field("name")
                if name is not None:
                    self.locals.append(name.text().split(".", 1)[0])
                return
            self.commonjs_export(node)

    def import_statement(self, node: SgNode) -> None:
        require = next((c for c in node.children() if c.kind() == "import_require_clause"), None)
        if require is not None:  # TS `import x = require("./x")`
            name = next((c for c in _named(require) if c.kind() == "identifier"), None)
            source = string_value(next((c for c in _named(require) if c.kind() == "string"), None))
            if name is not None and source is not None:
                self._import(name.text(), source, "*", False, node)
            return
        source = string_value(node.field("source"))
        if source is None:
            return
        clause = next((child for child in node.children() if child.kind() == "import_clause"), None)
        if clause is None:
            self.facts.side_effect_imports.append(source)
            return
        statement_type_only = _has_token(node, "type")
        for part in _named(clause):
            part_kind = part.kind()
            if part_kind == "identifier":
                self._import(part.text(), source, "default", statement_type_only, part)
            elif part_kind == "namespace_import":
                name = next((c for c in _named(part) if c.kind() == "identifier"), None)
                if name is not None:
                    self._import(name.text(), source, "*", statement_type_only, part)
            elif part_kind == "named_imports":
                for spec in part.children():
                    if spec.kind() != "import_specifier":
                        continue
                    imported_node = spec.field("name")
                    alias = spec.field("alias")
                    if imported_node is None:
                        continue
                    imported = string_value(imported_node) or imported_node.text()
                    local = alias.text() if alias is not None else imported
                    type_only = statement_type_only or _has_token(spec, "type")
                    self._import(local, source, imported, type_only, spec)

    def _import(self, local: str, source: str, imported: str, type_only: bool, at: SgNode) -> None:
        self.facts.imports.append(
            ImportBinding(
                local=local, source=source, imported=imported, type_only=type_only, line=_line(at)
            )
        )

    def export_statement(self, node: SgNode) -> None:
        line = _line(node)
        children = node.children()
        tokens = {child.kind() for child in children if not child.is_named()}
        source = string_value(node.field("source")) if "from" in tokens else None
        type_only = "type" in tokens
        is_default = "default" in tokens
        declaration = node.field("declaration") if not tokens & {"from", "="} else None
        if declaration is not None:
            kind = declaration.kind()
            if kind in ("lexical_declaration", "variable_declaration"):
                self.variables(declaration, exported=True)
            elif kind in _DECLARATION_KINDS:
                self.declaration(declaration, exported=True, default=is_default)
            elif kind == "ambient_declaration":
                for inner in _named(declaration):
                    if inner.kind() in ("lexical_declaration", "variable_declaration"):
                        self.variables(inner, exported=True)
                    elif inner.kind() in _DECLARATION_KINDS:
                        self.declaration(inner, exported=True)
            return
        if is_default or "=" in tokens:  # `export = x` is CommonJS
            self.default_value(node.field("value") or _last_named(node), line)
            return
        if any(child.kind() == "export_clause" for child in children):
            for exported, name, spec in export_specifiers(node):
                spec_type = type_only or _has_token(spec, "type")
                if source is None:
                    self._export(exported, line, local=name, type_only=spec_type)
                else:
                    self._export(exported, line, source=source, imported=name, type_only=spec_type)
            return
        namespace = next((c for c in children if c.kind() == "namespace_export"), None)
        if namespace is not None and source is not None:
            name_node = next(
                (c for c in _named(namespace) if c.kind() in ("identifier", "string")), None
            )
            if name_node is not None:
                exported = string_value(name_node) or name_node.text()
                self._export(exported, line, source=source, imported="*", type_only=type_only)
            return
        if source is not None and "*" in tokens:
            self.facts.star_reexports.append(source)

    def _export(
        self,
        exported: str,
        line: int,
        *,
        local: str | None = None,
        source: str | None = None,
        imported: str | None = None,
        type_only: bool = False,
    ) -> None:
        self.facts.exports.append(
            ExportBinding(
                exported=exported,
                local=local,
                source=source,
                imported=imported,
                type_only=type_only,
                line=line,
            )
        )

    def default_value(self, value: SgNode | None, line: int) -> None:
        inner = _unwrap(value)
        if inner is None:
            return
        kind = inner.kind()
        if kind == "identifier":
            self._export("default", line, local=inner.text())
            return
        if kind in ("class", "class_expression"):
            name = inner.field("name")
            if name is not None:
                self.locals.append(name.text())
                self._export("default", line, local=name.text())
                return
        self._export("default", line)
        if kind in _FUNCTION_VALUE_KINDS:
            self.function(inner, "default")
            return
        constant = self.constant_of(inner, "default")
        if constant is not None:
            self.facts.constants["default"] = constant

    def declaration(self, node: SgNode, *, exported: bool, default: bool = False) -> None:
        name_node = node.field("name")
        line = _line(node)
        kind = node.kind()
        if name_node is None:
            if default:  # `export default function () {}` / `export default class {}`
                self._export("default", line)
                if kind in ("function_declaration", "generator_function_declaration"):
                    self.function(node, "default")
            return
        name = name_node.text()
        self.locals.append(name)
        if exported:
            self._export(
                "default" if default else name,
                line,
                local=name,
                type_only=kind in _TYPE_ONLY_KINDS,
            )
        if kind in ("function_declaration", "generator_function_declaration"):
            self.function(node, name)
        elif kind == "enum_declaration":
            members: dict[str, str] = {}
            body = node.field("body")
            for member in body.children() if body is not None else []:
                if member.kind() != "enum_assignment":
                    continue
                key = member.field("name")
                value = string_value(member.field("value"))
                if key is not None and value is not None:
                    members[string_value(key) or key.text()] = value
            self.facts.constants[name] = ConstValue(kind="enum", members=members, line=line)

    def variables(self, node: SgNode, *, exported: bool) -> None:
        is_const = _has_token(node, "const")
        for declarator in node.children():
            if declarator.kind() != "variable_declarator":
                continue
            name_node = declarator.field("name")
            value = declarator.field("value")
            if name_node is None:
                continue
            line = _line(declarator)
            if name_node.kind() == "identifier":
                name = name_node.text()
                self.locals.append(name)
                if exported:
                    self._export(name, line, local=name)
                self.variable_value(name, value, is_const=is_const)
            else:  # destructuring: `const { a, b: c } = obj` / `= require("./x")`
                names = _pattern_names(name_node)
                self.locals.extend(local for _, local in names)
                if exported:
                    for _, local in names:
                        self._export(local, line, local=local)
                required = _require_source(value)
                if required is not None and name_node.kind() == "object_pattern":
                    for key, local in names:
                        self._import(local, required, key, False, declarator)

    def variable_value(self, name: str, value: SgNode | None, *, is_const: bool) -> None:
        inner = _unwrap(value)
        if inner is None:
            return
        kind = inner.kind()
        if kind in _FUNCTION_VALUE_KINDS:
            self.function(inner, name)
            return
        required = _require_source(inner)
        if required is not None:
            self._import(name, required, "*", False, inner)
            return
        if not is_const:
            return
        constant = self.constant_of(value, name)
        if constant is not None:
            self.facts.constants[name] = constant

    def constant_of(self, value: SgNode | None, name: str) -> ConstValue | None:
        if value is None:
            return None
        line = _line(value)
        text = string_value(value)
        if text is not None:
            return ConstValue(kind="string", value=text, line=line)
        frozen = value.kind() == "as_expression" and value.text().rstrip().endswith("const")
        inner = _unwrap(value)
        if inner is None:
            return None
        if inner.kind() == "call_expression" and callee_name(inner) == "Object.freeze":
            arguments = call_arguments(inner)
            inner = _unwrap(arguments[0]) if len(arguments) == 1 else None
            frozen = True
            if inner is None:
                return None
        kind = inner.kind()
        if kind == "object":
            members: dict[str, str] = {}
            member_aliases: dict[str, str] = {}
            _flatten(inner, "", members, member_aliases)
            if not frozen:
                self._plain_objects.add(name)
            return ConstValue(
                kind="object", members=members, member_aliases=member_aliases, line=line
            )
        if kind in ("identifier", "member_expression", "subscript_expression"):
            dotted = dotted_name(inner)
            if dotted is not None:
                return ConstValue(kind="alias", alias=dotted, line=line)
        return None

    def function(self, node: SgNode, name: str) -> None:
        where = node.range()
        self.facts.functions[name] = FunctionDef(
            name=name,
            line=where.start.line + 1,
            end_line=where.end.line + 1,
            is_async=_has_token(node, "async"),
            params=_params(node),
        )

    def commonjs_export(self, node: SgNode) -> None:
        expression = next(iter(_named(node)), None)
        if expression is None or expression.kind() != "assignment_expression":
            return
        target = dotted_name(expression.field("left"))
        value = _unwrap(expression.field("right"))
        if target is None or value is None:
            return
        line = _line(node)
        if target == "module.exports":
            self.facts.commonjs = True
            if value.kind() == "identifier":
                self._export("default", line, local=value.text())
            elif value.kind() == "object":
                for key, member in object_properties(value):
                    local = member.text() if member.kind() in _IDENTIFIER_KINDS else None
                    self._export(key, line, local=local)
            else:
                self._export("default", line)
                if value.kind() in _FUNCTION_VALUE_KINDS:
                    self.function(value, "default")
        elif target.startswith(("exports.", "module.exports.")) and target.count(".") == (
            1 if target.startswith("exports.") else 2
        ):
            self.facts.commonjs = True
            key = target.rsplit(".", 1)[1]
            local = value.text() if value.kind() == "identifier" else None
            self._export(key, line, local=local)

    # -- plain objects written to elsewhere are not constants ---------------------------------

    def drop_mutated_objects(self, root: SgNode) -> None:
        if not self._plain_objects:
            return
        written: set[str] = set()
        text = root.text()
        # one traversal (in Rust) for both assignment kinds, only to members of some object
        member_write = root.find_all(
            any=[{"kind": "assignment_expression"}, {"kind": "augmented_assignment_expression"}],
            has={
                "field": "left",
                "any": [{"kind": "member_expression"}, {"kind": "subscript_expression"}],
            },
        )
        for assignment in member_write:
            base = _base_identifier(assignment.field("left"), member_only=True)
            if base is not None:
                written.add(base)
        if "delete" in text:
            for unary in root.find_all(pattern="delete $TARGET"):
                base = _base_identifier(unary.get_match("TARGET"), member_only=True)
                if base is not None:
                    written.add(base)
        if "Object.assign" in text:
            for call in root.find_all(pattern="Object.assign($TARGET, $$$REST)"):
                base = _base_identifier(call.get_match("TARGET"), member_only=False)
                if base is not None:
                    written.add(base)
        for name in self._plain_objects & written:
            self.facts.constants.pop(name, None)


_IDENTIFIER_KINDS = frozenset({"identifier", "shorthand_property_identifier"})


def _last_named(node: SgNode) -> SgNode | None:
    named = _named(node)
    return named[-1] if named else None


def _base_identifier(node: SgNode | None, *, member_only: bool) -> str | None:
    """`X` for `X.a.b` / `X[k]` (and for `X` itself unless `member_only`)."""
    node = _unwrap(node)
    if node is None:
        return None
    if node.kind() == "identifier":
        return None if member_only else node.text()
    while node is not None and node.kind() in ("member_expression", "subscript_expression"):
        node = _unwrap(node.field("object"))
    if node is not None and node.kind() == "identifier":
        return node.text()
    return None


def _require_source(value: SgNode | None) -> str | None:
    """The specifier of `require("x")` (also behind `await`/parentheses), else None."""
    inner = _unwrap(value)
    if inner is None or inner.kind() != "call_expression" or callee_name(inner) != "require":
        return None
    arguments = call_arguments(inner)
    return string_value(arguments[0]) if len(arguments) == 1 else None


def _pattern_names(pattern: SgNode) -> list[tuple[str, str]]:
    """(property key, local name) for the top-level names a destructuring pattern binds."""
    names: list[tuple[str, str]] = []
    for child in _named(pattern):
        kind = child.kind()
        if kind in ("shorthand_property_identifier_pattern", "identifier"):
            names.append((child.text(), child.text()))
        elif kind == "pair_pattern":
            key = child.field("key")
            value = _unwrap_pattern(child.field("value"))
            if key is not None and value is not None and value.kind() == "identifier":
                names.append((string_value(key) or key.text(), value.text()))
        elif kind == "object_assignment_pattern":
            left = child.field("left")
            if left is not None and left.kind() in (
                "shorthand_property_identifier_pattern",
                "identifier",
            ):
                names.append((left.text(), left.text()))
        elif kind == "assignment_pattern":
            left = child.field("left")
            if left is not None and left.kind() == "identifier":
                names.append((left.text(), left.text()))
    return names


def _unwrap_pattern(node: SgNode | None) -> SgNode | None:
    if node is not None and node.kind() == "assignment_pattern":
        return node.field("left")
    return node


def _params(function: SgNode) -> list[str]:
    single = function.field("parameter")  # `x => ...`
    if single is not None:
        return [single.text()]
    parameters = function.field("parameters")
    if parameters is None:
        return []
    names: list[str] = []
    for parameter in _named(parameters):
        pattern = parameter.field("pattern") if parameter.kind().endswith("_parameter") else None
        node = pattern if pattern is not None else parameter
        if node.kind() == "assignment_pattern":
            node = node.field("left") or node
        if node.kind() == "this":
            continue
        names.append(node.text())
    return names


def _flatten(obj: SgNode, prefix: str, members: dict[str, str], aliases: dict[str, str]) -> None:
    for key, value in object_properties(obj):
        path = f"{prefix}{key}"
        if value.kind() == "shorthand_property_identifier":
            aliases[path] = value.text()
            continue
        text = string_value(value)
        if text is not None:
            members[path] = text
            continue
        inner = _unwrap(value)
        if inner is None:
            continue
        if inner.kind() == "object":
            _flatten(inner, f"{path}.", members, aliases)
        elif inner.kind() in ("identifier", "member_expression", "subscript_expression"):
            dotted = dotted_name(inner)
            if dotted is not None:
                aliases[path] = dotted
