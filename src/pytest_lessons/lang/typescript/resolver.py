"""Cross-file resolution for JS/TS: which file an import names, and which binding a name is.

Real code hides what lessons look for one hop away: a route file that only re-exports a handler,
an auth wrapper imported through `@/lib/auth`, an event name in another package's `as const` map.
This module joins the per-file facts of `modules` and `project` at judge time to follow them. It
reads no files itself (everything comes in as facts), so it is cheap to build and easy to test.

API (consumed by the routes and telemetry layers; extend, don't rename):

- `ModuleResolver(files, projects)`: `files` are the repo-relative paths of the JS/TS files,
  `projects` maps the repo-relative path of each tsconfig/jsconfig/package.json to its facts.
  `resolve(from_rel, specifier)` returns the repo-relative path of the file a specifier names, or
  None for an npm package or anything not in the repository. In order:

  1. relative specifiers (`./x`, `../x`, `.`) from the importing file's directory;
  2. the NEAREST `tsconfig.json` (else `jsconfig.json`) at or above the importing file, with its
     `extends` chain merged as TypeScript does (a child's `baseUrl` and `paths` replace the
     parent's; `paths` are anchored at the merged `baseUrl`, else at the directory of the config
     that wrote them): the `paths` entry that matches exactly, else the wildcard pattern with the
     longest prefix, each target tried in order; then `baseUrl` for bare specifiers;
  3. workspace packages by their package.json `name` (`@acme/auth`, `@acme/auth/server`): the
     `exports` map (subpath patterns with `*` included; each condition's target tried in turn),
     then `types`/`module`/`main`, then `src/index.*`/`index.*`; a subpath without an `exports`
     map is looked up at the package root and under `src/`. A target that is a build output
     absent from the repository (`./dist/index.js`) is retried under `src/` with a source
     extension, since internal packages are consumed from source in a monorepo.

  A path is tried as written (`x.ts`), then TS-ESM style with its `.js`/`.jsx`/`.mjs`/`.cjs`
  replaced by the TypeScript extension, then with `.ts .tsx .js .jsx .mts .cts .mjs .cjs` appended,
  then as a directory's `index.*` (never `.d.ts`: a declaration file holds no code to follow).
  An `extends` target that is not among the project files — a package outside the repository
  (`next/tsconfig`, `@tsconfig/node18`), or a shared config whose file name is not a tsconfig name
  (`@acme/tsconfig/nextjs.json`) — is ignored and listed in `ignored_extends`: shared configs
  rarely set `paths`, which would anchor at the shared package's own directory anyway.
  Every named package.json counts as a workspace package (a repository's own packages are what
  lessons should follow); when two share a name, the one a `workspaces` glob covers wins, then the
  shallower one.
- `SymbolIndex(modules, resolver)`: `resolve_local(rel, name)` follows a name used in `rel` to the
  module that declares it; `resolve_export(rel, exported)` follows `export { x as y } from`,
  `export * from` (searched in source order; never for `default`), `export * as ns from`,
  `export default ident` and CommonJS exports (whose default, absent `module.exports = x`, is
  the whole exports object, a namespace), with cycle protection. A namespace (`import * as
  ns`, `const x = require("./x")` of an ES module) resolves to `Symbol(rel, "*")`; an anonymous
  `export default ...` to `Symbol(rel, "default")`. `origin`/`export_origin` say where a name
  leads when it leaves the repository (`External(specifier, name)`), which is how a layer learns
  that `posthog` in `@/lib/posthog` is `posthog-js`'s default export; a name found in no module
  of the repository behind `export * from "pkg"` is taken to be that package's.
  `resolve_dotted(rel, "ns.f")` follows namespaces. `constant(rel, dotted)` is the string value
  of `X`, `X.Y`, `Enum.Member`, `NS.X` as seen from `rel`, following aliases, object members and
  imports.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pytest_lessons.lang.typescript.modules import ExportBinding, ImportBinding, ModuleFacts
from pytest_lessons.lang.typescript.project import (
    PackageFacts,
    ProjectFileFacts,
    TsConfigFacts,
    anchor_paths,
)

SOURCE_EXTENSIONS = (".ts", ".tsx", ".js", ".jsx", ".mts", ".cts", ".mjs", ".cjs")
_TS_FOR_JS = {
    ".js": (".ts", ".tsx"),
    ".jsx": (".tsx",),
    ".mjs": (".mts",),
    ".cjs": (".cts",),
}
_CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_BUILD_DIRS = ("dist/", "build/", "lib/", "out/", "esm/", "cjs/")


@dataclass(frozen=True)
class _Config:
    base_url: str | None
    paths: dict[str, list[str]]  # anchored, repo-relative targets


@dataclass(frozen=True)
class _Package:
    directory: str
    facts: PackageFacts


def _parent(directory: str) -> str | None:
    if directory in (".", ""):
        return None
    return posixpath.dirname(directory) or "."


def _join(directory: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(directory, path))


def _is_relative(specifier: str) -> bool:
    return specifier in (".", "..") or specifier.startswith(("./", "../"))


def _match_pattern(pattern: str, specifier: str) -> str | None:
    """The text `*` stands for when `specifier` matches `pattern` (one `*` at most), else None."""
    star = pattern.find("*")
    if star < 0:
        return "" if pattern == specifier else None
    prefix, suffix = pattern[:star], pattern[star + 1 :]
    if (
        len(specifier) >= len(prefix) + len(suffix)
        and specifier.startswith(prefix)
        and specifier.endswith(suffix)
    ):
        return specifier[len(prefix) : len(specifier) - len(suffix)]
    return None


def _best_match(patterns: Iterable[str], specifier: str) -> tuple[str, str] | None:
    """TypeScript's choice: an exact pattern, else the wildcard with the longest prefix."""
    best: tuple[str, str] | None = None
    best_prefix = -1
    for pattern in patterns:
        matched = _match_pattern(pattern, specifier)
        if matched is None:
            continue
        if "*" not in pattern:
            return pattern, matched
        prefix = pattern.index("*")
        if prefix > best_prefix:
            best, best_prefix = (pattern, matched), prefix
    return best


