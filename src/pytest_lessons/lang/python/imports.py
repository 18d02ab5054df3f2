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
   `resolution_surface(file)` is the part of it name resolution reads (for lessons that keep
   every module's surface only to follow names: see its docstring).
2. `ImportIndex(surfaces)`: built at judge time; `resolve(rel, "name")` and
   `resolve(rel, "orders.router")` follow `from x import y`, `import x.y as z`, re-exports through
   package `__init__.py` files, `from x import *` and submodules reached as attributes.

Module names are guessed from the layout (`module_names`); the surface records live in
`surface`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence

from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.module_names import (
    absolute_module,
    guessed_roots,
    module_name_for,
    package_roots,
    parent_dir,
)
from pytest_lessons.lang.python.surface import ClassSig, FunctionSig, ImportBinding, ModuleSurface
from pytest_lessons.lang.python.surface_ast import ast_surface
from pytest_lessons.source import SourceFile

__all__ = ["FACTS_KEY", "MODULE", "ImportIndex", "module_surface", "resolution_surface"]

FACTS_KEY = "py-imports-v1"
RESOLUTION_KEY = "py-imports-resolution-v1"
MODULE = "*"
"""The name `resolve` returns when a name is a module itself (`from . import orders`)."""


def module_surface(file: SourceFile) -> ModuleSurface:
    """The file's imports and top-level definitions, extracted once per run and shared."""
    return file.derived(FACTS_KEY, _extract)


def resolution_surface(file: SourceFile) -> ModuleSurface:
    """The file's surface with what `ImportIndex` (and an emitter index looking up an `Enum`'s
    members) never reads left out: parameters, decorators, return annotations and methods.

    The telemetry lessons keep a surface for every Python module of a project that names an
    analytics SDK, only to follow names; with two jobs every record of it is pickled by a
    worker and unpickled again by the one judging them, and those signatures were a quarter
    of the records. Shared per file like `module_surface`, so the lessons judging together
    hold one object. A function or class with nothing to leave out is the full surface's own
    record."""
    return file.derived(RESOLUTION_KEY, lambda f: _for_resolution(module_surface(f)))


def _for_resolution(surface: ModuleSurface) -> ModuleSurface:
    functions = {name: _bare_function(sig) for name, sig in surface.functions.items()}
    classes = {name: _bare_class(sig) for name, sig in surface.classes.items()}
    if all(functions[name] is sig for name, sig in surface.functions.items()) and all(
        classes[name] is sig for name, sig in surface.classes.items()
    ):
        return surface
    return surface.model_copy(update={"functions": functions, "classes": classes})


def _bare_function(sig: FunctionSig) -> FunctionSig:
    if not (sig.params or sig.decorators or sig.returns):
        return sig
    return FunctionSig(name=sig.name, line=sig.line, column=sig.column, is_async=sig.is_async)


def _bare_class(sig: ClassSig) -> ClassSig:
    if not (sig.decorators or sig.methods):
        return sig
    return ClassSig(name=sig.name, line=sig.line, bases=sig.bases, attributes=sig.attributes)


def _extract(file: SourceFile) -> ModuleSurface:
    module = module_name_for(file.rel, guessed_roots(file.rel))
    is_package = file.rel.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi")
    fast = _fast_surface(file, module, is_package)
    if fast is not None:
        return fast
    # libcst (a tenth of a second to import) only for a module `ast` cannot read
    from pytest_lessons.lang.python.surface_cst import cst_surface

    return cst_surface(file, module, is_package)


def _fast_surface(file: SourceFile, module: str | None, is_package: bool) -> ModuleSurface | None:
    """The surface built with `ast` (see `surface_ast`), or None when `ast` cannot parse it.

    A file the running interpreter cannot parse (newer syntax, or an error libcst reports
    better) goes through libcst, which also turns a real syntax error into the file's problem.
    """
    try:
        found = ast_surface(ast_module(file), module, is_package, absolute_module)
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


class ImportIndex:
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
            directory = parent_dir(rel)
            while directory and directory not in self._directories:
                self._directories.add(directory)
                directory = parent_dir(directory)
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
        # Judges ask the same names over and over (every call site of every file, each wrapper
        # followed a few levels deep): answers are kept, and each file's imports indexed by the
        # name they bind instead of scanned per question.
        self._resolved: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._bindings: dict[str, dict[str, list[ImportBinding]]] = {}
        self._stars: dict[str, list[ImportBinding]] = {}

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
        directory = parent_dir(rel)
        for _ in range(level - 1):
            if directory == "":
                return None
            directory = parent_dir(directory)
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
            directory = parent_dir(module_rel)
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
        key = (rel, local)
        try:
            return self._resolved[key]
        except KeyError:
            pass
        parts = local.split(".")
        found = self._lookup(rel, parts[0], set())
        for part in parts[1:]:
            if found is None:
                break
            found = self._attribute(found, part)
        self._resolved[key] = found
        return found

    def _bound(
        self, rel: str, surface: ModuleSurface, name: str, *, star: bool = False
    ) -> list[ImportBinding]:
        """The imports of `rel` that bind `name` (or its star imports), in source order."""
        by_local = self._bindings.get(rel)
        if by_local is None:
            by_local = self._bindings[rel] = {}
            stars = self._stars[rel] = []
            for binding in surface.imports:
                by_local.setdefault(binding.local, []).append(binding)
                if binding.name == "*":
                    stars.append(binding)
        return self._stars[rel] if star else by_local.get(name, [])

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
        bindings = list(self._bound(rel, surface, name))
        if name in surface.functions or name in surface.classes:
            return (rel, name)
        if name in surface.assignments and not (bindings and surface.assignments[name] == "None"):
            # `ee = None` then `if enabled(): import ee.main as ee`, or `x = None` in the
            # `except ImportError:` of `import x`: a placeholder, the import is the value.
            return (rel, name)
        bindings.sort(key=lambda b: (b.top_level, b.line))
        for binding in reversed(bindings):
            target = self._follow(rel, binding, seen)
            if target is not None:
                return target
        for star in self._bound(rel, surface, "*", star=True):
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
            # `import a.b.c` binds `a` (to the package `a`); `import a.b as c` binds `c` to `a.b`,
            # and so does `import a.b as a`.
            first = binding.module.split(".", 1)[0]
            dotted = binding.module if binding.aliased or binding.local != first else first
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
