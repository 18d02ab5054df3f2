from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_lessons.lang.typescript.modules import (
    ExportBinding,
    ImportBinding,
    ModuleFacts,
    module_facts,
)
from pytest_lessons.lang.typescript.project import (
    ProjectFileFacts,
    is_project_file,
    project_file_facts,
)
from pytest_lessons.lang.typescript.resolver import External, ModuleResolver, Symbol, SymbolIndex
from pytest_lessons.source import FileKind, SourceFile, kind_of

MONOREPO = Path(__file__).parent / "fixtures" / "monorepo"


def load_tree(root: Path) -> tuple[dict[str, ModuleFacts], dict[str, ProjectFileFacts]]:
    modules: dict[str, ModuleFacts] = {}
    projects: dict[str, ProjectFileFacts] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        kind = kind_of(path.name)
        if kind is None:
            continue
        file = SourceFile(path, rel, kind, path.read_bytes())
        if kind is FileKind.TYPESCRIPT:
            modules[rel] = module_facts(file)
        elif is_project_file(rel):
            projects[rel] = project_file_facts(file)
    return modules, projects


def build(
    files: Mapping[str, str],
) -> tuple[ModuleResolver, SymbolIndex]:
    """A resolver and index over an in-memory tree: {rel: text} of code and project files."""
    modules: dict[str, ModuleFacts] = {}
    projects: dict[str, ProjectFileFacts] = {}
    for rel, text in files.items():
        file = SourceFile.from_text(rel, text)
        if is_project_file(rel):
            projects[rel] = project_file_facts(file)
        else:
            assert file.kind is FileKind.TYPESCRIPT, rel
            modules[rel] = module_facts(file)
    resolver = ModuleResolver(modules, projects)
    return resolver, SymbolIndex(modules, resolver)


@pytest.fixture(scope="module")
def monorepo() -> tuple[ModuleResolver, SymbolIndex]:
    modules, projects = load_tree(MONOREPO)
    resolver = ModuleResolver(modules, projects)
    return resolver, SymbolIndex(modules, resolver)


# -- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("specifier", "target"),
    [
        ("./b", "src/b.ts"),
        ("./b.ts", "src/b.ts"),
        ("./b.js", "src/b.ts"),  # TS-ESM: the .js a compiled import will name
        ("./c.js", "src/c.js"),  # a real .js file wins over the TS rewrite
        ("./view", "src/view.tsx"),
        ("./view.jsx", "src/view.tsx"),
        ("./esm.mjs", "src/esm.mts"),
        ("./dir", "src/dir/index.ts"),
        ("./dir/", "src/dir/index.ts"),
        ("../lib", "lib/index.jsx"),
        (".", "src/index.ts"),
        ("./b.service", "src/b.service.ts"),
        ("./types", None),  # only a .d.ts: no code to follow
        ("./styles.css", None),
        ("./missing", None),
        ("react", None),
        ("node:fs", None),
    ],
)
def test_relative_files(specifier: str, target: str | None) -> None:
    resolver = ModuleResolver(
        [
            "src/a.ts",
            "src/b.ts",
            "src/b.service.ts",
            "src/c.js",
            "src/c.ts",
            "src/view.tsx",
            "src/esm.mts",
            "src/dir/index.ts",
            "src/index.ts",
            "src/types.d.ts",
            "lib/index.jsx",
        ],
        {},
    )
    assert resolver.resolve("src/a.ts", specifier) == target


def test_extension_order_prefers_typescript() -> None:
    resolver = ModuleResolver(["a.ts", "x.js", "x.ts", "x.tsx"], {})
    assert resolver.resolve("a.ts", "./x") == "x.ts"


# -- tsconfig ------------------------------------------------------------------------------