class ModuleResolver:
    """Maps (importing file, specifier) to a file of the repository; see the module docstring."""

    def __init__(self, files: Iterable[str], projects: Mapping[str, ProjectFileFacts]) -> None:
        self._files = set(files)
        self._tsconfigs: dict[str, TsConfigFacts] = {}
        self._config_in_dir: dict[str, str] = {}
        packages: dict[str, list[_Package]] = {}
        workspace_globs: list[str] = []
        for rel, facts in projects.items():
            directory = posixpath.dirname(rel) or "."
            name = rel.rsplit("/", 1)[-1]
            if facts.tsconfig is not None:
                self._tsconfigs[rel] = facts.tsconfig
                if name in _CONFIG_NAMES:
                    current = self._config_in_dir.get(directory)
                    if current is None or name == "tsconfig.json":
                        self._config_in_dir[directory] = rel
            if facts.package is not None:
                if facts.package.name:
                    packages.setdefault(facts.package.name, []).append(
                        _Package(directory, facts.package)
                    )
                workspace_globs.extend(
                    _join(directory, glob.rstrip("/")) for glob in facts.package.workspaces
                )
        self._packages: dict[str, _Package] = {}
        for name, candidates in packages.items():
            self._packages[name] = min(
                candidates,
                key=lambda p: (
                    not any(fnmatch.fnmatchcase(p.directory, g) for g in workspace_globs),
                    p.directory.count("/"),
                    p.directory,
                ),
            )
        self.ignored_extends: list[tuple[str, str]] = []  # (config rel, extends as written)
        self._effective: dict[str, _Config] = {}
        self._nearest: dict[str, str | None] = {}
        self._cache: dict[tuple[str, str], str | None] = {}
        self._paths: dict[str, str | None] = {}
        self._directories: dict[str, str] = {}
        self._bare: dict[tuple[str | None, str], str | None] = {}
        for rel in sorted(self._tsconfigs):  # merged now, so `ignored_extends` is complete
            self._merged(rel, ())

    @property
    def packages(self) -> dict[str, str]:
        """Workspace package name -> its directory (repo-relative)."""
        return {name: package.directory for name, package in self._packages.items()}

    def resolve(self, from_rel: str, specifier: str) -> str | None:
        directory = self._directories.get(from_rel)
        if directory is None:
            directory = self._directories[from_rel] = posixpath.dirname(from_rel) or "."
        key = (directory, specifier)
        try:
            return self._cache[key]
        except KeyError:
            found = self._cache[key] = self._resolve(directory, specifier)
            return found

    def _resolve(self, directory: str, specifier: str) -> str | None:
        """Memoised by what decides the answer: the path a relative specifier names, else the
        nearest config (with the specifier). A repository imports the same few packages and
        aliases from thousands of directories (dub: 14k (directory, specifier) pairs, 4k
        distinct answers to work out)."""
        specifier = specifier.split("?", 1)[0]
        if not specifier or specifier.startswith(("/", "node:")) or "://" in specifier:
            return None
        if _is_relative(specifier):
            path = _join(directory, specifier)
            try:
                return self._paths[path]
            except KeyError:
                found = self._paths[path] = self._file(path)
                return found
        key = (self._nearest_config(directory), specifier)
        try:
            return self._bare[key]
        except KeyError:
            found = self._bare[key] = self._resolve_bare(key[0], specifier)
            return found

    def _resolve_bare(self, config_rel: str | None, specifier: str) -> str | None:
        """A non-relative specifier: the config's `paths`, its `baseUrl`, workspace packages."""
        config = self._merged(config_rel, ()) if config_rel is not None else None
        if config is not None:
            found = self._through_paths(config, specifier)
            if found is not None:
                return found
            if config.base_url is not None:
                found = self._file(_join(config.base_url, specifier))
                if found is not None:
                    return found
        return self._through_package(specifier)

    # -- tsconfig ---------------------------------------------------------------------------

    def config_for(self, directory: str) -> _Config | None:
        """The merged settings of the nearest tsconfig/jsconfig at or above `directory`."""
        rel = self._nearest_config(directory)
        return self._merged(rel, ()) if rel is not None else None

    def nearest_config(self, from_rel: str) -> str | None:
        """The repo-relative path of the config that decides imports of `from_rel`."""
        return self._nearest_config(posixpath.dirname(from_rel) or ".")

    def _nearest_config(self, directory: str) -> str | None:
        if directory in self._nearest:
            return self._nearest[directory]
        found = self._config_in_dir.get(directory)
        if found is None:
            parent = _parent(directory)
            found = self._nearest_config(parent) if parent is not None else None
        self._nearest[directory] = found
        return found

    def _merged(self, rel: str, chain: tuple[str, ...]) -> _Config:
        if rel in self._effective:
            return self._effective[rel]
        base, raw, anchor = self._raw_merged(rel, (*chain, rel))
        merged = _Config(base, anchor_paths(raw, base or anchor) if raw else {})
        self._effective[rel] = merged
        return merged

    def _raw_merged(
        self, rel: str, chain: tuple[str, ...]
    ) -> tuple[str | None, dict[str, list[str]] | None, str]:
        """(baseUrl, paths as written, directory of the config that wrote them) after `extends`."""
        facts = self._tsconfigs[rel]
        base: str | None = None
        raw: dict[str, list[str]] | None = None
        anchor = facts.config_dir
        for extended in facts.extends:
            parent = self._extends_target(rel, facts.config_dir, extended)
            if parent is None:
                if (rel, extended) not in self.ignored_extends:
                    self.ignored_extends.append((rel, extended))
                continue
            if parent in chain:
                continue
            parent_base, parent_raw, parent_anchor = self._raw_merged(parent, (*chain, parent))
            if parent_base is not None:
                base = parent_base
            if parent_raw is not None:
                raw, anchor = parent_raw, parent_anchor
        if facts.base_url is not None:
            base = facts.base_url
        if facts.raw_paths is not None:
            raw, anchor = facts.raw_paths, facts.config_dir
        return base, raw, anchor

    def _extends_target(self, rel: str, directory: str, extended: str) -> str | None:
        if _is_relative(extended) or extended.startswith("/"):
            path = _join(directory, extended.lstrip("/"))
            candidates = [path, f"{path}.json", f"{path}/tsconfig.json"]
        else:
            package, subpath = self._split_package(extended)
            if package is None:
                return None
            if subpath == ".":
                candidates = [_join(package.directory, "tsconfig.json")]
            else:
                path = _join(package.directory, subpath)
                candidates = [path, f"{path}.json", f"{path}/tsconfig.json"]
        return next((c for c in candidates if c in self._tsconfigs and c != rel), None)

    def _through_paths(self, config: _Config, specifier: str) -> str | None:
        match = _best_match(config.paths, specifier)
        if match is None:
            return None
        pattern, star = match
        for target in config.paths[pattern]:
            found = self._file(target.replace("*", star, 1))
            if found is not None:
                return found
        return None

    # -- workspace packages -----------------------------------------------------------------

    def _split_package(self, specifier: str) -> tuple[_Package | None, str]:
        parts = specifier.split("/")
        count = 2 if specifier.startswith("@") else 1
        name = "/".join(parts[:count])
        rest = "/".join(parts[count:])
        return self._packages.get(name), f"./{rest}" if rest else "."

    def _through_package(self, specifier: str) -> str | None:
        package, subpath = self._split_package(specifier)
        if package is None:
            return None
        facts, directory = package.facts, package.directory
        if facts.export_candidates:
            match = _best_match(facts.export_candidates, subpath)
            if match is not None:
                pattern, star = match
                for target in facts.export_candidates[pattern]:
                    found = self._built_or_source(_join(directory, target.replace("*", star)))
                    if found is not None:
                        return found
        if subpath == ".":
            for field in (facts.types, facts.module, facts.main):
                if field:
                    found = self._built_or_source(_join(directory, field))
                    if found is not None:
                        return found
            return self._file(_join(directory, "src")) or self._file(directory)
        return self._file(_join(directory, subpath)) or self._file(
            _join(_join(directory, "src"), subpath)
        )

    def _built_or_source(self, path: str) -> str | None:
        """`path`, or the source file a build output under `dist/` (etc.) is compiled from."""
        found = self._file(path)
        if found is not None:
            return found
        stem = path
        for suffix in (".d.ts", ".d.mts", ".d.cts", *SOURCE_EXTENSIONS):
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        for build in _BUILD_DIRS:
            index = f"/{stem}".find(f"/{build}")
            if index >= 0:
                found = self._file(f"{stem[:index]}src/{stem[index + len(build) :]}")
                if found is not None:
                    return found
        return self._file(stem) if stem != path else None

    # -- files ------------------------------------------------------------------------------

    def _file(self, path: str) -> str | None:
        """The file `path` names: as written, TS-ESM `.js` -> `.ts`, extension added, index."""
        files = self._files
        if path in files:
            return path
        dot = path.rfind(".")
        if dot > path.rfind("/"):
            for replacement in _TS_FOR_JS.get(path[dot:], ()):
                candidate = path[:dot] + replacement
                if candidate in files:
                    return candidate
        for extension in SOURCE_EXTENSIONS:
            candidate = path + extension
            if candidate in files:
                return candidate
        prefix = "" if path == "." else f"{path}/"
        for extension in SOURCE_EXTENSIONS:
            candidate = f"{prefix}index{extension}"
            if candidate in files:
                return candidate
        return None


