"""Where a JS/TS file runs: in the browser ("client"), on the server, or we cannot tell.

`single-emission-source` exists because `order_placed` was captured once in a route handler and
again in a client component's `useEffect`, doubling the North Star metric. To see that, every file
that emits telemetry needs a side. The side is read from the file alone (its directives, its path
under the framework's conventions, its imports, the hooks it calls); a file that shows none of
these is "unknown", and a lesson may propagate sides along imports at judge time (a `components/`
file without a directive that only client files import is client code, but one file cannot know
who imports it).

When signals disagree the strongest wins, in this order (first match decides, and `reasons` lists
every signal found, strongest first, so a finding can say why a file was judged client or server):

1. a directive: `'use client'` -> client, `'use server'` -> server. The author said so; Next.js
   enforces it.
2. a marker import: `import "server-only"` -> server, `import "client-only"` -> client; the
   build fails if the file crosses over, so it is as good as a directive.
3. framework file conventions: `pages/api/**` (Pages Router API), `route.*` under `app/` (App
   Router handler), root/`src` `middleware.*` and `proxy.*`, `*.server.*` (Remix), and
   `pages/_document` -> server; App Router special files (`page`, `layout`, `template`, `loading`,
   `not-found`, `default`) under `app/` without `'use client'` are server components -> server;
   any other file under `pages/` is a Pages Router page (rendered and hydrated in the browser,
   where its effects run) -> client, as is `*.client.*` (Remix).
4. analytics SDK imports: `posthog-node` and the Node SDKs of Segment/RudderStack/Mixpanel/
   Amplitude/June/LogSnag and `@vercel/analytics/server` -> server; `posthog-js` (and
   `posthog-js/react`) and the browser SDKs -> client. Packages that serve both (`@openpanel/sdk`,
   `@jitsu/js`, `@vercel/analytics`, `@openpanel/nextjs`) say nothing.
5. React client hooks (`useEffect`, `useState`, `usePostHog`, `useRouter`, ...) -> client: a
   server component cannot call them, so a file that does only ever runs in the browser.
6. directory names: a `server/` or `server-only/` folder -> server, `client-only/` -> client;
   a convention, not a guarantee, hence last.

Within one level, contradicting signals cancel and the next level decides.
"""

from __future__ import annotations

from typing import Literal

from ast_grep_py import SgNode

from pytest_lessons.lang.common.records import Compact
from pytest_lessons.lang.typescript.nodes import FileNodes, file_nodes
from pytest_lessons.lang.typescript.syntax import callee_name, directives, string_value
from pytest_lessons.source import SourceFile

Side = Literal["client", "server", "unknown"]


class Runtime(Compact):
    """The side a file runs on, and every signal found for it (strongest first)."""

    side: Side
    reasons: list[str]


class ImportedName(Compact):
    """One name a file binds from another module: `import { imported as local } from source`.

    `imported` is "default" for default imports and CommonJS `const x = require(...)`, "*" for
    namespace imports, and None for side-effect imports (`import "server-only"`), which bind no
    local name.
    """

    local: str | None
    source: str
    imported: str | None


SERVER_PACKAGES = frozenset(
    {
        "posthog-node",
        "@segment/analytics-node",
        "analytics-node",
        "@rudderstack/rudder-sdk-node",
        "mixpanel",
        "@amplitude/analytics-node",
        "@amplitude/node",
        "@june-so/analytics-node",
        "@vercel/analytics/server",
        "@logsnag/node",
        "@logsnag/next/server",
    }
)
CLIENT_PACKAGES = frozenset(
    {
        "posthog-js",
        "posthog-js/react",
        "@segment/analytics-next",
        "@rudderstack/analytics-js",
        "rudder-sdk-js",
        "mixpanel-browser",
        "@amplitude/analytics-browser",
        "amplitude-js",
        "@openpanel/web",
        "@jitsu/jitsu-react",
        "@june-so/analytics-next",
        "@vercel/analytics/react",
        "@plausible-analytics/tracker",
        "next-plausible",
        "@logsnag/react",
    }
)
# Hooks that only run in the browser (or that a server component may not call at all).
CLIENT_HOOKS = frozenset(
    {
        "useEffect",
        "useLayoutEffect",
        "useState",
        "useReducer",
        "useRef",
        "useCallback",
        "useMemo",
        "useTransition",
        "useSyncExternalStore",
        "usePostHog",
        "useOpenPanel",
        "useJitsu",
        "usePlausible",
        "useLogSnag",
        "useRouter",
        "usePathname",
        "useSearchParams",
        "useParams",
    }
)
_SERVER_COMPONENT_FILES = frozenset(
    {"page", "layout", "template", "loading", "not-found", "default"}
)
_SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")