def test_paths_and_nearest_config_in_a_monorepo(
    monorepo: tuple[ModuleResolver, SymbolIndex],
) -> None:
    resolver, _ = monorepo
    handler = "apps/web/src/lib/handler.ts"
    assert resolver.resolve("apps/web/src/app/api/orders/route.ts", "@/lib/handler") == handler
    assert resolver.resolve(handler, "~config") == "apps/web/src/config/index.ts"  # exact alias
    # several targets, tried in order: ./missing/* does not have it, ./lib/* does
    assert resolver.resolve(handler, "#lib/names") == "apps/web/src/lib/names.ts"
    # baseUrl (./src) for bare specifiers
    assert resolver.resolve(handler, "config") == "apps/web/src/config/index.ts"
    # the child's paths replace the parent's entirely, as in TypeScript
    assert resolver.resolve(handler, "@shared/events") is None
    # packages/events has its own tsconfig: `~/*` and baseUrl mean something else there
    events = "packages/events/src/index.ts"
    assert resolver.resolve(events, "~/enums") == "packages/events/src/enums.ts"
    assert resolver.resolve(events, "src/prefix") == "packages/events/src/prefix.ts"
    assert resolver.resolve(handler, "~/enums") is None
    assert resolver.nearest_config(events) == "packages/events/tsconfig.json"
    # packages/auth has no config: the root's (tsconfig.base.json is not "nearest") is none
    assert resolver.nearest_config("packages/auth/src/wrap.ts") is None
    # jsconfig.json counts, baseUrl "lib"
    assert (
        resolver.resolve("packages/legacy/lib/caller.js", "index") == "packages/legacy/lib/index.js"
    )
    # extends naming a package outside the repository is ignored and recorded
    assert resolver.ignored_extends == [("apps/web/tsconfig.json", "next/tsconfig")]


def test_extends_inherits_base_url_and_paths() -> None:
    resolver, _ = build(
        {
            "tsconfig.base.json": '{"compilerOptions": {"baseUrl": ".", "paths": '
            '{"@lib/*": ["libs/*/src"]}}}',
            "apps/a/tsconfig.json": '{"extends": "../../tsconfig.base"}',
            "apps/a/main.ts": "",
            "libs/log/src/index.ts": "",
            "shared/util.ts": "",
        }
    )
    assert resolver.resolve("apps/a/main.ts", "@lib/log") == "libs/log/src/index.ts"
    assert resolver.resolve("apps/a/main.ts", "shared/util") == "shared/util.ts"


def test_child_paths_are_anchored_at_the_inherited_base_url() -> None:
    """TypeScript joins `paths` to the merged baseUrl, even one set by the parent config."""
    resolver, _ = build(
        {
            "tsconfig.base.json": '{"compilerOptions": {"baseUrl": "."}}',
            "apps/a/tsconfig.json": '{"extends": "../../tsconfig.base.json", '
            '"compilerOptions": {"paths": {"@/*": ["apps/a/src/*"]}}}',
            "apps/a/src/x.ts": "",
        }
    )
    assert resolver.resolve("apps/a/src/x.ts", "@/x") == "apps/a/src/x.ts"


def test_parent_paths_stay_anchored_at_the_parent_without_base_url() -> None:
    resolver, _ = build(
        {
            "configs/tsconfig.json": '{"compilerOptions": {"paths": {"@c/*": ["./c/*"]}}}',
            "tsconfig.json": '{"extends": "./configs/tsconfig.json"}',
            "configs/c/x.ts": "",
            "main.ts": "",
        }
    )
    assert resolver.resolve("main.ts", "@c/x") == "configs/c/x.ts"


def test_extends_of_a_workspace_package_is_followed() -> None:
    resolver, _ = build(
        {
            "packages/tsconfig/package.json": '{"name": "@acme/tsconfig"}',
            "packages/tsconfig/tsconfig.json": '{"compilerOptions": {"baseUrl": "."}}',
            "apps/web/tsconfig.json": '{"extends": "@acme/tsconfig", "compilerOptions": '
            '{"paths": {"@/*": ["apps/web/*"]}}}',
            # a shared config whose name is no tsconfig name is not a project file: ignored
            "apps/docs/tsconfig.json": '{"extends": "@acme/tsconfig/nextjs.json"}',
            "apps/web/lib.ts": "",
            "apps/web/page.ts": "",
        }
    )
    # the package's tsconfig.json sets baseUrl = packages/tsconfig: paths anchor there
    assert resolver.resolve("apps/web/page.ts", "@/lib") is None
    assert resolver.resolve("apps/web/page.ts", "./lib") == "apps/web/lib.ts"
    assert resolver.ignored_extends == [("apps/docs/tsconfig.json", "@acme/tsconfig/nextjs.json")]


def test_longest_prefix_pattern_wins_and_cycles_in_extends_are_safe() -> None:
    resolver, _ = build(
        {
            "tsconfig.json": '{"extends": "./tsconfig.json", "compilerOptions": {"paths": '
            '{"@/*": ["./src/*"], "@/ui/*": ["./ui/*"]}}}',
            "src/ui/button.ts": "",
            "ui/button.ts": "",
            "main.ts": "",
        }
    )
    assert resolver.resolve("main.ts", "@/ui/button") == "ui/button.ts"


