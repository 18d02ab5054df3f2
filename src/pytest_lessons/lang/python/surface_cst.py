"""A module's import surface read with libcst: the reference reading, and the fallback of `ast`.

`imports.module_surface` prefers `surface_ast` (about twenty times faster); libcst reads what the
running interpreter cannot parse (newer syntax), and turns a real syntax error into the file's
problem. Both must produce the same surface for the same text.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
from libcst.metadata import PositionProvider

from pytest_lessons.lang.python.module_names import absolute_module
from pytest_lessons.lang.python.surface import (
    ClassSig,
    DecoratorSig,
    FunctionSig,
    ImportBinding,
    ModuleSurface,
    ParamSig,
)
from pytest_lessons.lang.python.syntax import dotted_name, node_text, string_list
from pytest_lessons.source import SourceFile

__all__ = ["cst_surface", "decorator_sig", "function_sig", "param_sigs"]


class _Extractor(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, module: str | None, is_package: bool) -> None:
        super().__init__()
        self.module = module
        self.is_package = is_package
        self.imports: list[ImportBinding] = []
        self.functions: dict[str, FunctionSig] = {}
        self.classes: dict[str, ClassSig] = {}
        self.assignments: dict[str, str] = {}
        self.all_names: list[str] | None = None
        self._depth = 0  # function/class nesting

    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    def _sig(self, node: cst.FunctionDef) -> FunctionSig:
        start = self.get_metadata(PositionProvider, node).start
        return function_sig(node, start.line, start.column + 1)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = dotted_name(alias.name) or node_text(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local, module = alias.asname.name.value, dotted
            else:
                local, module = dotted.split(".", 1)[0], dotted.split(".", 1)[0]
            self.imports.append(
                ImportBinding(
                    local=local,
                    module=module if alias.asname is not None else dotted,
                    name=None,
                    source=dotted,
                    line=self._line(node),
                    top_level=self._depth == 0,
                    aliased=alias.asname is not None,
                )
            )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        level = len(node.relative)
        source = (dotted_name(node.module) or "") if node.module is not None else ""
        module = absolute_module(self.module, self.is_package, level, source)
        line = self._line(node)
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(
                ImportBinding(
                    local="*",
                    module=module,
                    name="*",
                    level=level,
                    source="." * level + source,
                    line=line,
                    top_level=self._depth == 0,
                )
            )
            return
        for alias in node.names:
            name = dotted_name(alias.name) or node_text(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.imports.append(
                ImportBinding(
                    local=local,
                    module=module,
                    name=name,
                    level=level,
                    source="." * level + source,
                    line=line,
                    top_level=self._depth == 0,
                )
            )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._depth == 0:
            self.functions[node.name.value] = self._sig(node)
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self._depth == 0:
            methods: dict[str, FunctionSig] = {}
            attributes: dict[str, str] = {}
            body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
            for statement in body:
                if isinstance(statement, cst.FunctionDef):
                    methods[statement.name.value] = self._sig(statement)
                elif isinstance(statement, cst.SimpleStatementLine):
                    for name, value in _assigned(statement):
                        attributes[name] = value
            self.classes[node.name.value] = ClassSig(
                name=node.name.value,
                line=self._line(node),
                bases=[node_text(arg.value) for arg in node.bases],
                decorators=[decorator_sig(d) for d in node.decorators],
                methods=methods,
                attributes=attributes,
            )
        self._depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if self._depth != 0:
            return
        for name, value in _assigned(node):
            self.assignments[name] = value
        for statement in node.body:
            if isinstance(statement, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == "__all__"
                for t in statement.targets
            ):
                self.all_names = string_list(statement.value)


def _assigned(line: cst.SimpleStatementLine) -> Iterable[tuple[str, str]]:
    """`NAME = expr`, `NAME: T = expr`, `type NAME = expr` (PEP 695) as (name, expr text)."""
    for statement in line.body:
        if isinstance(statement, cst.Assign):
            for target in statement.targets:
                if isinstance(target.target, cst.Name):
                    yield target.target.value, node_text(statement.value)
        elif isinstance(statement, cst.AnnAssign) and statement.value is not None:
            if isinstance(statement.target, cst.Name):
                yield statement.target.value, node_text(statement.value)
        elif isinstance(statement, cst.TypeAlias):
            yield statement.name.value, node_text(statement.value)


def decorator_sig(decorator: cst.Decorator) -> DecoratorSig:
    expression = decorator.decorator
    if isinstance(expression, cst.Call):
        args: list[str] = []
        keywords: dict[str, str] = {}
        for arg in expression.args:
            if arg.keyword is not None:
                keywords[arg.keyword.value] = node_text(arg.value)
            elif not arg.star:
                args.append(node_text(arg.value))
        return DecoratorSig(
            name=dotted_name(expression.func),
            text=node_text(expression),
            is_call=True,
            args=args,
            keywords=keywords,
        )
    return DecoratorSig(name=dotted_name(expression), text=node_text(expression))


def param_sigs(params: cst.Parameters) -> list[ParamSig]:
    """Every parameter in order, with its kind; `*`/`/` markers are not parameters."""
    found: list[ParamSig] = []

    def add(param: cst.Param, kind: str) -> None:
        found.append(
            ParamSig(
                name=param.name.value,
                kind=kind,
                annotation=None
                if param.annotation is None
                else node_text(param.annotation.annotation),
                default=None if param.default is None else node_text(param.default),
            )
        )

    for param in params.posonly_params:
        add(param, "positional-only")
    for param in params.params:
        add(param, "normal")
    if isinstance(params.star_arg, cst.Param):
        add(params.star_arg, "var-positional")
    for param in params.kwonly_params:
        add(param, "keyword-only")
    if params.star_kwarg is not None:
        add(params.star_kwarg, "var-keyword")
    return found


def function_sig(node: cst.FunctionDef, line: int, column: int = 1) -> FunctionSig:
    return FunctionSig(
        name=node.name.value,
        line=line,
        column=column,
        params=param_sigs(node.params),
        decorators=[decorator_sig(d) for d in node.decorators],
        is_async=node.asynchronous is not None,
        returns=None if node.returns is None else node_text(node.returns.annotation),
    )


def cst_surface(file: SourceFile, module: str | None, is_package: bool) -> ModuleSurface:
    """The surface of `file` from its shared libcst parse."""
    extractor = _Extractor(module, is_package)
    file.python_metadata().visit(extractor)
    return ModuleSurface(
        module=module,
        is_package=is_package,
        imports=extractor.imports,
        functions=extractor.functions,
        classes=extractor.classes,
        assignments=extractor.assignments,
        all_names=extractor.all_names,
    )
