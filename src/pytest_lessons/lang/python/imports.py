"""What a Python module imports and defines, and which file a name used in it comes from.

Lessons follow names out of the file they judge: a route's `Depends(get_current_user)` names a
function in `app/api/deps.py`, `app.include_router(orders.router)` names a router in
`app/routes/orders.py`, a `CurrentUser` annotation names an `Annotated[...]` alias two packages
away. This module answers those questions statically (nothing is imported or run) in the layer
shape of `pytest_lessons.lang.typescript`:

1. `module_surface(file)`: per-file facts, cached as `file.derived("py-imports-v1", ...)`: the
   import bindings (module level and, marked `top_level=False`, inside functions: Flask app
   factories import their blueprints there), top-level functions and classes with their
   signatures and decorators as text, and top-level `NAME = <expr>` assignments as text.
2. `PythonImportIndex(surfaces)`: built at judge time; `resolve(rel, "name")` and
   `resolve(rel, "orders.router")` follow `from x import y`, `import x.y as z`, re-exports through
   package `__init__.py` files, `from x import *` and submodules reached as attributes.

Module names. A file's facts depend only on its path and content (that is what the fact cache
keys on), so `ModuleSurface.module` is a guess from the path alone: the part after the last `src/`
directory (src layout), else the whole path (flat layout at the repository root). The index sees
every file and decides properly with `package_roots(rels)`:

- a directory named `src` is a root (src layout);
- a directory holding `pyproject.toml`, `setup.py` or `setup.cfg` is a root (a project in a
  monorepo: `backend/pyproject.toml` makes `backend/app/main.py` the module `app.main`) -- only
  when the caller passes those files in `files`;
- the parent of the top-most directory of an unbroken `__init__.py` chain is a root (flat layout
  without packaging metadata); a chain inside a `src` root is not, since inside `src` a namespace
  package (no `__init__.py`) is still importable from `src`;
- the repository root is always a root.

A file's module is its path below the deepest root above it. Namespace packages (directories
without `__init__.py`) are therefore named from the nearest root, as Python would name them when
that root is on `sys.path`. Because roots are a guess about `sys.path`, an absolute import that
matches no module exactly falls back to the module whose name ends with the imported dotted name,
nearest to the importing file (`app.core` from `backend/app/api/x.py` finds
`backend/app/core.py`). Relative imports are resolved by directory, never through module names,
so they are exact whatever the roots.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable, Mapping, Sequence

import libcst as cst
from libcst.metadata import PositionProvider
from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.lang.python.syntax import dotted_name, node_text, string_list
from pytest_lessons.source import SourceFile

FACTS_KEY = "py-imports-v1"
MODULE = "*"
"""The name `resolve` returns when a name is a module itself (`from . import orders`)."""

_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ImportBinding(_Model):
    """One name an import statement binds.

    `module` is absolute and dotted; a relative import is resolved against the file's guessed
    package (see the module docstring) and `source` keeps it as written (`..core`), which is what
    the index resolves by directory. `name` is None for `import x.y` / `import x.y as z`: then
    `local` is `x` (or `z`) and names the module `x` (or `x.y`). `name == "*"` is a star import.
    """

    local: str
    module: str
    name: str | None
    level: int = 0
    source: str = ""
    line: int
    top_level: bool = True


class ParamSig(_Model):
    """A parameter as written: annotation and default kept as source text."""

    name: str
    kind: str = "normal"  # positional-only | normal | var-positional | keyword-only | var-keyword
    annotation: str | None = None
    default: str | None = None


class DecoratorSig(_Model):
    """A decorator; `name` is its dotted callee (`router.get`, `login_required`) or None."""

    name: str | None
    text: str
    is_call: bool = False
    args: list[str] = Field(default_factory=list)
    keywords: dict[str, str] = Field(default_factory=dict)


class FunctionSig(_Model):
    name: str
    line: int
    column: int = 1
    params: list[ParamSig] = Field(default_factory=list)
    decorators: list[DecoratorSig] = Field(default_factory=list)
    is_async: bool = False
    returns: str | None = None


class ClassSig(_Model):
    name: str
    line: int
    bases: list[str] = Field(default_factory=list)  # source text: `APIRouter`, `views.MethodView`
    decorators: list[DecoratorSig] = Field(default_factory=list)
    methods: dict[str, FunctionSig] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)  # class-level NAME = <expr text>


class ModuleSurface(_Model):
    module: str | None
    is_package: bool = False
    imports: list[ImportBinding] = Field(default_factory=list)
    functions: dict[str, FunctionSig] = Field(default_factory=dict)
    classes: dict[str, ClassSig] = Field(default_factory=dict)
    assignments: dict[str, str] = Field(default_factory=dict)
    all_names: list[str] | None = None  # a literal `__all__`


def module_surface(file: SourceFile) -> ModuleSurface:
    """The file's imports and top-level definitions, extracted once per run and shared."""
    return file.derived(FACTS_KEY, _extract)