def test_paths_may_map_any_specifier_but_urls_and_node_builtins_stay_external() -> None:
    resolver, _ = build(
        {
            "tsconfig.json": '{"compilerOptions": {"paths": {"content:*": ["./.source/*"], '
            '"node:fs": ["./fake-fs.ts"]}}}',
            ".source/server.ts": "",
            "fake-fs.ts": "",
            "main.ts": "",
        }
    )
    assert resolver.resolve("main.ts", "content:server") == ".source/server.ts"
    assert resolver.resolve("main.ts", "node:fs") is None
    assert resolver.resolve("main.ts", "https://esm.sh/x") is None


# -- workspace packages --------------------------------------------------------------------


def test_workspace_packages(monorepo: tuple[ModuleResolver, SymbolIndex]) -> None:
    resolver, _ = monorepo
    handler = "apps/web/src/lib/handler.ts"
    # exports map: "." with conditions (types first), and a subpath
    assert resolver.resolve(handler, "@acme/auth") == "packages/auth/src/index.ts"
    assert resolver.resolve(handler, "@acme/auth/server") == "packages/auth/src/server.ts"
    # main/types point at dist/ (not in the repository): the source under src/
    assert resolver.resolve(handler, "@acme/analytics") == "packages/analytics/src/index.ts"
    # no exports map: subpath at the root, then under src/
    assert resolver.resolve(handler, "@acme/analytics/events") == (
        "packages/analytics/src/events/index.ts"
    )
    # `module` field
    assert resolver.resolve(handler, "@acme/events") == "packages/events/src/index.ts"
    # no entry fields at all: index at the package root
    assert resolver.resolve(handler, "@acme/ui") == "packages/ui/index.tsx"
    # main without ./
    assert resolver.resolve(handler, "legacy") == "packages/legacy/lib/index.js"
    # npm packages stay external
    assert resolver.resolve(handler, "posthog-js") is None
    assert resolver.resolve(handler, "next/server") is None
    # a duplicate name outside the workspaces globs loses
    assert resolver.packages["@acme/auth"] == "packages/auth"


def test_exports_subpath_patterns() -> None:
    resolver, _ = build(
        {
            "packages/db/package.json": '{"name": "@acme/db", "exports": {"./*": '
            '{"types": "./dist/*.d.ts", "default": "./src/*.ts"}}}',
            "packages/db/src/schema.ts": "",
            "app.ts": "",
        }
    )
    assert resolver.resolve("app.ts", "@acme/db/schema") == "packages/db/src/schema.ts"
    assert resolver.resolve("app.ts", "@acme/db") is None


# -- symbols -------------------------------------------------------------------------------


def test_symbols_across_a_monorepo(monorepo: tuple[ModuleResolver, SymbolIndex]) -> None:
    _, index = monorepo
    route = "apps/web/src/app/api/orders/route.ts"
    handler = "apps/web/src/lib/handler.ts"
    # export { handler as POST } from "@/lib/handler"
    assert index.resolve_export(route, "POST") == Symbol(handler, "handler")
    assert index.resolve_export(route, "GET") == Symbol(handler, "GET")
    # import through a package's index and its `export * from "./wrap"`
    assert index.resolve_local(handler, "withAuth") == Symbol(
        "packages/auth/src/wrap.ts", "withAuth"
    )
    assert index.resolve_local(handler, "verify") == Symbol("packages/auth/src/server.ts", "verify")
    # `export { default as session } from "./session"`: an anonymous default function
    assert index.resolve_export("packages/auth/src/index.ts", "session") == Symbol(
        "packages/auth/src/session.ts", "default"
    )
    # namespace import
    assert index.resolve_local(handler, "events") == Symbol("packages/events/src/index.ts", "*")
    assert index.resolve_dotted(handler, "events.EVENTS") == Symbol(
        "packages/events/src/index.ts", "EVENTS"
    )
    # names that leave the repository
    assert index.resolve_local(handler, "posthog") is None
    assert index.origin(handler, "posthog") == External("posthog-js", "default")
    assert index.resolve_local(handler, "undefinedName") is None