def imported_names(file: SourceFile) -> list[ImportedName]:
    """`import_names` of a file, read once per run for every layer that asks."""
    return file.derived("js-import-names", lambda f: import_names(file_nodes(f).root))


def import_names(root: SgNode) -> list[ImportedName]:
    """Every module-level import and top-level `require()` binding of a file, in source order.

    Telemetry and runtime only need to know which packages a file uses and under which local
    names, which the file itself says; following relative imports is the resolver's job.
    """
    found: list[ImportedName] = []
    for statement in root.children():
        kind = statement.kind()
        if kind == "import_statement":
            found.extend(_from_import(statement))
        elif kind in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.children():
                if declarator.kind() == "variable_declarator":
                    found.extend(_from_require(declarator))
    return found


def _from_import(statement: SgNode) -> list[ImportedName]:
    source = string_value(statement.field("source"))
    if source is None:
        return []
    clause = next((c for c in statement.children() if c.kind() == "import_clause"), None)
    if clause is None:
        return [ImportedName(local=None, source=source, imported=None)]
    found: list[ImportedName] = []
    for part in clause.children():
        if part.kind() == "identifier":
            found.append(ImportedName(local=part.text(), source=source, imported="default"))
        elif part.kind() == "namespace_import":
            name = next((c for c in part.children() if c.kind() == "identifier"), None)
            if name is not None:
                found.append(ImportedName(local=name.text(), source=source, imported="*"))
        elif part.kind() == "named_imports":
            for spec in part.children():
                if spec.kind() != "import_specifier":
                    continue
                name_node = spec.field("name")
                alias = spec.field("alias")
                if name_node is None:
                    continue
                imported = string_value(name_node) or name_node.text()
                local = alias.text() if alias is not None else imported
                found.append(ImportedName(local=local, source=source, imported=imported))
    return found


def _from_require(declarator: SgNode) -> list[ImportedName]:
    value = declarator.field("value")
    pattern = declarator.field("name")
    if value is None or pattern is None or value.kind() != "call_expression":
        return []
    if callee_name(value) != "require":
        return []
    arguments = value.field("arguments")
    args = [c for c in arguments.children() if c.is_named()] if arguments is not None else []
    source = string_value(args[0]) if args else None
    if source is None:
        return []
    if pattern.kind() == "identifier":
        return [ImportedName(local=pattern.text(), source=source, imported="default")]
    found: list[ImportedName] = []
    if pattern.kind() == "object_pattern":
        for prop in pattern.children():
            if prop.kind() == "shorthand_property_identifier_pattern":
                found.append(ImportedName(local=prop.text(), source=source, imported=prop.text()))
            elif prop.kind() == "pair_pattern":
                key, local = prop.field("key"), prop.field("value")
                if key is not None and local is not None and local.kind() == "identifier":
                    found.append(
                        ImportedName(local=local.text(), source=source, imported=key.text())
                    )
    return found


def runtime_of(file: SourceFile) -> Runtime:
    """The side `file` runs on (see the module docstring for the order of signals)."""
    return file.derived("js-runtime-v1", _classify)


