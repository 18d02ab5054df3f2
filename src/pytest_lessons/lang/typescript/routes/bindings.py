"""A module's top-level names and exports, and how a handler expression peels into wrappers.

`withAuth(withLogging(handler))` is two wrappers (outermost first) around `handler`, which is then
looked up among the module's functions, bindings and imports. Every route framework registers
handlers through such expressions, so the Next.js, Express-style and middleware extractors share
this one reading of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from ast_grep_py import SgNode

from pytest_lessons.lang.typescript.routes.facts import HandlerRef
from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    dotted_name,
    export_specifiers,
    span,
    span_fields,
    string_value,
)

FUNCTION_KINDS = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "function_declaration",
        "generator_function",
        "generator_function_declaration",
    }
)
_TRANSPARENT_KINDS = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)


def unwrap(node: SgNode | None) -> SgNode | None:
    while node is not None and node.kind() in _TRANSPARENT_KINDS:
        node = next((c for c in node.children() if c.is_named() and c.kind() != "comment"), None)
    return node


class ModuleScope:
    """Top-level names of the module: functions, other bindings, and imports."""

    def __init__(self, root: SgNode) -> None:
        self.functions: dict[str, SgNode] = {}
        self.values: dict[str, SgNode] = {}
        self.imports: dict[str, tuple[str, str]] = {}
        self.http_client = False
        for statement in root.children():
            self._statement(statement)

    def _statement(self, statement: SgNode) -> None:
        kind = statement.kind()
        if kind == "export_statement":
            declaration = statement.field("declaration")
            if declaration is not None:
                self._statement(declaration)
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = statement.field("name")
            if name is not None:
                self.functions[name.text()] = statement
        elif kind in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.children():
                if declarator.kind() != "variable_declarator":
                    continue
                name = declarator.field("name")
                value = declarator.field("value")
                if name is None or value is None or name.kind() != "identifier":
                    continue
                inner = unwrap(value)
                if (
                    inner is not None
                    and inner.kind() == "call_expression"
                    and callee_name(inner) == "require"
                ):
                    module = string_value(next(iter(call_arguments(inner)), None))
                    if module is not None:
                        self._import(name.text(), module, "*")
                        continue
                self.values[name.text()] = value
        elif kind == "import_statement":
            self._import_statement(statement)

    def _import_statement(self, statement: SgNode) -> None:
        module = string_value(statement.field("source"))
        if module is None:
            return
        clause = next((c for c in statement.children() if c.kind() == "import_clause"), None)
        if clause is None:
            self._import("", module, "")
            return
        for part in clause.children():
            if part.kind() == "identifier":
                self._import(part.text(), module, "default")
            elif part.kind() == "namespace_import":
                ident = part.find(kind="identifier")
                if ident is not None:
                    self._import(ident.text(), module, "*")
            elif part.kind() == "named_imports":
                for spec in part.children():
                    if spec.kind() != "import_specifier":
                        continue
                    name = spec.field("name")
                    alias = spec.field("alias")
                    if name is not None:
                        local = alias if alias is not None else name
                        self._import(local.text(), module, name.text())

    def _import(self, local: str, module: str, imported: str) -> None:
        head = module.split("/")[0]
        if head in _HTTP_CLIENT_MODULES:
            self.http_client = True
        if local:
            self.imports[local] = (module, imported)


_HTTP_CLIENT_MODULES = frozenset(
    {"axios", "ky", "got", "ofetch", "superagent", "node-fetch", "wretch"}
)


def _is_function(node: SgNode | None) -> bool:
    return node is not None and node.kind() in FUNCTION_KINDS


def ref_span(node: SgNode) -> dict[str, int]:
    return span_fields(node)


def resolve_handler(
    expression: SgNode | None, scope: ModuleScope, depth: int = 0
) -> tuple[list[str], HandlerRef, SgNode | None]:
    """Peel wrappers off a handler expression: (wrapper names, the handler, its function node)."""
    node = unwrap(expression)
    if node is None:
        return [], HandlerRef(kind="unknown"), None
    kind = node.kind()
    if kind in FUNCTION_KINDS:
        return [], HandlerRef(kind="inline", **ref_span(node)), node
    if kind == "identifier":
        return _resolve_name(node.text(), scope, depth)
    if kind == "call_expression":
        callee = callee_name(node) or _chain_name(node.field("function"))
        if callee is None:
            return [], HandlerRef(kind="unknown", name=None), None
        inner = _handler_argument(call_arguments(node))
        if inner is None:
            return [callee], HandlerRef(kind="unknown"), None
        wrappers, ref, function = resolve_handler(inner, scope, depth + 1)
        return [callee, *wrappers], ref, function
    if kind == "member_expression":
        return [], HandlerRef(kind="unknown", name=dotted_name(node)), None
    return [], HandlerRef(kind="unknown"), None


def _chain_name(node: SgNode | None) -> str | None:
    """`client.metadata().action` for builder chains (next-safe-action, tRPC procedures)."""
    node = unwrap(node)
    if node is None:
        return None
    kind = node.kind()
    if kind in ("identifier", "this"):
        return node.text()
    if kind == "member_expression":
        base = _chain_name(node.field("object"))
        prop = node.field("property")
        return f"{base}.{prop.text()}" if base is not None and prop is not None else None
    if kind == "call_expression":
        base = _chain_name(node.field("function"))
        return f"{base}()" if base is not None else None
    return None


def _handler_argument(arguments: list[SgNode]) -> SgNode | None:
    """The argument of a wrapper call that is the wrapped handler: the first function-like one."""
    for argument in arguments:
        inner = unwrap(argument)
        if inner is not None and inner.kind() in (
            *FUNCTION_KINDS,
            "identifier",
            "call_expression",
            "member_expression",
        ):
            return argument
    return None


def _header_span(statement: SgNode, name: SgNode | None) -> dict[str, int]:
    """From the statement's start to the end of the exported name: one line, not the body."""
    start = span(statement)
    end = span(name) if name is not None else start
    if name is None or end.end_line != start.line:
        first = statement.text().split("\n", 1)[0]
        return {
            "line": start.line,
            "column": start.column,
            "end_line": start.line,
            "end_column": start.column + len(first),
        }
    return {
        "line": start.line,
        "column": start.column,
        "end_line": end.end_line,
        "end_column": end.end_column,
    }