def test_constants_across_a_monorepo(monorepo: tuple[ModuleResolver, SymbolIndex]) -> None:
    _, index = monorepo
    handler = "apps/web/src/lib/handler.ts"
    assert index.constant(handler, "events.EVENTS.ORDER.PLACED") == "order_placed"
    assert index.constant(handler, "events.EVENTS.ORDER.REFUNDED") == "order_refunded"
    assert index.constant(handler, "events.EVENTS.SOURCE") == "web"  # member -> const enum
    assert index.constant(handler, "events.EVENTS.PREFIXED") == "acme"  # member -> alias chain
    assert index.constant(handler, "events.Events.Placed") == "order_placed"
    assert index.constant(handler, "PLACED") == "order_placed"  # renamed import, re-export
    assert index.constant(handler, "events.EVENTS.ORDER") is None  # an object, not a string
    assert index.constant(handler, "events.EVENTS.NOPE") is None
    assert index.constant(handler, "posthog") is None
    checkout = "apps/web/src/components/checkout.tsx"
    assert index.resolve_local(checkout, "track") == Symbol(
        "packages/analytics/src/track.ts", "track"
    )


def test_commonjs_symbols(monorepo: tuple[ModuleResolver, SymbolIndex]) -> None:
    _, index = monorepo
    caller = "packages/legacy/lib/caller.js"
    legacy = "packages/legacy/lib/index.js"
    assert index.resolve_local(caller, "track") == Symbol(legacy, "track")
    assert index.resolve_dotted(caller, "legacy.track") == Symbol(legacy, "track")
    assert index.constant(legacy, "names.PREFIX") == "legacy_"
    assert index.constant(caller, "legacy.NAMES.PREFIX") == "legacy_"
    assert index.origin(legacy, "send") == External("transport", "send")


def test_commonjs_default_export_through_require() -> None:
    _, index = build(
        {
            "a.js": "function handler() {}\nmodule.exports = handler;\n",
            "b.js": 'const h = require("./a");\n',
            "c.ts": 'import h from "./a";\n',
        }
    )
    assert index.resolve_local("b.js", "h") == Symbol("a.js", "handler")
    assert index.resolve_local("c.ts", "h") == Symbol("a.js", "handler")


def test_esm_default_import_of_a_commonjs_exports_object() -> None:
    _, index = build(
        {
            "plugins.cjs": 'const A = "a";\nfunction scope() {}\nmodule.exports = { scope, A };\n',
            "use.ts": 'import plugins from "./plugins.cjs";\n',
        }
    )
    assert index.resolve_local("use.ts", "plugins") == Symbol("plugins.cjs", "*")
    assert index.resolve_dotted("use.ts", "plugins.scope") == Symbol("plugins.cjs", "scope")
    assert index.constant("use.ts", "plugins.A") == "a"


def test_reexport_chains_and_star_order() -> None:
    _, index = build(
        {
            "a.ts": 'export * from "./b";\nexport * from "./c";\nexport { default } from "./d";\n',
            "b.ts": "export const shared = 1;\n",
            "c.ts": "export const shared = 2;\nexport const onlyC = 3;\nexport default 4;\n",
            "d.ts": "const page = 1;\nexport default page;\n",
            "e.ts": 'import { onlyC as renamed } from "./a";\nexport { renamed };\n',
            "f.ts": 'export * as ns from "./c";\nexport * from "posthog-js";\n',
        }
    )
    assert index.resolve_export("a.ts", "shared") == Symbol("b.ts", "shared")  # first star wins
    assert index.resolve_export("a.ts", "onlyC") == Symbol("c.ts", "onlyC")
    assert index.resolve_export("a.ts", "default") == Symbol("d.ts", "page")
    # `export *` never re-exports a default
    assert index.resolve_export("b.ts", "default") is None
    assert index.resolve_export("e.ts", "renamed") == Symbol("c.ts", "onlyC")
    assert index.resolve_export("f.ts", "ns") == Symbol("c.ts", "*")
    assert index.resolve_dotted("f.ts", "ns.onlyC") is None  # `ns` is exported, not local
    assert index.export_origin("f.ts", "capture") == External("posthog-js", "capture")


def test_cycles_are_safe() -> None:
    _, index = build(
        {
            "a.ts": 'export * from "./b";\nexport { x as y } from "./b";\n',
            "b.ts": 'export * from "./a";\nexport { y as x } from "./a";\n',
            "c.ts": 'import { z } from "./c";\nexport { z };\n',
            "d.ts": "const A = B;\nconst B = A;\n",
        }
    )
    assert index.resolve_export("a.ts", "nothing") is None
    assert index.resolve_export("a.ts", "y") is None
    assert index.resolve_local("c.ts", "z") is None
    assert index.constant("d.ts", "A") is None


