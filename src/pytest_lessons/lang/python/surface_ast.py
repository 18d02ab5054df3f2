"""A module's import surface read with the standard library's `ast`, the fast path of `imports`.

Every cross-file Python lesson needs the surface (imports, top-level functions, classes and
assignments) of every Python file, only to resolve names; most of those files are never looked at
again. Building it with libcst costs a full parse, a position pass and a visit per file (about
50 ms on real modules), which made the surfaces alone most of a cold run. `ast` builds the same
facts roughly twenty times faster, because its parser and its positions come from CPython.

The surface must not depend on which parser built it: texts are the exact source slices libcst's
`code_for_node` gives (annotations, defaults, decorator arguments, assigned expressions), lines
are the `def`/`class`/import statement lines, and the shapes libcst treats specially (a one-line
class body, a one-line `if x: y = 1`) are skipped the same way. `ast` only parses the grammar of
the running interpreter, so a file using newer syntax (`type X = ...` under 3.11) raises
`SyntaxError` here and the caller falls back to libcst, which parses every version.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from pytest_lessons.lang.python.ast_source import AstSource, Parsed, parsed
from pytest_lessons.lang.python.modern_syntax import TYPE_ALIAS
from pytest_lessons.lang.python.surface import (
    ClassSig,
    DecoratorSig,
    FunctionSig,
    ImportBinding,
    ParamSig,
)

_ASSIGNMENTS: tuple[type[ast.stmt], ...] = (ast.Assign, ast.AnnAssign, TYPE_ALIAS)

__all__ = ["AstSurface", "ast_surface"]

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_Absolute = Callable[[str | None, bool, int, str], str]
"""Makes a relative import absolute: (this module, is a package, level, source) -> module."""


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _string_list(node: ast.AST | None) -> list[str] | None:
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return None
    values: list[str] = []
    for element in node.elts:
        if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
            return None
        values.append(element.value)
    return values


class AstSurface:
    """The `ModuleSurface` fields of one file, filled by walking its `ast` tree once."""

    def __init__(self, source: AstSource, module: str | None, is_package: bool) -> None:
        self.source = source
        self.module = module
        self.is_package = is_package
        self.imports: list[ImportBinding] = []
        self.functions: dict[str, FunctionSig] = {}
        self.classes: dict[str, ClassSig] = {}
        self.assignments: dict[str, str] = {}
        self.all_names: list[str] | None = None

    def walk(self, tree: ast.Module, absolute: _Absolute) -> None:
        self._absolute = absolute
        self._statements(tree.body, depth=0, suite=False)

    # -- statements ----------------------------------------------------------------------------

    def _statements(self, body: list[ast.stmt], depth: int, suite: bool) -> None:
        for statement in body:
            self._statement(statement, depth, suite)

    def _statement(self, node: ast.stmt, depth: int, suite: bool) -> None:
        if isinstance(node, ast.Import):
            self._import(node, depth)
        elif isinstance(node, ast.ImportFrom):
            self._import_from(node, depth)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if depth == 0:
                self.functions[node.name] = self.function_sig(node)
            self._nested(node, node.body, depth + 1)
        elif isinstance(node, ast.ClassDef):
            if depth == 0:
                self.classes[node.name] = self._class_sig(node)
            self._nested(node, node.body, depth + 1)
        elif depth == 0 and not suite and isinstance(node, _ASSIGNMENTS):
            self._module_assignment(node)
        else:
            for field in ("body", "orelse", "finalbody"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    self._nested(node, block, depth)
            for handler in getattr(node, "handlers", []):
                self._nested(handler, handler.body, depth)
            for case in getattr(node, "cases", []):
                self._nested(case, case.body, depth)

    def _nested(self, header: ast.AST, body: list[ast.stmt], depth: int) -> None:
        suite = bool(body) and isinstance(header, ast.stmt) and self._one_line(header, body)
        self._statements(body, depth, suite)

    def _one_line(self, header: ast.stmt, body: list[ast.stmt]) -> bool:
        """`if x: y = 1`: libcst keeps such a body as a suite, not as statement lines."""
        return body[0].lineno == _colon_line(header, self.source)

    # -- imports -------------------------------------------------------------------------------

    def _import(self, node: ast.Import, depth: int) -> None:
        for alias in node.names:
            dotted = alias.name
            if alias.asname is not None:
                local, module = alias.asname, dotted
            else:
                local = module = dotted.split(".", 1)[0]
            self.imports.append(
                ImportBinding(
                    local=local,
                    module=module if alias.asname is not None else dotted,
                    name=None,
                    source=dotted,
                    line=node.lineno,
                    top_level=depth == 0,
                    aliased=alias.asname is not None,
                )
            )

    def _import_from(self, node: ast.ImportFrom, depth: int) -> None:
        level = node.level or 0
        source = node.module or ""
        module = self._absolute(self.module, self.is_package, level, source)
        for alias in node.names:
            star = alias.name == "*"
            self.imports.append(
                ImportBinding(
                    local="*" if star else (alias.asname or alias.name),
                    module=module,
                    name=alias.name,
                    level=level,
                    source="." * level + source,
                    line=node.lineno,
                    top_level=depth == 0,
                )
            )
            if star:
                return

    # -- definitions ---------------------------------------------------------------------------

    def _module_assignment(self, node: ast.stmt) -> None:
        for name, value in self._assigned(node):
            self.assignments[name] = value
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            self.all_names = _string_list(node.value)

    def _assigned(self, node: ast.stmt) -> Iterator[tuple[str, str]]:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, self.source.text(node.value)
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
        ):
            yield node.target.id, self.source.text(node.value)
        elif isinstance(node, TYPE_ALIAS):
            # `type NAME = expr` (PEP 695; before 3.12 read through `modern_syntax`): the
            # libcst reader records it as an assignment, so this one must too.
            name: ast.Name = node.name  # type: ignore[attr-defined]
            yield name.id, self.source.text(node.value)  # type: ignore[attr-defined]

    def _class_sig(self, node: ast.ClassDef) -> ClassSig:
        methods: dict[str, FunctionSig] = {}
        attributes: dict[str, str] = {}
        if not self._one_line(node, node.body):
            for statement in node.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods[statement.name] = self.function_sig(statement)
                else:
                    for name, value in self._assigned(statement):
                        attributes[name] = value
        return ClassSig(
            name=node.name,
            line=node.lineno,
            bases=[self.source.text(base) for base in node.bases],
            decorators=[self._decorator(d) for d in node.decorator_list],
            methods=methods,
            attributes=attributes,
        )

    def function_sig(self, node: _Function) -> FunctionSig:
        return FunctionSig(
            name=node.name,
            line=node.lineno,
            column=node.col_offset + 1,
            params=self._params(node.args),
            decorators=[self._decorator(d) for d in node.decorator_list],
            is_async=isinstance(node, ast.AsyncFunctionDef),
            returns=None if node.returns is None else self.source.text(node.returns),
        )

    def _params(self, arguments: ast.arguments) -> list[ParamSig]:
        found: list[ParamSig] = []
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
        defaults.extend(arguments.defaults)
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
            kind = "positional-only" if index < len(arguments.posonlyargs) else "normal"
            found.append(self._param(arg, kind, default))
        if arguments.vararg is not None:
            found.append(self._param(arguments.vararg, "var-positional", None))
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            found.append(self._param(arg, "keyword-only", default))
        if arguments.kwarg is not None:
            found.append(self._param(arguments.kwarg, "var-keyword", None))
        return found

    def _param(self, arg: ast.arg, kind: str, default: ast.expr | None) -> ParamSig:
        return ParamSig(
            name=arg.arg,
            kind=kind,
            annotation=None if arg.annotation is None else self.source.text(arg.annotation),
            default=None if default is None else self.source.text(default),
        )

    def _decorator(self, node: ast.expr) -> DecoratorSig:
        if isinstance(node, ast.Call):
            return DecoratorSig(
                name=_dotted(node.func),
                text=self.source.text(node),
                is_call=True,
                args=[self.source.text(a) for a in node.args if not isinstance(a, ast.Starred)],
                keywords={
                    k.arg: self.source.text(k.value) for k in node.keywords if k.arg is not None
                },
            )
        return DecoratorSig(name=_dotted(node), text=self.source.text(node))


def _colon_line(header: ast.stmt, source: AstSource) -> int:
    """The line holding the `:` that ends a compound statement's header.

    `ast` gives no position for the colon, so the header's last expression is found instead: the
    colon follows it on the same line (a header that continues over brackets ends where its last
    part ends). A `try:`/`else:` header has no expression and is on its own line.
    """
    last_line = header.lineno
    for part in _header_parts(header):
        end = getattr(part, "end_lineno", None)
        if isinstance(end, int):
            last_line = max(last_line, end)
    return last_line


def _header_parts(header: ast.stmt) -> Iterator[ast.AST]:
    if isinstance(header, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from header.args.args
        yield from header.args.posonlyargs
        yield from header.args.kwonlyargs
        yield from header.args.defaults
        yield from (d for d in header.args.kw_defaults if d is not None)
        for extra in (header.args.vararg, header.args.kwarg, header.returns):
            if extra is not None:
                yield extra
    elif isinstance(header, ast.ClassDef):
        yield from header.bases
        yield from header.keywords
    else:
        for field in ("test", "target", "iter", "items", "subject"):
            value = getattr(header, field, None)
            if isinstance(value, ast.AST):
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, ast.AST))


def ast_surface(
    text: Parsed, module: str | None, is_package: bool, absolute: _Absolute
) -> AstSurface:
    """Walk a module with `ast`; raises SyntaxError (or ValueError) for the libcst fallback."""
    tree, source = parsed(text)
    surface = AstSurface(source, module, is_package)
    surface.walk(tree, absolute)
    return surface