# ---------------------------------------------------------------------------------------------
# Module names


def _parent_dir(rel: str) -> str:
    return posixpath.dirname(rel)


def _is_under(rel: str, root: str) -> bool:
    return root == "" or rel == root or rel.startswith(root + "/")


def module_name_for(rel: str, package_roots: Sequence[str]) -> str | None:
    """The dotted module of a `.py`/`.pyi` file below the deepest root above it, else None.

    `pkg/__init__.py` is `pkg`; a root-level `__init__.py` or a name that is not an identifier
    (`my-script.py`, `1_setup.py`) has no importable name and gives None.
    """
    if not rel.endswith((".py", ".pyi")):
        return None
    roots = [root.strip("/") for root in package_roots]
    candidates = [root for root in roots if _is_under(_parent_dir(rel), root)]
    if not candidates:
        return None
    root = max(candidates, key=len)
    tail = rel[len(root) + 1 :] if root else rel
    parts = tail.rsplit(".", 1)[0].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def guessed_roots(rel: str) -> list[str]:
    """The roots visible from a path alone: the repository root and every `src` directory."""
    roots = [""]
    parts = rel.split("/")[:-1]
    for index, part in enumerate(parts):
        if part == "src":
            roots.append("/".join(parts[: index + 1]))
    return roots


def package_roots(rels: Iterable[str]) -> list[str]:
    """The directories that are on `sys.path` as far as the layout shows (module docstring)."""
    rels = list(rels)
    roots: set[str] = {""}
    packages = {_parent_dir(rel) for rel in rels if rel.rsplit("/", 1)[-1] == "__init__.py"}
    for rel in rels:
        name = rel.rsplit("/", 1)[-1]
        directory = _parent_dir(rel)
        if name in _MARKERS:
            roots.add(directory)
        for root in guessed_roots(rel)[1:]:
            roots.add(root)
    src_roots = {root for root in roots if root.rsplit("/", 1)[-1] == "src"}
    for package in packages:
        if package == "":
            continue
        top = package
        while _parent_dir(top) in packages and _parent_dir(top) != "":
            top = _parent_dir(top)
        root = _parent_dir(top)
        if any(_is_under(root, src) and root != src for src in src_roots) or any(
            _is_under(top, src) for src in src_roots
        ):
            continue
        roots.add(root)
    return sorted(roots)


# ---------------------------------------------------------------------------------------------
# Extraction


def _absolute(module: str | None, is_package: bool, level: int, source: str) -> str:
    """`..core` from `app.api.x` is `app.core`; kept as written when it climbs above the guess."""
    if level == 0:
        return source
    if module is None:
        return "." * level + source
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level - 1 > len(package):
        return "." * level + source
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([source] if source else [])])


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
                )
            )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        level = len(node.relative)
        source = (dotted_name(node.module) or "") if node.module is not None else ""
        module = _absolute(self.module, self.is_package, level, source)
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


def _extract(file: SourceFile) -> ModuleSurface:
    module = module_name_for(file.rel, guessed_roots(file.rel))
    is_package = file.rel.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi")
    fast = _fast_surface(file, module, is_package)
    if fast is not None:
        return fast
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


def _fast_surface(file: SourceFile, module: str | None, is_package: bool) -> ModuleSurface | None:
    """The surface built with `ast` (see `py.surface_ast`), or None when `ast` cannot parse it.

    A file the running interpreter cannot parse (newer syntax, or an error libcst reports
    better) goes through libcst, which also turns a real syntax error into the file's problem.
    """
    from pytest_lessons.lang.python.surface_ast import ast_surface  # imports this module's models

    try:
        found = ast_surface(file.text, module, is_package, _absolute)
    except (SyntaxError, ValueError, RecursionError):
        return None
    return ModuleSurface(
        module=module,
        is_package=is_package,
        imports=found.imports,
        functions=found.functions,
        classes=found.classes,
        assignments=found.assignments,
        all_names=found.all_names,
    )


