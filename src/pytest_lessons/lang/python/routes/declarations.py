"""Pass 1 over a module: the routers it constructs and the `Annotated` dependency aliases.

A receiver is accepted as a router when it is constructed in this file (`FastAPI()`,
`APIRouter()`, `Flask()`, `Blueprint()`, `Starlette()`, starlette `Router()`); module-level
string constants are recorded too, so a prefix written as a constant is followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange

from pytest_lessons.lang.python.routes.ast_syntax import last_part
from pytest_lessons.lang.python.routes.dependencies import (
    dependencies_in_annotation,
    dependency_list,
)
from pytest_lessons.lang.python.routes.facts import APP_KINDS, Dependency, RouterDecl, RouterKind
from pytest_lessons.lang.python.routes.rules import (
    BLUEPRINT_PARAMETERS,
    ROUTER_CONSTRUCTORS,
    self_attribute,
)
from pytest_lessons.lang.python.syntax import (
    QuickVisitor,
    arguments_by_parameter,
    callee_name,
    dotted_name,
    node_text,
    string_value,
)


class Declarations(QuickVisitor):
    def on_visit(self, node: cst.CSTNode) -> bool:
        """Declarations are statements; no statement sits inside an expression, so the pass
        does not descend into one (most of a module's nodes)."""
        return super().on_visit(node) and not isinstance(node, cst.BaseExpression)

    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange], starlette: bool) -> None:
        super().__init__()
        self.positions = positions
        self.starlette = starlette
        self.functions: dict[str, cst.FunctionDef] = {}
        self.classes: dict[str, cst.ClassDef] = {}
        self.routers: dict[str, RouterDecl] = {}
        self.constants: dict[str, str] = {}
        self.aliases: dict[str, list[Dependency]] = {}
        self.constructors: dict[str, RouterKind] = dict(ROUTER_CONSTRUCTORS)
        self._depth = 0
        self._class_names: list[str] = []
        self.held: dict[str, str] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.setdefault(node.name.value, node)
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.setdefault(node.name.value, node)
        self._class_names.append(node.name.value)
        for base in node.bases:  # `class CTFdFlask(Flask)`: constructing it makes an app
            kind = self.constructors.get(last_part(dotted_name(base.value)) or "")
            if kind is not None:
                self.constructors.setdefault(node.name.value, kind)
        self._depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1
        self._class_names.pop()

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        name = self_attribute(dotted_name(target), self._class_names)
        if name is None:
            return
        if self._depth == 0 and "." not in name:
            text = string_value(value)
            if text is not None:
                self.constants[name] = text
            aliases = dependencies_in_annotation(value)
            if aliases:
                self.aliases[name] = [alias.model_copy(update={"via": name}) for alias in aliases]
        if not isinstance(value, cst.Call):
            return
        constructor = last_part(callee_name(value)) or ""
        kind = self.constructors.get(constructor)
        callee = callee_name(value)
        if kind is None and callee is not None and self._held_attribute(target):
            self.held.setdefault(name, callee)
        if kind is None and constructor == "Router" and self.starlette:
            kind = "starlette-router"
        if kind is None:
            return
        prefix_node: cst.BaseExpression | None = None
        if kind == "apirouter":
            prefix_node = arguments_by_parameter(value, ("prefix",)).get("prefix")
        elif kind == "blueprint":
            prefix_node = arguments_by_parameter(value, BLUEPRINT_PARAMETERS).get("url_prefix")
        prefix, prefix_expr = self.text_of(prefix_node)
        where: Literal["router", "app"] = "app" if kind in APP_KINDS else "router"
        dependencies = dependency_list(arguments_by_parameter(value, ()).get("dependencies"), where)
        self.routers[name] = RouterDecl(
            name=name,
            kind=kind,
            prefix=prefix,
            prefix_expr=prefix_expr,
            dependencies=dependencies,
            line=self.positions[value].start.line,
        )

    def _held_attribute(self, target: cst.BaseExpression) -> bool:
        """`self.<name> = ...` directly inside a method of a class."""
        return (
            bool(self._class_names)
            and isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == "self"
        )

    def text_of(self, node: cst.BaseExpression | None) -> tuple[str | None, str | None]:
        """(literal, None), or (None, source text) for anything else; constants are followed."""
        if node is None:
            return None, None
        value = string_value(node)
        if value is None and isinstance(node, cst.Name):
            value = self.constants.get(node.value)
        if value is not None:
            return value, None
        return None, node_text(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        if self._depth == 0:
            aliases = dependencies_in_annotation(node.value)
            if aliases:
                name = node.name.value
                self.aliases[name] = [a.model_copy(update={"via": name}) for a in aliases]