def test_constant_aliases_and_enums_in_one_file() -> None:
    _, index = build(
        {
            "events.ts": """
export enum E { A = "a" }
export const X = E.A;
export const Y = X;
export const MAP = { K: Y, L: { M: "m" } };
""",
            "use.ts": 'import { Y, MAP } from "./events";\nimport * as ev from "./events";\n',
        }
    )
    assert index.constant("use.ts", "Y") == "a"
    assert index.constant("use.ts", "MAP.K") == "a"
    assert index.constant("use.ts", "MAP.L.M") == "m"
    assert index.constant("use.ts", "ev.E.A") == "a"
    assert index.constant("use.ts", "ev.X") == "a"
    assert index.constant("use.ts", "ev") is None


def test_memoised_answers_are_those_of_a_fresh_index() -> None:
    """Differential: `origin` and `export_origin` remember their answers; asked in any order,
    again and again, on one index, each equals the answer of a fresh index asked only that."""
    modules, projects = load_tree(MONOREPO)
    resolver = ModuleResolver(modules, projects)
    shared = SymbolIndex(modules, resolver)
    questions = [
        (rel, name)
        for rel, facts in modules.items()
        for name in [
            *(b.local for b in facts.imports),
            *facts.functions,
            *facts.constants,
            *(b.exported for b in facts.exports),
            "missing",
        ]
    ]
    assert len(questions) > 50
    for _ in range(2):
        for rel, name in [*questions, *reversed(questions)]:
            fresh = SymbolIndex(modules, ModuleResolver(modules, projects))
            assert shared.origin(rel, name) == fresh.origin(rel, name), (rel, name)
            fresh = SymbolIndex(modules, ModuleResolver(modules, projects))
            assert shared.export_origin(rel, name) == fresh.export_origin(rel, name), (rel, name)


# -- memoised and pruned answers against the plain search ----------------------------------


class PlainSymbols:
    """The search `SymbolIndex` makes, written plainly: lists scanned, every `export *` target
    visited in source order, one `seen` set per question, nothing remembered. What it answers is
    what the index must answer, however the index gets there."""

    def __init__(self, modules: Mapping[str, ModuleFacts], resolver: ModuleResolver) -> None:
        self.modules = modules
        self.resolver = resolver

    def origin(self, rel: str, name: str) -> Symbol | External | None:
        return self._local(rel, name, set())

    def export_origin(self, rel: str, exported: str) -> Symbol | External | None:
        return self._export(rel, exported, set())

    def _local(self, rel: str, name: str, seen: set[tuple[str, str]]) -> Symbol | External | None:
        facts = self.modules.get(rel)
        if facts is None:
            return None
        if name in facts.functions or name in facts.constants or name in facts.locals:
            return Symbol(rel, name)
        binding = facts.import_of(name)
        if binding is None:
            return None
        return self._through(rel, binding.source, binding.imported, seen)

    def _through(
        self, rel: str, source: str, imported: str, seen: set[tuple[str, str]]
    ) -> Symbol | External | None:
        target = self.resolver.resolve(rel, source)
        if target is None:
            return External(source, imported)
        facts = self.modules[target]
        if imported == "*":
            if facts.commonjs and facts.exports_named("default"):
                return self._export(target, "default", seen)
            return Symbol(target, "*")
        return self._export(target, imported, seen)

    def _export(
        self, rel: str, exported: str, seen: set[tuple[str, str]]
    ) -> Symbol | External | None:
        if (rel, exported) in seen:
            return None
        seen.add((rel, exported))
        facts = self.modules[rel]
        for binding in facts.exports:
            if binding.exported != exported:
                continue
            if binding.source is not None:
                return self._through(rel, binding.source, binding.imported or exported, seen)
            if binding.local is not None:
                return self._local(rel, binding.local, seen)
            return Symbol(rel, exported)
        if exported == "default":
            return Symbol(rel, "*") if facts.commonjs else None
        external: str | None = None
        for specifier in facts.star_reexports:
            target = self.resolver.resolve(rel, specifier)
            if target is None:
                external = external or specifier
                continue
            found = self._export(target, exported, seen)
            if found is not None:
                return found
        return External(external, exported) if external is not None else None


_FILES = [f"m{n}.ts" for n in range(5)]
_NAMES = ["a", "b", "c", "default", "*"]
_SPECIFIERS = [f"./m{n}" for n in range(5)] + ["pkg", "./missing"]


