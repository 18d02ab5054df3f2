"""`alembic-env-imports-models`: env.py hands alembic a Base whose models it never imports.

A declarative `Base.metadata` only knows the tables of the mapped classes whose modules have been
imported: defining `class Store(Base)` in `models/store.py` registers the table when that module
runs, not before. An env.py that imports `models.base` (where `Base` lives) instead of the
package that imports every model hands alembic an empty metadata, so autogenerate proposes to drop
every table and `Base.metadata.create_all()` in env.py creates nothing.

The judge joins every Python file of the repository:

1. each env.py's `target_metadata` names an owner (`Base`, `models.Base`, `SQLModel`), resolved
   through the import layer to where it is defined;
2. the mapped classes on that owner are the classes whose bases lead to it (through mixins and
   `__abstract__` intermediates, which are not mapped themselves); for SQLModel, the classes
   declared with `table=True`;
3. the modules env.py runs are the closure of its imports (`graph`); each module that maps a
   class on the owner and is not in that closure is missing.

An env.py whose closure reaches a module importing by computed name (`importlib.import_module`,
`pkgutil.walk_packages`) may import every model at run time, and is left alone; so is one whose
owner cannot be resolved. Test files are not expected to be imported (`ignore-model-globs`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from functools import cached_property

from pathspec import GitIgnoreSpec
from pydantic import field_validator

from pytest_lessons.checks.alembic_env_imports_models.facts import (
    EnvMetadata,
    ModelFacts,
    model_facts,
)
from pytest_lessons.checks.alembic_env_imports_models.graph import ModuleGraph
from pytest_lessons.checks.base import Check
from pytest_lessons.findings import Finding
from pytest_lessons.lang.python.imports import MODULE, ImportIndex
from pytest_lessons.options import LessonOptions
from pytest_lessons.source import FileKind, SourceFile
from pytest_lessons.workspace import gitignore_spec

__all__ = ["AlembicEnvImportsModels", "AlembicEnvImportsModelsOptions"]

Identity = tuple[str, str]
"""(file, name) of a definition in the repository; ("", "package.Name") for an external one."""

SQLMODEL = ("", "sqlmodel.SQLModel")


class AlembicEnvImportsModelsOptions(LessonOptions):
    ignore_model_globs: tuple[str, ...]
    """Gitignore-style patterns of files whose mapped classes env.py need not import."""

    @field_validator("ignore_model_globs")
    @classmethod
    def _valid_patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                gitignore_spec([pattern])
            except ValueError as error:
                raise ValueError(
                    f"{pattern!r} is not a valid gitignore pattern ({error})"
                ) from None
        return value

    @cached_property
    def _ignored(self) -> GitIgnoreSpec:
        return gitignore_spec(self.ignore_model_globs)

    def ignores(self, rel: str) -> bool:
        return self._ignored.match_file(rel)


class AlembicEnvImportsModels(Check[AlembicEnvImportsModelsOptions, ModelFacts]):
    options_model = AlembicEnvImportsModelsOptions
    facts_model = ModelFacts
    version = 2
    file_kinds = frozenset({FileKind.PYTHON})

    def project_prefilter(self) -> Mapping[FileKind, tuple[bytes, ...]]:
        """No env.py names `target_metadata`: nothing to judge, and no model is read."""
        return {FileKind.PYTHON: (b"target_metadata",)}

    def extract(self, file: SourceFile) -> ModelFacts:
        return model_facts(file)

    def is_subject(self, facts: ModelFacts) -> bool:
        return facts.env_targets is not None

    def judge(self, facts: Mapping[str, ModelFacts]) -> Iterable[Finding]:
        envs = {rel: f for rel, f in facts.items() if f.env_targets}
        if not envs:
            return
        judge = _Judge(facts, self.options)
        judge.count_owners(envs)
        for rel in sorted(envs):
            for target in envs[rel].env_targets or ():
                missing = judge.missing(rel, target)
                if missing is None:
                    continue
                line, column, end_line, end_column = judge.anchor(rel, target)
                yield self.finding(
                    rel,
                    line,
                    column,
                    judge.message(rel, target, missing),
                    end_line=end_line,
                    end_column=end_column,
                )
                break  # one finding per env.py: the fix (one import) is the same


class _Judge:
    MAX_DEPTH = 20

    def __init__(
        self, facts: Mapping[str, ModelFacts], options: AlembicEnvImportsModelsOptions
    ) -> None:
        self.facts = facts
        self.options = options
        surfaces = {rel: f.surface for rel, f in facts.items()}
        self.index = ImportIndex(surfaces, files=facts.keys())
        self.graph = ModuleGraph(self.index, surfaces)
        self._bases: dict[tuple[str, str], Identity | None] = {}
        self.owner_envs: dict[Identity, int] = {}
        """How many env.py files hand alembic each owner's metadata."""

    def count_owners(self, envs: Mapping[str, ModelFacts]) -> None:
        for rel, env in envs.items():
            owners = {self.identity(rel, target.owner) for target in env.env_targets or ()}
            for owner in owners:
                if owner is not None:
                    self.owner_envs[owner] = self.owner_envs.get(owner, 0) + 1

    # -- names ---------------------------------------------------------------------------------

    def identity(self, rel: str, dotted: str, depth: int = 0) -> Identity | None:
        """Where `dotted`, as used in `rel`, is defined: a repository definition, an attribute
        of one (`db.Model`), or an external name it was imported as (`sqlmodel.SQLModel`)."""
        resolved = self.index.resolve(rel, dotted)
        if resolved is not None and resolved[1] != MODULE:
            return resolved
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            head = self.index.resolve(rel, ".".join(parts[:cut]))
            if head is not None and head[1] != MODULE:
                return head[0], ".".join([head[1], *parts[cut:]])
        return self._external(rel, parts, depth)

    def _external(self, rel: str, parts: list[str], depth: int) -> Identity | None:
        surface = self.facts[rel].surface if rel in self.facts else None
        if surface is None or depth > self.MAX_DEPTH:
            return None
        for binding in reversed(surface.imports):
            if binding.local != parts[0]:
                continue
            if binding.name is None:
                return ("", ".".join([binding.module, *parts[1:]]))
            module_rel = self.index.module_file(rel, binding)
            if module_rel is not None and module_rel in self.facts:
                return self.identity(module_rel, ".".join([binding.name, *parts[1:]]), depth + 1)
            return ("", ".".join([binding.module, binding.name, *parts[1:]]))
        return None

    # -- mapped classes ------------------------------------------------------------------------

    def _derives(self, rel: str, name: str, owner: Identity, depth: int = 0) -> bool:
        if depth > self.MAX_DEPTH:
            return False
        cls = self.facts[rel].surface.classes.get(name)
        if cls is None:
            return False
        for text in cls.bases:
            base = text.split("[", 1)[0].split("(", 1)[0].strip()
            if not base:
                continue
            key = (rel, base)
            if key not in self._bases:
                self._bases[key] = self.identity(rel, base)
            found = self._bases[key]
            if found == owner:
                return True
            if (
                found is not None
                and found[0]
                and self._derives(found[0], found[1], owner, depth + 1)
            ):
                return True
        return False

    def mapped_modules(self, owner: Identity, env_rel: str) -> dict[str, list[str]]:
        """{module file: the classes it maps on `owner`}, left out: ignored files, the env.py's
        own directory (its migration scripts), and `__abstract__` classes."""
        env_dir = posixpath.dirname(env_rel)
        found: dict[str, list[str]] = {}
        for rel, file_facts in self.facts.items():
            if self.options.ignores(rel) or (env_dir and rel.startswith(env_dir + "/")):
                continue
            for name, cls in file_facts.surface.classes.items():
                if cls.attributes.get("__abstract__", "").strip() == "True":
                    continue
                if owner == SQLMODEL and name not in file_facts.table_classes:
                    continue
                if name in file_facts.typing_only_classes:
                    continue
                if self._derives(rel, name, owner):
                    found.setdefault(rel, []).append(name)
        return found

    # -- verdict -------------------------------------------------------------------------------

    def missing(self, env_rel: str, target: EnvMetadata) -> dict[str, list[str]] | None:
        owner = self.identity(env_rel, target.owner)
        if owner is None or (not owner[0] and owner != SQLMODEL):
            return None
        closure = self.graph.closure(env_rel)
        if any(
            self.facts[rel].dynamic_imports or self.facts[rel].unreadable
            for rel in closure
            if rel in self.facts
        ):
            return None  # models may be imported by computed name, or by a module we cannot read
        mapped = self.mapped_modules(owner, env_rel)
        if self.owner_envs.get(owner, 0) > 1 and set(mapped) & self.graph.edges(env_rel):
            # One Base, several databases: an env.py naming model modules itself has chosen
            # the tables of its own database.
            return None
        missing = {rel: names for rel, names in mapped.items() if rel not in closure}
        return missing or None

    def anchor(self, env_rel: str, target: EnvMetadata) -> tuple[int, int, int, int]:
        """The import statement that binds the owner (the line the fix changes), else the
        `target_metadata` expression."""
        head = target.owner.split(".", 1)[0]
        for binding in self.facts[env_rel].surface.imports:
            if binding.local == head and binding.top_level:
                return binding.line, 1, binding.line, 1
        return target.line, target.column, target.end_line, target.end_column

    def module_name(self, rel: str) -> str:
        return self.index.module_of(rel) or rel

    def suggestion(
        self, env_rel: str, target: EnvMetadata, missing: Mapping[str, list[str]]
    ) -> str:
        """The import that brings every missing model: a module that re-exports the owner and
        imports them all (the models package), else one that imports them all, else each."""
        owner = self.identity(env_rel, target.owner)
        needed = set(missing)
        importers = self.graph.importers()
        candidates: set[str] = set()
        for rel in needed:
            candidates.update(self.graph.packages_of(rel))
            candidates.update(importers.get(rel, ()))
        candidates.discard(env_rel)
        models = set(self.mapped_modules(owner, env_rel)) if owner is not None else set()
        covering = sorted(
            (
                rel
                for rel in candidates - models  # a model module importing the others is no fix
                if not self.options.ignores(rel) and needed <= self.graph.closure(rel)
            ),
            key=lambda rel: (self.module_name(rel).count("."), self.module_name(rel)),
        )
        name = target.owner.rsplit(".", 1)[-1]
        for rel in covering:
            if self.identity(rel, name) == owner:
                return (
                    f"import {name} from the module that imports every model: "
                    f"`from {self.module_name(rel)} import {name}`"
                )
        if covering:
            return (
                f"add `import {self.module_name(covering[0])}` (it imports every model module) "
                f"beside the import of {target.owner.split('.', 1)[0]}"
            )
        modules = [self.module_name(rel) for rel in sorted(needed)]
        shown = "; ".join(f"import {m}" for m in modules[:3])
        more = f"; ... ({len(modules)} in all)" if len(modules) > 3 else ""
        return (
            f"import each model module in env.py (`{shown}{more}`), or a module that imports "
            "them all"
        )

    def message(self, env_rel: str, target: EnvMetadata, missing: Mapping[str, list[str]]) -> str:
        order = sorted(missing, key=lambda rel: (-_shared_depth(rel, env_rel), rel))
        first = order[0]
        classes = ", ".join(missing[first][:3]) + (", ..." if len(missing[first]) > 3 else "")
        others = len(missing) - 1
        more = ""
        if others:
            names = [self.module_name(rel) for rel in order[1:4]]
            more = (
                f" (nor {others} more model module{'s' if others > 1 else ''}: "
                + ", ".join(names)
                + (", ..." if others > 3 else "")
                + ")"
            )
        return (
            f"target_metadata is {target.owner}.metadata, but nothing env.py imports runs "
            f"{self.module_name(first)} ({first}), which maps {classes} on {target.owner}{more}: "
            "that metadata holds none of their tables, so autogenerate proposes to drop them and "
            f"create_all creates nothing; {self.suggestion(env_rel, target, missing)}"
        )


def _shared_depth(a: str, b: str) -> int:
    depth = 0
    for left, right in zip(a.split("/")[:-1], b.split("/")[:-1], strict=False):
        if left != right:
            break
        depth += 1
    return depth