@dataclass(frozen=True)
class Symbol:
    """A binding `name` declared in module `rel` (`"*"`: the module namespace itself)."""

    rel: str
    name: str


@dataclass(frozen=True)
class External:
    """A name that leaves the repository: `name` exported by the package `specifier`."""

    specifier: str
    name: str


@dataclass(frozen=True)
class _Surface:
    """The names of one module as `SymbolIndex` looks them up (its `ModuleFacts` hold lists)."""

    rel: str
    declared: frozenset[str]
    """Functions, constants and other top-level declarations: a name used here means these."""
    imports: dict[str, ImportBinding]
    """By local name; the last import of a name wins, as in `ModuleFacts.import_of`."""
    exports: dict[str, ExportBinding]
    """By exported name; the first export of a name wins, as the resolver always read them."""
    star_reexports: tuple[str, ...]
    commonjs: bool

    @classmethod
    def of(cls, rel: str, facts: ModuleFacts) -> _Surface:
        exports: dict[str, ExportBinding] = {}
        for binding in facts.exports:
            exports.setdefault(binding.exported, binding)
        return cls(
            rel,
            frozenset((*facts.functions, *facts.constants, *facts.locals)),
            {binding.local: binding for binding in facts.imports},
            exports,
            tuple(facts.star_reexports),
            facts.commonjs,
        )