# ---------------------------------------------------------------------------------------------
# Judge time


class PythonImportIndex:
    """Resolves names across the Python files of a repository from their surfaces alone.

    `files` may list more repository-relative paths than `surfaces` covers (empty
    `__init__.py` files a prefilter skipped, `pyproject.toml`/`setup.py` markers): they improve
    module naming (`package_roots`) and module lookup but are never read. `package_roots`
    overrides the discovery entirely.
    """

    def __init__(
        self,
        surfaces: Mapping[str, ModuleSurface],
        *,
        files: Iterable[str] = (),
        roots: Sequence[str] | None = None,
    ) -> None:
        self.surfaces = dict(surfaces)
        every = set(self.surfaces) | set(files)
        self.roots = list(roots) if roots is not None else package_roots(every)
        self._python = {rel for rel in every if rel.endswith((".py", ".pyi"))}
        self._directories: set[str] = set()
        for rel in self._python:
            directory = _parent_dir(rel)
            while directory and directory not in self._directories:
                self._directories.add(directory)
                directory = _parent_dir(directory)
        self._by_module: dict[str, str] = {}
        self._by_suffix: dict[str, list[str]] = {}
        for rel in sorted(self._python, key=lambda r: (r.endswith(".pyi"), r)):
            module = module_name_for(rel, self.roots)
            if module is not None:
                self._by_module.setdefault(module, rel)
            stem = rel.rsplit(".", 1)[0]
            parts = stem.split("/")
            if parts[-1] == "__init__":
                parts.pop()
            for start in range(len(parts)):
                self._by_suffix.setdefault(".".join(parts[start:]), []).append(rel)

    def module_of(self, rel: str) -> str | None:
        """The dotted module name of a file under the discovered roots."""
        return module_name_for(rel, self.roots)

    def find_module(self, dotted: str, near: str | None = None) -> str | None:
        """The file defining an absolute module: exact name first, then the nearest suffix match."""
        exact = self._by_module.get(dotted)
        if exact is not None:
            return exact
        candidates = self._by_suffix.get(dotted, [])
        if not candidates:
            return None
        if near is None:
            return min(candidates, key=lambda r: (r.count("/"), r))
        return max(candidates, key=lambda r: (_common_dirs(r, near), -r.count("/"), r))

    def _relative_module(self, rel: str, level: int, source: str) -> str | None:
        directory = _parent_dir(rel)
        for _ in range(level - 1):
            if directory == "":
                return None
            directory = _parent_dir(directory)
        path = "/".join(p for p in [directory, *source.split(".")] if p) if source else directory
        for candidate in (
            f"{path}.py",
            f"{path}/__init__.py",
            f"{path}.pyi",
            f"{path}/__init__.pyi",
        ):
            if candidate in self._python:
                return candidate
        return None

    def module_file(self, rel: str, binding: ImportBinding) -> str | None:
        """The file of the module an import binding reads from (`from X import ...`, `import X`)."""
        if binding.level:
            source = binding.source.lstrip(".")
            return self._relative_module(rel, binding.level, source)
        return self.find_module(binding.module, near=rel)

    def _submodule(self, module_rel: str, name: str) -> str | None:
        """`pkg/name.py`, `pkg/name/__init__.py`, or the namespace package `pkg/name/`.

        Only a package (`pkg/__init__.py`, or a namespace package written `pkg/`) has
        submodules. A namespace package resolves to its directory with a trailing slash.
        """
        if module_rel.endswith("/"):
            directory = module_rel[:-1]
        elif module_rel.rsplit("/", 1)[-1].startswith("__init__."):
            directory = _parent_dir(module_rel)
        else:
            return None
        base = f"{directory}/{name}" if directory else name
        for candidate in (f"{base}.py", f"{base}/__init__.py", f"{base}.pyi"):
            if candidate in self._python:
                return candidate
        return f"{base}/" if base in self._directories else None

    def resolve(self, rel: str, local: str) -> tuple[str, str] | None:
        """Where a (possibly dotted) name used in `rel` is defined: (file, name) or None.

        A module resolves to `(its file, MODULE)`. `orders.router` resolves `orders` first, then
        `router` inside it. None when the name leaves the repository (`fastapi.Depends`) or is
        not found.
        """
        parts = local.split(".")
        found = self._lookup(rel, parts[0], set())
        for part in parts[1:]:
            if found is None:
                return None
            found = self._attribute(found, part)
        return found

    def constant(self, rel: str, dotted: str) -> str | None:
        """The string a name or attribute holds as seen from `rel`, or None.

        Follows imports to a module-level `NAME = "literal"`, and `settings.API_V1_STR` to the
        class default of `API_V1_STR` when `settings = Settings()` is a module-level instance of
        a class in the same module (pydantic-settings style; the environment may override it,
        which is why `RouteIndex` marks paths built from such defaults).
        """
        parts = dotted.split(".")
        found = (
            self.resolve(rel, parts[0])
            if len(parts) <= 2
            else self.resolve(rel, ".".join(parts[:-1]))
        )
        if found is None:
            return None
        target_rel, name = found
        surface = self.surfaces.get(target_rel)
        if surface is None:
            return None
        if len(parts) == 1:
            return _literal_string(surface.assignments.get(name))
        if name == MODULE:
            inner = self.resolve(target_rel, parts[-1])
            if inner is None or inner[1] == MODULE:
                return None
            inner_surface = self.surfaces.get(inner[0])
            return (
                None
                if inner_surface is None
                else _literal_string(inner_surface.assignments.get(inner[1]))
            )
        instance = surface.assignments.get(name, "")
        class_name = instance[:-2] if instance.endswith("()") else instance.split("(", 1)[0]
        cls = surface.classes.get(class_name) if class_name.isidentifier() else None
        if cls is None:
            return None
        return _literal_string(cls.attributes.get(parts[-1]))

    def _attribute(self, found: tuple[str, str], part: str) -> tuple[str, str] | None:
        module_rel, name = found
        if name != MODULE:
            return None  # an attribute of a class or object: not followed
        inner = self._lookup(module_rel, part, set())
        if inner is not None:
            return inner
        sub = self._submodule(module_rel, part)
        return (sub, MODULE) if sub is not None else None

    def _lookup(
        self,
        rel: str,
        name: str,
        seen: set[tuple[str, str]],
    ) -> tuple[str, str] | None:
        if (rel, name) in seen:
            return None
        seen.add((rel, name))
        surface = self.surfaces.get(rel)
        if surface is None:
            return None
        if name in surface.functions or name in surface.classes or name in surface.assignments:
            return (rel, name)
        bindings = [b for b in surface.imports if b.local == name]
        bindings.sort(key=lambda b: (b.top_level, b.line))
        for binding in reversed(bindings):
            target = self._follow(rel, binding, seen)
            if target is not None:
                return target
        for star in (b for b in surface.imports if b.name == "*"):
            module_rel = self.module_file(rel, star)
            if module_rel is not None:
                target = self._lookup(module_rel, name, seen)
                if target is not None:
                    return target
        return None

    def _follow(
        self, rel: str, binding: ImportBinding, seen: set[tuple[str, str]]
    ) -> tuple[str, str] | None:
        if binding.name is None:
            # `import a.b.c` binds `a` (to the package `a`); `import a.b as c` binds `c` to `a.b`.
            first = binding.module.split(".", 1)[0]
            dotted = first if binding.local == first else binding.module
            target = self.find_module(dotted, near=rel)
            return (target, MODULE) if target is not None else None
        module_rel = self.module_file(rel, binding)
        if module_rel is not None:
            inner = self._lookup(module_rel, binding.name, seen)
            if inner is not None:
                return inner
            sub = self._submodule(module_rel, binding.name)
            return (sub, MODULE) if sub is not None else None
        # `from pkg import sub` where pkg is a namespace package (no __init__.py)
        if binding.level:
            sub_rel = self._relative_module(
                rel,
                binding.level,
                ".".join(p for p in [binding.source.lstrip("."), binding.name] if p),
            )
        else:
            sub_rel = self.find_module(f"{binding.module}.{binding.name}", near=rel)
        return (sub_rel, MODULE) if sub_rel is not None else None


def _literal_string(text: str | None) -> str | None:
    """The value of a plain string literal kept as source text (`"/api/v1"`); parsed, not run."""
    if text is None or text[:1] not in ("'", '"'):
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _common_dirs(a: str, b: str) -> int:
    count = 0
    for left, right in zip(a.split("/")[:-1], b.split("/")[:-1], strict=False):
        if left != right:
            break
        count += 1
    return count
