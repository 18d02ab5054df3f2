"""Which modules run when a module is imported, read from import statements alone.

Importing `a.b.c` runs `a/__init__.py`, `a/b/__init__.py` and `a/b/c.py`; `from a.b import c`
runs the same when `c` is a submodule, and only the packages when it is a name defined in them.
The closure of a module is everything its imports run, transitively. Imports inside functions
count as run (a model module imported lazily is still imported by the time anything calls that
function); that errs toward a larger closure, so toward silence.
"""

from __future__ import annotations

from collections.abc import Mapping

from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.lang.python.module_names import parent_dir
from pytest_lessons.lang.python.surface import ImportBinding, ModuleSurface

__all__ = ["ModuleGraph"]


class ModuleGraph:
    def __init__(self, index: ImportIndex, surfaces: Mapping[str, ModuleSurface]) -> None:
        self.index = index
        self.surfaces = surfaces
        self._edges: dict[str, frozenset[str]] = {}
        self._closures: dict[str, frozenset[str]] = {}

    def packages_of(self, rel: str) -> list[str]:
        """The `__init__.py` files that run before `rel` (its enclosing packages)."""
        found: list[str] = []
        directory = parent_dir(rel)
        while directory:
            init = f"{directory}/__init__.py"
            if init == rel or init not in self.surfaces:
                break
            found.append(init)
            directory = parent_dir(directory)
        return found

    def edges(self, rel: str) -> frozenset[str]:
        """The repository modules `rel`'s own import statements run (with their packages)."""
        if rel not in self._edges:
            targets: set[str] = set()
            surface = self.surfaces.get(rel)
            for binding in surface.imports if surface is not None else ():
                for target in self._run_by(rel, binding):
                    if target in self.surfaces and target != rel:
                        targets.add(target)
                        targets.update(self.packages_of(target))
            self._edges[rel] = frozenset(targets)
        return self._edges[rel]

    def _run_by(self, rel: str, binding: ImportBinding) -> list[str]:
        if binding.name is None:  # `import a.b.c [as x]`: every prefix runs
            parts = binding.module.split(".")
            prefixes = [".".join(parts[: n + 1]) for n in range(len(parts))]
            modules = [self.index.find_module(prefix, near=rel) for prefix in prefixes]
            return [target for target in modules if target is not None]
        module_rel = self.index.module_file(rel, binding)
        found: list[str] = [module_rel] if module_rel is not None else []
        if binding.name == "*":
            found.extend(self._star_submodules(module_rel))
            return found
        resolved = self.index.resolve(rel, binding.local)
        if resolved is not None and resolved[1] == MODULE and not resolved[0].endswith("/"):
            found.append(resolved[0])  # `from pkg import submodule`
        return found

    def _star_submodules(self, module_rel: str | None) -> list[str]:
        """`from pkg import *` also imports the submodules `pkg.__all__` names."""
        surface = self.surfaces.get(module_rel) if module_rel is not None else None
        if surface is None or module_rel is None or not surface.all_names:
            return []
        found: list[str] = []
        for name in surface.all_names:
            resolved = self.index.resolve(module_rel, name)
            if resolved is not None and resolved[1] == MODULE and not resolved[0].endswith("/"):
                found.append(resolved[0])
        return found

    def closure(self, rel: str) -> frozenset[str]:
        """`rel`, its packages, and every repository module its imports run, transitively."""
        if rel in self._closures:
            return self._closures[rel]
        seen = {rel, *self.packages_of(rel)}
        stack = list(seen)
        while stack:
            current = stack.pop()
            for target in self.edges(current):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        result = frozenset(seen)
        self._closures[rel] = result
        return result

    def importers(self) -> dict[str, set[str]]:
        """For each module, the modules whose own imports run it."""
        found: dict[str, set[str]] = {}
        for rel in self.surfaces:
            for target in self.edges(rel):
                found.setdefault(target, set()).add(rel)
        return found