class Export:
    """One exported name with its value expression (or a re-export), and where it sits."""

    def __init__(
        self,
        name: str,
        where: dict[str, int],
        value: SgNode | None = None,
        local: str | None = None,
        source: str | None = None,
        destructured_from: str | None = None,
    ) -> None:
        self.name = name
        self.where = where
        self.value = value
        self.local = local
        self.source = source
        self.destructured_from = destructured_from

    def resolve(self, scope: ModuleScope) -> tuple[list[str], HandlerRef, SgNode | None]:
        if self.source is not None:
            imported = self.local or self.name
            ref = HandlerRef(kind="import", name=imported, module=self.source, imported=imported)
            return [], ref, None
        if self.destructured_from is not None:
            return (
                [],
                HandlerRef(kind="unknown", name=f"{self.destructured_from}.{self.name}"),
                None,
            )
        if self.local is not None:
            return _resolve_name(self.local, scope)
        return resolve_handler(self.value, scope)


def _resolve_name(
    name: str, scope: ModuleScope, depth: int = 0
) -> tuple[list[str], HandlerRef, SgNode | None]:
    """A local name: its function, the wrappers of its `const x = withY(...)`, or its import."""
    if name in scope.functions:
        declared = scope.functions[name]
        return [], HandlerRef(kind="local", name=name, **ref_span(declared)), declared
    if name in scope.values:
        value = unwrap(scope.values[name])
        if value is not None and value.kind() in FUNCTION_KINDS:
            return [], HandlerRef(kind="local", name=name, **ref_span(value)), value
        if value is not None and value.kind() == "call_expression" and depth < 4:
            wrappers, ref, function = resolve_handler(value, scope, depth + 1)
            if wrappers:
                return wrappers, ref, function
        if value is not None:
            return [], HandlerRef(kind="local", name=name, **ref_span(value)), None
    if name in scope.imports:
        module, imported = scope.imports[name]
        return [], HandlerRef(kind="import", name=name, module=module, imported=imported), None
    return [], HandlerRef(kind="unknown", name=name), None


def module_exports(root: SgNode) -> tuple[list[Export], list[str]]:
    """Every export (CommonJS `module.exports = x` as "default"), and `export *` specifiers."""
    found: list[Export] = []
    stars: list[str] = []
    for statement in root.children():
        kind = statement.kind()
        if kind == "expression_statement":
            assignment = next((c for c in statement.children() if c.is_named()), None)
            if assignment is not None and assignment.kind() == "assignment_expression":
                left = dotted_name(assignment.field("left"))
                if left == "module.exports":
                    found.append(
                        Export(
                            "default",
                            _header_span(statement, assignment.field("left")),
                            assignment.field("right"),
                        )
                    )
            continue
        if kind != "export_statement":
            continue
        source = string_value(statement.field("source"))
        children = statement.children()
        is_default = any(child.kind() == "default" for child in children)
        declaration = statement.field("declaration")
        if any(c.kind() == "export_clause" for c in children):
            for exported, local, spec in export_specifiers(statement):
                found.append(Export(exported, ref_span(spec), local=local, source=source))
            continue
        if source is not None:
            if not any(child.kind() == "namespace_export" for child in children):
                stars.append(source)
            continue
        if is_default:
            value = declaration if declaration is not None else statement.field("value")
            if value is None:
                value = next((c for c in children if c.is_named() and c.kind() != "comment"), None)
            name_node = declaration.field("name") if declaration is not None else None
            found.append(Export("default", _header_span(statement, name_node), value))
            continue
        if declaration is None:
            continue
        declaration_kind = declaration.kind()
        if declaration_kind in ("function_declaration", "generator_function_declaration"):
            name = declaration.field("name")
            if name is not None:
                found.append(Export(name.text(), _header_span(statement, name), declaration))
        elif declaration_kind in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.children():
                if declarator.kind() != "variable_declarator":
                    continue
                name = declarator.field("name")
                value = declarator.field("value")
                if name is None:
                    continue
                if name.kind() == "identifier":
                    found.append(Export(name.text(), _header_span(statement, name), value))
                elif name.kind() == "object_pattern" and value is not None:
                    origin = dotted_name(unwrap(value)) or value.text()
                    for key, _ in pattern_keys(name):
                        found.append(
                            Export(key, _header_span(statement, name), destructured_from=origin)
                        )
    return found, stars


def pattern_keys(pattern: SgNode) -> Iterator[tuple[str, SgNode]]:
    """(property key, bound node) of an object destructuring pattern."""
    for child in pattern.children():
        kind = child.kind()
        if kind == "shorthand_property_identifier_pattern":
            yield child.text(), child
        elif kind == "pair_pattern":
            key = child.field("key")
            if key is not None:
                yield string_value(key) or key.text(), child
        elif kind == "object_assignment_pattern":
            left = child.field("left")
            if left is not None:
                yield left.text(), child
