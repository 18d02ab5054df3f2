"""Pass 1 over a module read with stdlib `ast`: the twin of `declarations` (libcst).

The routers a module constructs, its `Annotated` dependency aliases, its module-level string
constants, the objects its classes hold, and its functions and classes by name, recorded as
`declarations.Declarations` records them (first function of a name, last constant, routers in
the order first assigned), so the second pass (`registrations_ast`) gives the libcst reader's
facts.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Literal

from pytest_lessons.lang.python.ast_source import AstSource
from pytest_lessons.lang.python.routes.ast_syntax import (
    ast_arguments_by_parameter,
    ast_callee,
    ast_dotted,
    ast_string,
)
from pytest_lessons.lang.python.routes.dependencies_ast import (
    ast_annotated_dependencies,
    ast_dependency_list,
)
from pytest_lessons.lang.python.routes.facts import APP_KINDS, Dependency, RouterDecl, RouterKind
from pytest_lessons.lang.python.routes.rules import (
    BLUEPRINT_PARAMETERS,
    ROUTER_CONSTRUCTORS,
    self_attribute,
)

AstFunction = ast.FunctionDef | ast.AsyncFunctionDef
_TYPE_ALIAS: type[ast.AST] | None = getattr(ast, "TypeAlias", None)
"""`type X = ...` (Python 3.12); an older `ast` rejects the module and libcst reads it."""


class AstDeclarations:
    def __init__(self, source: AstSource, starlette: bool) -> None:
        self.source = source
        self.starlette = starlette
        self.functions: dict[str, AstFunction] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.routers: dict[str, RouterDecl] = {}
        self.constants: dict[str, str] = {}
        self.aliases: dict[str, list[Dependency]] = {}
        self.constructors: dict[str, RouterKind] = dict(ROUTER_CONSTRUCTORS)
        self.held: dict[str, str] = {}
        self._depth = 0
        self._class_names: list[str] = []
        self._current: ast.stmt | None = None

    def text(self, node: ast.AST, indent: str | None = None) -> str:
        """The node's text as libcst gives it, in the statement being read or at `indent`."""
        return self.source.libcst_text(node, self._indent if indent is None else indent)

    def visit(self, statements: list[ast.stmt]) -> None:
        """Read statements and the statements nested in them; no statement sits inside an
        expression, so expressions (most of a module's nodes) are not walked."""
        for statement in statements:
            outer = self._current
            self._current = statement
            self._statement(statement)
            self._current = outer

    @property
    def _indent(self) -> str:
        """The indentation of the statement being read (texts are few: found when asked)."""
        return "" if self._current is None else self.source.indent(self._current)

    def _statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions.setdefault(node.name, node)
            self._depth += 1
            self.visit(node.body)
            self._depth -= 1
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._assigned(target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._assigned(node.target, node.value)
        elif _TYPE_ALIAS is not None and isinstance(node, _TYPE_ALIAS):
            self._type_alias(node)
        else:
            for block in _blocks(node):
                self.visit(block)

    def _class(self, node: ast.ClassDef) -> None:
        self.classes.setdefault(node.name, node)
        self._class_names.append(node.name)
        for base in node.bases:  # `class CTFdFlask(Flask)`: constructing it makes an app
            dotted = ast_dotted(base.value if isinstance(base, ast.Starred) else base)
            kind = self.constructors.get(dotted.rsplit(".", 1)[-1] if dotted else "")
            if kind is not None:
                self.constructors.setdefault(node.name, kind)
        self._depth += 1
        self.visit(node.body)
        self._depth -= 1
        self._class_names.pop()

    def _type_alias(self, node: ast.AST) -> None:
        name = getattr(node, "name", None)
        if self._depth == 0 and isinstance(name, ast.Name):
            aliases = ast_annotated_dependencies(getattr(node, "value", None), self.text)
            if aliases:
                self.aliases[name.id] = [a.model_copy(update={"via": name.id}) for a in aliases]

    def _assigned(self, target: ast.expr, value: ast.expr) -> None:
        name = self_attribute(ast_dotted(target), self._class_names)
        if name is None:
            return
        if self._depth == 0 and "." not in name:
            text = ast_string(value)
            if text is not None:
                self.constants[name] = text
            aliases = ast_annotated_dependencies(value, self.text)
            if aliases:
                self.aliases[name] = [alias.model_copy(update={"via": name}) for alias in aliases]
        if not isinstance(value, ast.Call):
            return
        callee = ast_callee(value)
        constructor = callee.rsplit(".", 1)[-1] if callee is not None else ""
        kind = self.constructors.get(constructor)
        if kind is None and callee is not None and self._held_attribute(target):
            self.held.setdefault(name, callee)
        if kind is None and constructor == "Router" and self.starlette:
            kind = "starlette-router"
        if kind is None:
            return
        prefix_node: ast.expr | None = None
        if kind == "apirouter":
            prefix_node = ast_arguments_by_parameter(value, ("prefix",)).get("prefix")
        elif kind == "blueprint":
            prefix_node = ast_arguments_by_parameter(value, BLUEPRINT_PARAMETERS).get("url_prefix")
        prefix, prefix_expr = self.text_of(prefix_node)
        where: Literal["router", "app"] = "app" if kind in APP_KINDS else "router"
        dependencies = ast_dependency_list(
            ast_arguments_by_parameter(value, ()).get("dependencies"), where, self.text
        )
        self.routers[name] = RouterDecl(
            name=name,
            kind=kind,
            prefix=prefix,
            prefix_expr=prefix_expr,
            dependencies=dependencies,
            line=value.lineno,
        )

    def _held_attribute(self, target: ast.expr) -> bool:
        """`self.<name> = ...` directly inside a method of a class."""
        return (
            bool(self._class_names)
            and isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        )

    def text_of(
        self, node: ast.expr | None, indent: str | None = None
    ) -> tuple[str | None, str | None]:
        """(literal, None), or (None, source text) for anything else; constants are followed."""
        if node is None:
            return None, None
        value = ast_string(node)
        if value is None and isinstance(node, ast.Name):
            value = self.constants.get(node.id)
        if value is not None:
            return value, None
        return None, self.text(node, indent)


def _blocks(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists nested in a compound statement, in source order."""
    for field in ("body", "handlers", "orelse", "finalbody", "cases"):
        value = getattr(node, field, None)
        if not value:
            continue
        if field in ("handlers", "cases"):
            for part in value:
                yield part.body
        else:
            yield value