@st.composite
def module_graphs(draw: st.DrawFn) -> dict[str, ModuleFacts]:
    """Small projects whose modules import, re-export (renamed, `* as`, `export *`, cycles
    included) and declare the same few names, some of them CommonJS."""
    names = st.sampled_from(_NAMES)
    plain = st.sampled_from(_NAMES[:3])
    specifiers = st.sampled_from(_SPECIFIERS)
    modules: dict[str, ModuleFacts] = {}
    for rel in _FILES:
        imports = [
            ImportBinding(local=local, source=source, imported=imported, line=1)
            for local, source, imported in draw(
                st.lists(st.tuples(st.sampled_from(["x", "y", "a"]), specifiers, names), max_size=3)
            )
        ]
        exports: list[ExportBinding] = []
        for exported, kind, other, source in draw(
            st.lists(
                st.tuples(names.filter(lambda n: n != "*"), st.integers(0, 2), names, specifiers),
                max_size=4,
            )
        ):
            if kind == 0:  # export { other as exported } from "source"
                exports.append(
                    ExportBinding(exported=exported, source=source, imported=other, line=1)
                )
            elif kind == 1:  # export { other as exported }
                exports.append(ExportBinding(exported=exported, local=other, line=1))
            else:  # export const exported = ...
                exports.append(ExportBinding(exported=exported, line=1))
        modules[rel] = ModuleFacts(
            imports=imports,
            exports=exports,
            star_reexports=draw(st.lists(specifiers, max_size=3)),
            locals=draw(st.lists(plain, max_size=2)),
            commonjs=draw(st.booleans()),
        )
    return modules


@settings(max_examples=300)
@given(modules=module_graphs(), data=st.data())
def test_pruned_and_memoised_answers_are_the_plain_search_s(
    modules: dict[str, ModuleFacts], data: st.DataObject
) -> None:
    """Property: whatever the graph (cycles, barrels, packages re-exported wholesale, CommonJS)
    and whatever order the questions come in, one index remembering its answers and skipping
    the `export *` targets that cannot answer gives the plain search's answer to each."""
    resolver = ModuleResolver(modules, {})
    plain = PlainSymbols(modules, ModuleResolver(modules, {}))
    questions = [(rel, name, kind) for rel in _FILES for name in _NAMES for kind in range(2)]
    order = data.draw(st.permutations(questions))
    index = SymbolIndex(modules, resolver)
    for rel, name, kind in order:
        if kind == 0:
            assert index.origin(rel, name) == plain.origin(rel, name), (rel, name)
        else:
            assert index.export_origin(rel, name) == plain.export_origin(rel, name), (rel, name)


@settings(max_examples=300)
@given(modules=module_graphs())
def test_bound_as_leads_back_from_every_origin(modules: dict[str, ModuleFacts]) -> None:
    """Property: each binding whose origin is a module's name is found by following `bound_as`
    backwards from that name (what `call_reach` relies on to skip calls unresolved)."""
    index = SymbolIndex(modules, ModuleResolver(modules, {}))
    for rel in _FILES:
        for name in ["x", "y", *_NAMES]:
            found = index.origin(rel, name)
            if not isinstance(found, Symbol):
                continue
            reached = {(found.rel, found.name)}
            stack = [(found.rel, found.name)]
            while stack:
                for binding in index.bound_as(*stack.pop()):
                    if binding not in reached:
                        reached.add(binding)
                        stack.append(binding)
            assert (rel, name) in reached, (rel, name, found)


def test_module_resolution_answers_do_not_depend_on_the_order_asked() -> None:
    """Differential: answers memoised by the path a relative specifier names and by the nearest
    config (for the others) are those of a fresh resolver asked only that, in any order."""
    modules, projects = load_tree(MONOREPO)
    questions = [
        (rel, specifier)
        for rel, facts in modules.items()
        for specifier in [*facts.specifiers(), "./missing", "@acme/auth", "@/lib/handler", "react"]
    ]
    questions += [(rel.replace(".ts", "-other.ts"), s) for rel, s in questions]
    assert len(questions) > 100
    for order in (questions, list(reversed(questions))):
        shared = ModuleResolver(modules, projects)
        for rel, specifier in order:
            fresh = ModuleResolver(modules, projects)
            assert shared.resolve(rel, specifier) == fresh.resolve(rel, specifier), (rel, specifier)