@dataclass(frozen=True)
class _Stars:
    """A module's `export * from` targets in the repository, and which may export a name.

    A barrel (`export * from` fifty modules, or 250 in dub's `ui`) is searched in source order
    for every name asked of it, and the search used to visit every module behind it. A target
    may answer a name only when it, or a module it re-exports wholesale (to any depth), has an
    export of that name, or when one of them re-exports a package wholesale (whose names are
    unknown): `candidates` are those targets, in source order. Any other target would answer
    None whatever was asked before (no export to follow, and its own stars skip alike), and
    leaving it unvisited changes no later answer: a later visit of a module it reaches would
    answer None as well. So the search, and every answer, are those of the plain search, and
    the sets it filters with are unions over the modules reachable through `export *`: pure
    functions of the facts, whatever order questions come in.
    """

    targets: tuple[str, ...]
    by_name: dict[str, tuple[int, ...]]
    """Name -> positions in `targets` of those whose reach exports it."""
    open_ended: tuple[int, ...]
    """Positions of targets whose reach re-exports a package wholesale: may export any name."""
    external: str | None
    """The first `export * from` specifier outside the repository."""

    def candidates(self, name: str) -> Iterator[str]:
        positions = self.by_name.get(name, ())
        if self.open_ended:
            positions = tuple(sorted({*positions, *self.open_ended}))
        for position in positions:
            yield self.targets[position]