def _classify(file: SourceFile) -> Runtime:
    nodes = file_nodes(file)
    root = nodes.root
    levels: list[list[tuple[Side, str]]] = [
        _directive_signals(root),
        [],
        _path_signals(file.rel, root),
        [],
        _hook_signals(nodes),
        _directory_signals(file.rel),
    ]
    for imported in imported_names(file):
        if imported.source == "server-only":
            levels[1].append(("server", 'imports "server-only"'))
        elif imported.source == "client-only":
            levels[1].append(("client", 'imports "client-only"'))
        elif imported.source in SERVER_PACKAGES:
            levels[3].append(("server", f'imports "{imported.source}"'))
        elif imported.source in CLIENT_PACKAGES:
            levels[3].append(("client", f'imports "{imported.source}"'))
    reasons: list[str] = []
    side: Side = "unknown"
    for level in levels:
        unique = list(dict.fromkeys(level))
        reasons.extend(reason for _, reason in unique)
        sides = {found for found, _ in unique}
        if side == "unknown" and len(sides) == 1:
            side = sides.pop()
    return Runtime(side=side, reasons=reasons)


def _directive_signals(root: SgNode) -> list[tuple[Side, str]]:
    found = directives(root)
    signals: list[tuple[Side, str]] = []
    if "use client" in found:
        signals.append(("client", "'use client' directive"))
    if "use server" in found:
        signals.append(("server", "'use server' directive"))
    return signals


def _path_signals(rel: str, root: SgNode) -> list[tuple[Side, str]]:
    parts = rel.split("/")
    name = parts[-1]
    folders = parts[:-1]
    stem = name.split(".", 1)[0]
    if not name.endswith(_SCRIPT_SUFFIXES):
        return []
    signals: list[tuple[Side, str]] = []
    if ".server." in name:
        signals.append(("server", "*.server.* file (server-only module convention)"))
    elif ".client." in name:
        signals.append(("client", "*.client.* file (client-only module convention)"))
    pages = _pages_router_index(folders)
    in_pages = pages is not None
    if pages is not None and folders[pages + 1 : pages + 2] == ["api"]:
        signals.append(("server", "Pages Router API route (pages/api)"))
    elif "app" in folders and stem == "route":
        signals.append(("server", "App Router route handler (app/**/route)"))
    elif stem in ("middleware", "proxy") and _at_package_root(folders):
        signals.append(("server", f"Next.js {stem} (runs on the server/edge)"))
    elif in_pages and stem == "_document":
        signals.append(("server", "pages/_document renders only on the server"))
    elif "app" in folders and stem in _SERVER_COMPONENT_FILES:
        if "use client" not in directives(root):
            signals.append(("server", f"App Router {stem} without 'use client' (server component)"))
    elif in_pages:
        signals.append(("client", "Pages Router page (pages/, hydrated in the browser)"))
    return signals


def _pages_router_index(folders: list[str]) -> int | None:
    """Where the Pages Router's `pages/` sits, if it does: only at a package root or in `src/`.

    Next.js reads `pages/` only there; a feature folder that happens to be called `pages` deep in
    a module tree (`modules/dashboards/pages/`) holds ordinary components, often server ones.
    """
    for index, folder in enumerate(folders):
        if folder == "pages" and _at_package_root(folders[:index]):
            return index
    return None


def _at_package_root(folders: list[str]) -> bool:
    """`middleware.ts` counts at a package root or in its `src/`, as Next.js looks only there."""
    if not folders or folders[-1] == "src":
        return True
    if len(folders) >= 2 and folders[-2] in ("apps", "packages"):
        return True
    return len(folders) >= 3 and folders[-1] == "src" and folders[-3] in ("apps", "packages")


def _hook_signals(nodes: FileNodes) -> list[tuple[Side, str]]:
    for call in nodes.of("call_expression"):
        name = nodes.callee(call)
        if name is None:
            continue
        hook = name.removeprefix("React.")
        if hook in CLIENT_HOOKS:
            return [("client", f"calls the React client hook {hook}()")]
    return []


def _directory_signals(rel: str) -> list[tuple[Side, str]]:
    folders = rel.split("/")[:-1]
    if "client-only" in folders:
        return [("client", "under a client-only/ folder")]
    if "server-only" in folders or "server" in folders:
        return [("server", "under a server/ folder")]
    return []