class SymbolIndex:
    """Follows names across modules of the repository; see the module docstring."""

    def __init__(self, modules: Mapping[str, ModuleFacts], resolver: ModuleResolver) -> None:
        self.modules = modules
        self.resolver = resolver
        self._targets: dict[tuple[str, str], str | None] = {}
        # Answers to top-level questions, which depend on nothing but the (immutable) facts:
        # judges ask the same few thousand of them tens of thousands of times.
        self._origins: dict[tuple[str, str], Symbol | External | None] = {}
        self._export_origins: dict[tuple[str, str], Symbol | External | None] = {}
        self._surfaces: dict[str, _Surface | None] = {}
        self._star_reaches: dict[str, tuple[frozenset[str], bool]] = {}
        self._star_lists: dict[str, _Stars] = {}
        self._readers: dict[str, list[tuple[str, str | None, str]]] | None = None
        self._star_readers: dict[str, list[str]] = {}

    def target(self, rel: str, specifier: str) -> str | None:
        """The module a specifier in `rel` names, if the repository has it."""
        key = (rel, specifier)
        try:
            return self._targets[key]
        except KeyError:
            found = self._targets[key] = self.resolver.resolve(rel, specifier)
            return found

    def _surface(self, rel: str) -> _Surface | None:
        """`rel`'s names as lookups: resolution asks a module about one name at a time, tens of
        thousands of times per judge, and its facts hold lists."""
        try:
            return self._surfaces[rel]
        except KeyError:
            facts = self.modules.get(rel)
            found = self._surfaces[rel] = _Surface.of(rel, facts) if facts is not None else None
            return found

    def _stars(self, rel: str) -> _Stars:
        """`rel`'s `export * from` targets that may export each name (see `_Stars`)."""
        found = self._star_lists.get(rel)
        if found is None:
            found = self._star_lists[rel] = self._build_stars(rel)
        return found

    def _build_stars(self, rel: str) -> _Stars:
        surface = self._surface(rel)
        targets: list[str] = []
        external: str | None = None
        for specifier in surface.star_reexports if surface is not None else ():
            target = self.target(rel, specifier)
            if target is None:
                external = external or specifier
            else:
                targets.append(target)
        by_name: dict[str, list[int]] = {}
        open_ended: list[int] = []
        for position, target in enumerate(targets):
            names, reexports_package = self._star_reach(target)
            if reexports_package:
                open_ended.append(position)
                continue
            for name in names:
                by_name.setdefault(name, []).append(position)
        return _Stars(
            tuple(targets),
            {name: tuple(positions) for name, positions in by_name.items()},
            tuple(open_ended),
            external,
        )

    def _star_reach(self, rel: str) -> tuple[frozenset[str], bool]:
        """The export names of the modules reachable from `rel` through `export *` (itself
        included), and whether one of them re-exports a module outside the repository."""
        found = self._star_reaches.get(rel)
        if found is None:
            found = self._star_reaches[rel] = self._reach(rel)
        return found

    def _reach(self, rel: str) -> tuple[frozenset[str], bool]:
        names: set[str] = set()
        external = False
        reached = {rel}
        stack = [rel]
        while stack:
            surface = self._surface(stack.pop())
            if surface is None:
                continue
            names.update(surface.exports)
            for specifier in surface.star_reexports:
                target = self.target(surface.rel, specifier)
                if target is None:
                    external = True
                elif target not in reached:
                    reached.add(target)
                    stack.append(target)
        return frozenset(names), external

    def resolve_local(self, rel: str, name: str) -> Symbol | None:
        found = self.origin(rel, name)
        return found if isinstance(found, Symbol) else None

    def resolve_export(self, rel: str, exported: str) -> Symbol | None:
        found = self.export_origin(rel, exported)
        return found if isinstance(found, Symbol) else None

    def origin(self, rel: str, name: str) -> Symbol | External | None:
        """Where a name used at the top level of `rel` is declared, in or out of the repository."""
        key = (rel, name)
        try:
            return self._origins[key]
        except KeyError:
            found = self._origins[key] = self._local(rel, name, set())
            return found

    def export_origin(self, rel: str, exported: str) -> Symbol | External | None:
        key = (rel, exported)
        try:
            return self._export_origins[key]
        except KeyError:
            found = self._export_origins[key] = self._export(rel, exported, set())
            return found

    def bound_as(self, rel: str, name: str) -> list[tuple[str, str]]:
        """The bindings (module, name) that one import or export reads from `name` of `rel`:
        `import { name as x }` and `export { name as y } from` in other modules, `export {
        name as z }` in `rel`, and `name` itself in a module that does `export * from` it
        (`import * as ns` and a CommonJS `require` read `*`, and `default` as well).

        Followed backwards from a declaration, these reach every binding whose `origin` may be
        it (a superset: `origin` stops at cycles and at the first of two `export *` giving a
        name), so a layer can rule out the names that cannot lead to what it looks for without
        resolving each (`call_reach`). Only the specifiers of bindings reading `name` are
        resolved.
        """
        if self._readers is None:
            self._readers, self._star_readers = self._bindings()
        found = [
            (reader, bound)
            for reader, source, bound in self._readers.get(name, ())
            if (reader if source is None else self.target(reader, source)) == rel
        ]
        if name != "default":  # `export *` never re-exports a default
            found.extend((reader, name) for reader in self._star_readers.get(rel, ()))
        return found

    def _bindings(
        self,
    ) -> tuple[dict[str, list[tuple[str, str | None, str]]], dict[str, list[str]]]:
        """Bindings by the name they read: (module, specifier read from or None for the module
        itself, name bound); and the modules doing `export * from` each module."""
        readers: dict[str, list[tuple[str, str | None, str]]] = {}
        stars: dict[str, list[str]] = {}

        def read(name: str, binding: tuple[str, str | None, str]) -> None:
            readers.setdefault(name, []).append(binding)
            if name == "*":  # `require()` of a module whose `module.exports = x`: its default
                readers.setdefault("default", []).append(binding)

        for rel, facts in self.modules.items():
            for imported in facts.imports:
                read(imported.imported, (rel, imported.source, imported.local))
            for exported in facts.exports:
                if exported.source is not None:
                    name = exported.imported or exported.exported
                    read(name, (rel, exported.source, exported.exported))
                elif exported.local is not None:
                    read(exported.local, (rel, None, exported.exported))
            if facts.commonjs:  # its default may be the whole exports object
                read("*", (rel, None, "default"))
            for specifier in facts.star_reexports:
                target = self.target(rel, specifier)
                if target is not None:
                    stars.setdefault(target, []).append(rel)
        return readers, stars

    def resolve_dotted(self, rel: str, dotted: str) -> Symbol | None:
        """`ns.f` / `ns.inner.f` through namespace imports and `export * as`; `f` alone too."""
        head, *rest = dotted.split(".")
        found = self.resolve_local(rel, head)
        for part in rest:
            if found is None or found.name != "*":
                return None
            found = self.resolve_export(found.rel, part)
        return found

    def _local(self, rel: str, name: str, seen: set[tuple[str, str]]) -> Symbol | External | None:
        surface = self._surface(rel)
        if surface is None:
            return None
        if name in surface.declared:
            return Symbol(rel, name)
        binding = surface.imports.get(name)
        if binding is None:
            return None
        return self._through(rel, binding.source, binding.imported, seen)

    def _through(
        self, rel: str, source: str, imported: str, seen: set[tuple[str, str]]
    ) -> Symbol | External | None:
        target = self.target(rel, source)
        if target is None:
            return External(source, imported)
        surface = self._surface(target)
        if surface is None:
            return None
        if imported == "*":
            # `require()` of a CommonJS module whose `module.exports = x` is its one value
            if not (surface.commonjs and "default" in surface.exports):
                return Symbol(target, "*")
            imported = "default"
        if not seen:
            # An import at the top of a question (`origin` of an imported name): nothing has
            # been visited, so the answer is the export's own, shared by every file importing
            # it (a thousand files import `cn` from one module).
            return self.export_origin(target, imported)
        return self._export(target, imported, seen)

    def _export(
        self, rel: str, exported: str, seen: set[tuple[str, str]]
    ) -> Symbol | External | None:
        key = (rel, exported)
        if key in seen:
            return None
        seen.add(key)
        surface = self._surface(rel)
        if surface is None:
            return None
        binding = surface.exports.get(exported)
        if binding is not None:
            if binding.source is not None:
                return self._through(rel, binding.source, binding.imported or exported, seen)
            if binding.local is not None:
                return self._local(rel, binding.local, seen)
            return Symbol(rel, exported)
        if exported == "default":
            # `import x from "./cjs"`: the default of a CommonJS module is its whole exports object
            return Symbol(rel, "*") if surface.commonjs else None
        if not surface.star_reexports:
            return None
        stars = self._stars(rel)
        for target in stars.candidates(exported):
            found = self._export(target, exported, seen)
            if found is not None:
                return found
        external = stars.external
        # not in any module of the repository: assume the first package re-exported wholesale
        return External(external, exported) if external is not None else None

    def constant(self, rel: str, dotted: str) -> str | None:
        """The string value of `dotted` as seen from `rel`, or None when it is not static."""
        return self._constant(rel, dotted.split("."), set())

    def _constant(self, rel: str, parts: list[str], seen: set[tuple[str, str]]) -> str | None:
        key = (rel, ".".join(parts))
        if key in seen or not parts:
            return None
        seen.add(key)
        found = self.resolve_local(rel, parts[0])
        return self._constant_at(found, parts[1:], seen)

    def _constant_at(
        self, symbol: Symbol | None, rest: list[str], seen: set[tuple[str, str]]
    ) -> str | None:
        while symbol is not None and symbol.name == "*":
            if not rest:
                return None
            symbol, rest = self.resolve_export(symbol.rel, rest[0]), rest[1:]
        if symbol is None:
            return None
        facts = self.modules.get(symbol.rel)
        value = facts.constants.get(symbol.name) if facts is not None else None
        if value is None:
            return None
        if value.kind == "string":
            return value.value if not rest else None
        if value.kind == "alias":
            assert value.alias is not None
            return self._constant(symbol.rel, [*value.alias.split("."), *rest], seen)
        member = ".".join(rest)
        if member in value.members:
            return value.members[member]
        for cut in range(len(rest), 0, -1):
            alias = value.member_aliases.get(".".join(rest[:cut]))
            if alias is not None:
                return self._constant(symbol.rel, [*alias.split("."), *rest[cut:]], seen)
        return None
