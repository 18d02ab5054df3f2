"""HTTP entry points of one JS/TS file: Next.js handlers and pages, Express-style registrations,
and a Next.js `middleware.ts`/`proxy.ts` with its matcher.

Three lessons ask "what can a caller reach, and how": `worker-route-auth` (which mutating handlers
exist and what guards them), `url-id-lookup` (which routes and pages carry an entity id in the URL)
and `single-emission-source` (which code is server code). They must agree on the answer, so it is
extracted here once per file (`file.derived("js-routes-v1", ...)`) as plain data.

The facts name other code only by name: a handler is `inline` (defined right there), `local` (a
binding of this file, with its span), `import` (an import's local name, resolved across files by the
lesson) or `unknown`. Wrappers (`withAuth(handler)`) and middlewares (`app.post(p, requireAuth, h)`)
are recorded as callee names, outermost first; whether they authenticate is for the lesson to judge,
since the evidence usually lives in another file.

Choices worth knowing:

- Pages Router API handlers yield one `RouteHandler` per method their body demonstrably serves
  (`if (req.method === "POST")`, `switch (req.method)`, `if (req.method !== "POST") return 405`
  guards, `[...].includes(req.method)`), plus one `"ANY"` handler when other methods fall through to
  code that does more than answer 4xx/405. `safe_methods_only` is true when everything the export
  serves is GET/HEAD/OPTIONS. A guard without `return`/`throw` restricts nothing: the code after it
  still runs.
- `app.use(path?, ...)` / fastify `addHook` are recorded as `mounts`, not handlers: the same shape
  serves middleware, sub-routers and terminal handlers, and the lesson decides coverage. The one
  exception is an inline function that cannot call `next` (fewer than three parameters, none named
  `next`), which is a terminal handler for every method (`"ANY"`).
- Express-style receivers are names bound in this file to `express()`, `express.Router()`,
  `Router()`, `new Hono()`, `new Router()` (koa-router), `fastify()`... or, when the construction is
  not visible, names like `app`/`router`/`api`/`server`/`routes`/`fooRouter`. The name heuristic is
  held back in `'use client'` files and files importing an HTTP client, and it demands a
  handler-shaped last argument (a function, a function binding, an import, `controller.method`), so
  `api.post("/orders", payload)` through axios is not a route.
- A middleware `rejects` when its own body answers with 401/403 (`NextResponse.json(...,
  {status: 401})`, `new Response(..., {status: 403})`, `res.status(401)`, a status named
  UNAUTHORIZED/FORBIDDEN) or rewrites/redirects to a 401/403 page. A middleware that only
  redirects to a login page does not reject: an API caller gets a 3xx and the handler never sees
  it, which is protection
  only by accident, so the lesson gets `redirects` and `calls` and decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from ast_grep_py import SgNode
from pydantic import BaseModel, ConfigDict, Field

from pytest_lessons.lang.typescript.syntax import (
    call_arguments,
    callee_name,
    directives,
    dotted_name,
    export_specifiers,
    object_properties,
    root_of,
    span,
    string_value,
)
from pytest_lessons.source import SourceFile

FACTS_KEY = "js-routes-v1"

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SCRIPT_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs")
_FUNCTION_KINDS = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "function_declaration",
        "generator_function",
        "generator_function_declaration",
    }
)
_TRANSPARENT_KINDS = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
    }
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HandlerRef(_Model):
    """What actually handles the request: defined here, a local binding, an import, or unknown.

    `name` is the local binding name (or the import's local name; for a re-export
    `export { POST } from "./impl"` the name exported by `module`). `module`/`imported` repeat the
    import for convenience; the resolver remains the authority. The span is the function's (or the
    binding's value's) when it is in this file.
    """

    kind: Literal["inline", "local", "import", "unknown"]
    name: str | None = None
    module: str | None = None
    imported: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


Framework = Literal[
    "next-app", "next-pages-api", "next-server-action", "express", "hono", "fastify"
]


class RouteHandler(_Model):
    """One (method, path) a caller can reach, with what stands between the caller and the code."""

    framework: Framework
    method: str
    path: str | None
    params: list[str] = Field(default_factory=list)
    line: int
    column: int
    end_line: int
    end_column: int
    handler: HandlerRef
    wrappers: list[str] = Field(default_factory=list)
    middlewares: list[str] = Field(default_factory=list)
    safe_methods_only: bool = False
    exported_as: str | None = None  # "POST", "default", the server action's name
    receiver: str | None = None  # express-style: the object the route is registered on


class PageRoute(_Model):
    """A page whose URL carries dynamic segments, and the ways the file reads them."""

    framework: Literal["next-app-page", "next-pages-page"]
    path: str
    params: list[str]
    line: int
    column: int
    end_line: int
    end_column: int
    uses: list[str] = Field(default_factory=list)
    # "props" | "await-params" | "use(params)" | "useParams" | "getServerSideProps"
    # | "getStaticProps" | "router-query"


class MiddlewareFacts(_Model):
    """A Next.js `middleware.ts` / `proxy.ts`: where it runs and whether it can say no."""

    matchers: list[str] | None  # None: no config.matcher, runs on every path
    conditional_matchers: list[str] = Field(default_factory=list)  # with has/missing: skippable
    matcher_dynamic: bool = False  # config.matcher is not a literal; `matchers` is then []
    line: int
    column: int
    end_line: int
    end_column: int
    rejects: bool
    redirects: bool = False
    calls: list[str] = Field(default_factory=list)
    exported_as: Literal["middleware", "proxy", "default"]
    wrapped_by: list[str] = Field(default_factory=list)
    handler: HandlerRef
    project_root: str = ""


class Mount(_Model):
    """`app.use(path?, ...fns)` / `fastify.addHook("preHandler", fn)`: app-level middleware.

    Hono's `app.route("/x", sub)` is a mount too, with no middlewares: `sub_app` names the mounted
    app, whose routes serve under `path` behind the middlewares `use`d on `receiver` before it.
    """

    receiver: str
    path: str | None
    middlewares: list[str]
    sub_app: str | None = None
    line: int
    column: int
    end_line: int
    end_column: int


class RouteFileFacts(_Model):
    handlers: list[RouteHandler] = Field(default_factory=list)
    pages: list[PageRoute] = Field(default_factory=list)
    middleware: MiddlewareFacts | None = None
    mounts: list[Mount] = Field(default_factory=list)
    star_reexports: list[str] = Field(default_factory=list)  # `export * from` in a route file
    project_root: str | None = None  # the Next.js project dir ("" at the repo root), if any


def route_facts(file: SourceFile) -> RouteFileFacts:
    """The file's routes, pages and middleware, extracted once per run and shared."""
    return file.derived(FACTS_KEY, _extract)


# ---------------------------------------------------------------------------------------------
# Paths


_GROUP = re.compile(r"^\(.*\)$")
_INTERCEPT = re.compile(r"^(\(\.{1,3}\))+")
_DYNAMIC = re.compile(r"^\[{1,2}(?:\.\.\.)?([^\[\]]+)\]{1,2}$")
_PAGES_SPECIAL = frozenset({"_app", "_document", "_error", "_middleware"})


def _app_dir_index(parts: list[str]) -> int | None:
    """Index of the App Router's `app` folder: `src/app` first, else the first `app` folder."""
    candidates = [i for i, part in enumerate(parts[:-1]) if part == "app"]
    for index in candidates:
        if index > 0 and parts[index - 1] == "src":
            return index
    return candidates[0] if candidates else None


def _pages_dir_index(parts: list[str]) -> int | None:
    candidates = [i for i, part in enumerate(parts[:-1]) if part == "pages"]
    for index in candidates:
        if index > 0 and parts[index - 1] == "src":
            return index
    return candidates[0] if candidates else None


def _stem(name: str) -> str | None:
    for suffix in _SCRIPT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def _route_kind(rel: str) -> tuple[str, int] | None:
    """("app-route" | "app-page" | "pages-api" | "pages-page", index of the router dir)."""
    parts = rel.split("/")
    stem = _stem(parts[-1])
    if stem is None or stem.endswith(".d"):
        return None
    app = _app_dir_index(parts)
    if app is not None and stem in ("route", "page"):
        return ("app-route" if stem == "route" else "app-page", app)
    pages = _pages_dir_index(parts)
    if pages is not None and app is None:
        if len(parts) > pages + 2 and parts[pages + 1] == "api":
            return "pages-api", pages
        return "pages-page", pages
    return None


def next_route_path(rel: str) -> str | None:
    """The URL path of an App Router `route`/`page` file or a Pages Router file, else None.

    `(group)` and `@slot` folders vanish from the URL, interception markers (`(.)photo`) are
    dropped, `[param]`/`[...slug]`/`[[...slug]]` are kept as written, and `_private` folders (and
    Pages Router `_app`/`_document`) are not routable at all.
    """
    kind = _route_kind(rel)
    if kind is None:
        return None
    route_kind, index = kind
    parts = rel.split("/")
    folders = parts[index + 1 : -1]
    stem = _stem(parts[-1]) or ""
    if route_kind.startswith("pages"):
        if stem in _PAGES_SPECIAL:
            return None
        if stem != "index":
            folders = [*folders, stem]
    segments: list[str] = []
    for folder in folders:
        if folder.startswith("_"):
            return None
        if route_kind.startswith("app"):
            if folder.startswith("@") or _GROUP.match(folder):
                continue
            folder = _INTERCEPT.sub("", folder)
        segments.append(folder)
    return "/" + "/".join(segments)


def route_params(path: str | None) -> list[str]:
    """Dynamic segment names of a Next (`[id]`, `[...slug]`) or express-style (`:id`) path."""
    if path is None:
        return []
    names: list[str] = []
    for segment in path.split("/"):
        match = _DYNAMIC.match(segment)
        if match:
            names.append(match.group(1))
        names.extend(re.findall(r":([A-Za-z_$][\w$]*)", segment))
    return names


def _project_root(rel: str) -> str | None:
    kind = _route_kind(rel)
    if kind is None:
        return None
    parts = rel.split("/")[: kind[1]]
    if parts and parts[-1] == "src":
        parts = parts[:-1]
    return "/".join(parts)


# ---------------------------------------------------------------------------------------------
# Local bindings


def _unwrap(node: SgNode | None) -> SgNode | None:
    while node is not None and node.kind() in _TRANSPARENT_KINDS:
        node = next((c for c in node.children() if c.is_named() and c.kind() != "comment"), None)
    return node


class _Scope:
    """Top-level names of the module: functions, other bindings, and imports."""

    def __init__(self, root: SgNode) -> None:
        self.functions: dict[str, SgNode] = {}
        self.values: dict[str, SgNode] = {}
        self.imports: dict[str, tuple[str, str]] = {}
        self.http_client = False
        for statement in root.children():
            self._statement(statement)

    def _statement(self, statement: SgNode) -> None:
        kind = statement.kind()
        if kind == "export_statement":
            declaration = statement.field("declaration")
            if declaration is not None:
                self._statement(declaration)
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = statement.field("name")
            if name is not None:
                self.functions[name.text()] = statement
        elif kind in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.children():
                if declarator.kind() != "variable_declarator":
                    continue
                name = declarator.field("name")
                value = declarator.field("value")
                if name is None or value is None or name.kind() != "identifier":
                    continue
                inner = _unwrap(value)
                if (
                    inner is not None
                    and inner.kind() == "call_expression"
                    and callee_name(inner) == "require"
                ):
                    module = string_value(next(iter(call_arguments(inner)), None))
                    if module is not None:
                        self._import(name.text(), module, "*")
                        continue
                self.values[name.text()] = value
        elif kind == "import_statement":
            self._import_statement(statement)

    def _import_statement(self, statement: SgNode) -> None:
        module = string_value(statement.field("source"))
        if module is None:
            return
        clause = next((c for c in statement.children() if c.kind() == "import_clause"), None)
        if clause is None:
            self._import("", module, "")
            return
        for part in clause.children():
            if part.kind() == "identifier":
                self._import(part.text(), module, "default")
            elif part.kind() == "namespace_import":
                ident = part.find(kind="identifier")
                if ident is not None:
                    self._import(ident.text(), module, "*")
            elif part.kind() == "named_imports":
                for spec in part.children():
                    if spec.kind() != "import_specifier":
                        continue
                    name = spec.field("name")
                    alias = spec.field("alias")
                    if name is not None:
                        local = alias if alias is not None else name
                        self._import(local.text(), module, name.text())

    def _import(self, local: str, module: str, imported: str) -> None:
        head = module.split("/")[0]
        if head in _HTTP_CLIENT_MODULES:
            self.http_client = True
        if local:
            self.imports[local] = (module, imported)


_HTTP_CLIENT_MODULES = frozenset(
    {"axios", "ky", "got", "ofetch", "superagent", "node-fetch", "wretch"}
)


def _is_function(node: SgNode | None) -> bool:
    return node is not None and node.kind() in _FUNCTION_KINDS


def _ref_span(node: SgNode) -> dict[str, int]:
    where = span(node)
    return {
        "line": where.line,
        "column": where.column,
        "end_line": where.end_line,
        "end_column": where.end_column,
    }


def _resolve(
    expression: SgNode | None, scope: _Scope, depth: int = 0
) -> tuple[list[str], HandlerRef, SgNode | None]:
    """Peel wrappers off a handler expression: (wrapper names, the handler, its function node)."""
    node = _unwrap(expression)
    if node is None:
        return [], HandlerRef(kind="unknown"), None
    kind = node.kind()
    if kind in _FUNCTION_KINDS:
        return [], HandlerRef(kind="inline", **_ref_span(node)), node
    if kind == "identifier":
        return _resolve_name(node.text(), scope, depth)
    if kind == "call_expression":
        callee = callee_name(node) or _chain_name(node.field("function"))
        if callee is None:
            return [], HandlerRef(kind="unknown", name=None), None
        inner = _handler_argument(call_arguments(node))
        if inner is None:
            return [callee], HandlerRef(kind="unknown"), None
        wrappers, ref, function = _resolve(inner, scope, depth + 1)
        return [callee, *wrappers], ref, function
    if kind == "member_expression":
        return [], HandlerRef(kind="unknown", name=dotted_name(node)), None
    return [], HandlerRef(kind="unknown"), None


def _chain_name(node: SgNode | None) -> str | None:
    """`client.metadata().action` for builder chains (next-safe-action, tRPC procedures)."""
    node = _unwrap(node)
    if node is None:
        return None
    kind = node.kind()
    if kind in ("identifier", "this"):
        return node.text()
    if kind == "member_expression":
        base = _chain_name(node.field("object"))
        prop = node.field("property")
        return f"{base}.{prop.text()}" if base is not None and prop is not None else None
    if kind == "call_expression":
        base = _chain_name(node.field("function"))
        return f"{base}()" if base is not None else None
    return None


def _handler_argument(arguments: list[SgNode]) -> SgNode | None:
    """The argument of a wrapper call that is the wrapped handler: the first function-like one."""
    for argument in arguments:
        inner = _unwrap(argument)
        if inner is not None and inner.kind() in (
            *_FUNCTION_KINDS,
            "identifier",
            "call_expression",
            "member_expression",
        ):
            return argument
    return None


def _header_span(statement: SgNode, name: SgNode | None) -> dict[str, int]:
    """From the statement's start to the end of the exported name: one line, not the body."""
    start = span(statement)
    end = span(name) if name is not None else start
    if name is None or end.end_line != start.line:
        first = statement.text().split("\n", 1)[0]
        return {
            "line": start.line,
            "column": start.column,
            "end_line": start.line,
            "end_column": start.column + len(first),
        }
    return {
        "line": start.line,
        "column": start.column,
        "end_line": end.end_line,
        "end_column": end.end_column,
    }


# ---------------------------------------------------------------------------------------------
# Exports


class _Export:
    """One exported name with its value expression (or a re-export), and where it sits."""

    def __init__(
        self,
        name: str,
        where: dict[str, int],
        value: SgNode | None = None,
        local: str | None = None,
        source: str | None = None,
        destructured_from: str | None = None,
    ) -> None:
        self.name = name
        self.where = where
        self.value = value
        self.local = local
        self.source = source
        self.destructured_from = destructured_from

    def resolve(self, scope: _Scope) -> tuple[list[str], HandlerRef, SgNode | None]:
        if self.source is not None:
            imported = self.local or self.name
            ref = HandlerRef(kind="import", name=imported, module=self.source, imported=imported)
            return [], ref, None
        if self.destructured_from is not None:
            return (
                [],
                HandlerRef(kind="unknown", name=f"{self.destructured_from}.{self.name}"),
                None,
            )
        if self.local is not None:
            return _resolve_name(self.local, scope)
        return _resolve(self.value, scope)


def _resolve_name(
    name: str, scope: _Scope, depth: int = 0
) -> tuple[list[str], HandlerRef, SgNode | None]:
    """A local name: its function, the wrappers of its `const x = withY(...)`, or its import."""
    if name in scope.functions:
        declared = scope.functions[name]
        return [], HandlerRef(kind="local", name=name, **_ref_span(declared)), declared
    if name in scope.values:
        value = _unwrap(scope.values[name])
        if value is not None and value.kind() in _FUNCTION_KINDS:
            return [], HandlerRef(kind="local", name=name, **_ref_span(value)), value
        if value is not None and value.kind() == "call_expression" and depth < 4:
            wrappers, ref, function = _resolve(value, scope, depth + 1)
            if wrappers:
                return wrappers, ref, function
        if value is not None:
            return [], HandlerRef(kind="local", name=name, **_ref_span(value)), None
    if name in scope.imports:
        module, imported = scope.imports[name]
        return [], HandlerRef(kind="import", name=name, module=module, imported=imported), None
    return [], HandlerRef(kind="unknown", name=name), None


def _exports(root: SgNode) -> tuple[list[_Export], list[str]]:
    """Every export (CommonJS `module.exports = x` as "default"), and `export *` specifiers."""
    found: list[_Export] = []
    stars: list[str] = []
    for statement in root.children():
        kind = statement.kind()
        if kind == "expression_statement":
            assignment = next((c for c in statement.children() if c.is_named()), None)
            if assignment is not None and assignment.kind() == "assignment_expression":
                left = dotted_name(assignment.field("left"))
                if left == "module.exports":
                    found.append(
                        _Export(
                            "default",
                            _header_span(statement, assignment.field("left")),
                            assignment.field("right"),
                        )
                    )
            continue
        if kind != "export_statement":
            continue
        source = string_value(statement.field("source"))
        children = statement.children()
        is_default = any(child.kind() == "default" for child in children)
        declaration = statement.field("declaration")
        if any(c.kind() == "export_clause" for c in children):
            for exported, local, spec in export_specifiers(statement):
                found.append(_Export(exported, _ref_span(spec), local=local, source=source))
            continue
        if source is not None:
            if not any(child.kind() == "namespace_export" for child in children):
                stars.append(source)
            continue
        if is_default:
            value = declaration if declaration is not None else statement.field("value")
            if value is None:
                value = next((c for c in children if c.is_named() and c.kind() != "comment"), None)
            name_node = declaration.field("name") if declaration is not None else None
            found.append(_Export("default", _header_span(statement, name_node), value))
            continue
        if declaration is None:
            continue
        declaration_kind = declaration.kind()
        if declaration_kind in ("function_declaration", "generator_function_declaration"):
            name = declaration.field("name")
            if name is not None:
                found.append(_Export(name.text(), _header_span(statement, name), declaration))
        elif declaration_kind in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.children():
                if declarator.kind() != "variable_declarator":
                    continue
                name = declarator.field("name")
                value = declarator.field("value")
                if name is None:
                    continue
                if name.kind() == "identifier":
                    found.append(_Export(name.text(), _header_span(statement, name), value))
                elif name.kind() == "object_pattern" and value is not None:
                    origin = dotted_name(_unwrap(value)) or value.text()
                    for key, _ in _pattern_keys(name):
                        found.append(
                            _Export(key, _header_span(statement, name), destructured_from=origin)
                        )
    return found, stars


def _pattern_keys(pattern: SgNode) -> Iterator[tuple[str, SgNode]]:
    """(property key, bound node) of an object destructuring pattern."""
    for child in pattern.children():
        kind = child.kind()
        if kind == "shorthand_property_identifier_pattern":
            yield child.text(), child
        elif kind == "pair_pattern":
            key = child.field("key")
            if key is not None:
                yield string_value(key) or key.text(), child
        elif kind == "object_assignment_pattern":
            left = child.field("left")
            if left is not None:
                yield left.text(), child


# ---------------------------------------------------------------------------------------------
# Extraction


def _extract(file: SourceFile) -> RouteFileFacts:
    root = root_of(file)
    scope = _Scope(root)
    rel = file.rel
    kind = _route_kind(rel)
    path = next_route_path(rel)
    handlers: list[RouteHandler] = []
    pages: list[PageRoute] = []
    stars: list[str] = []
    exports: list[_Export] | None = None

    registrations, mounts = _registrations(root, scope, file)

    if kind is not None and path is not None:
        exports, stars = _exports(root)
        route_kind = kind[0]
        if route_kind == "app-route":
            handlers.extend(_app_route_handlers(exports, scope, path, registrations))
        elif route_kind == "pages-api":
            handlers.extend(_pages_api_handlers(exports, scope, path))
        elif route_kind in ("app-page", "pages-page") and route_params(path):
            page = _page_route(root, exports, route_kind, path)
            if page is not None:
                pages.append(page)
    handlers.extend(registrations)

    if "use server" in directives(root):
        if exports is None:
            exports, _ = _exports(root)
        handlers.extend(_server_actions(exports, scope))

    middleware = _middleware(root, scope, rel)
    project_root = _project_root(rel)
    if project_root is None and middleware is not None:
        project_root = middleware.project_root
    return RouteFileFacts(
        handlers=handlers,
        pages=pages,
        middleware=middleware,
        mounts=mounts,
        star_reexports=stars if kind is not None and kind[0] == "app-route" else [],
        project_root=project_root,
    )


def _app_route_handlers(
    exports: list[_Export], scope: _Scope, path: str, registrations: list[RouteHandler]
) -> Iterator[RouteHandler]:
    params = route_params(path)
    hono_methods: set[str] = set()
    hono_receivers: set[str] = set()
    for export in exports:
        if export.name not in HTTP_METHODS:
            continue
        wrappers, ref, _ = export.resolve(scope)
        if (
            wrappers
            and ref.kind == "local"
            and ref.name is not None
            and any(r.receiver == ref.name for r in registrations)
        ):
            hono_methods.add(export.name)
            hono_receivers.add(ref.name)
            continue
        yield RouteHandler(
            framework="next-app",
            method=export.name,
            path=path,
            params=params,
            handler=ref,
            wrappers=wrappers,
            safe_methods_only=export.name in SAFE_METHODS,
            exported_as=export.name,
            **export.where,
        )
    if hono_receivers:
        # Registrations a mounted app never receives (no export for their method) are dropped.
        keep = [
            r
            for r in registrations
            if r.receiver not in hono_receivers or r.method in hono_methods or r.method == "ANY"
        ]
        registrations[:] = keep


def _pages_api_handlers(exports: list[_Export], scope: _Scope, path: str) -> Iterator[RouteHandler]:
    params = route_params(path)
    for export in exports:
        if export.name != "default":
            continue
        wrappers, ref, function = export.resolve(scope)
        methods, restricted = _served_methods(function) if function is not None else ([], False)
        served = [*methods] if restricted else [*methods, "ANY"]
        safe = all(method in SAFE_METHODS for method in served)
        for method in served:
            yield RouteHandler(
                framework="next-pages-api",
                method=method,
                path=path,
                params=params,
                handler=ref,
                wrappers=wrappers,
                safe_methods_only=safe,
                exported_as="default",
                **export.where,
            )


def _server_actions(exports: list[_Export], scope: _Scope) -> Iterator[RouteHandler]:
    """Exports of a `'use server'` module: each is a POST endpoint Next.js exposes to any caller."""
    for export in exports:
        if export.source is not None or export.destructured_from is not None:
            continue
        wrappers, ref, function = export.resolve(scope)
        if function is None and not wrappers:
            continue
        yield RouteHandler(
            framework="next-server-action",
            method="POST",
            path=None,
            handler=ref,
            wrappers=wrappers,
            exported_as=export.name,
            **export.where,
        )


# ---------------------------------------------------------------------------------------------
# Pages Router: which methods does the body serve?


def _first_parameter(function: SgNode) -> SgNode | None:
    single = function.field("parameter")
    if single is not None:
        return single
    parameters = function.field("parameters")
    if parameters is None:
        return None
    for parameter in parameters.children():
        if parameter.is_named() and parameter.kind() != "comment":
            pattern = parameter.field("pattern")
            return pattern if pattern is not None else parameter
    return None


def _method_expressions(function: SgNode, body: SgNode) -> set[str]:
    """Texts that denote the request method: `req.method`, a `method` destructured from req."""
    first = _first_parameter(function)
    names: set[str] = set()
    if first is not None and first.kind() == "identifier":
        request = first.text()
        names.add(f"{request}.method")
        for declarator in body.find_all(kind="variable_declarator"):
            name = declarator.field("name")
            value = _unwrap(declarator.field("value"))
            if name is None or value is None:
                continue
            if name.kind() == "identifier" and _normal(value.text()) == f"{request}.method":
                names.add(name.text())
            elif name.kind() == "object_pattern" and value.text() == request:
                for key, bound in _pattern_keys(name):
                    if key == "method":
                        value_node = bound.field("value")
                        names.add(value_node.text() if value_node is not None else "method")
    elif first is not None and first.kind() == "object_pattern":
        for key, bound in _pattern_keys(first):
            if key == "method":
                value_node = bound.field("value")
                names.add(value_node.text() if value_node is not None else "method")
    if not names:
        names.add("req.method")
    return names


def _normal(text: str) -> str:
    text = text.replace("?.", ".").replace(" ", "")
    for suffix in (".toUpperCase()", ".toLowerCase()"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def _method_test(node: SgNode | None, methods: set[str]) -> tuple[bool, set[str]] | None:
    """(True, M) when the condition holds exactly for methods M, (False, M) for all but M."""
    node = _unwrap(node)
    if node is None:
        return None
    kind = node.kind()
    if kind == "binary_expression":
        operator = node.field("operator")
        op = operator.text() if operator is not None else ""
        left, right = node.field("left"), node.field("right")
        if op in ("===", "==", "!==", "!="):
            for a, b in ((left, right), (right, left)):
                if a is not None and _normal(a.text()) in methods:
                    value = string_value(_unwrap(b))
                    if value is not None:
                        return (op in ("===", "=="), {value.upper()})
            return None
        sides = (_method_test(left, methods), _method_test(right, methods))
        if op == "||":
            if all(s is not None and s[0] for s in sides):
                return True, set().union(*(s[1] for s in sides if s is not None))
            return None
        if op == "&&":
            if all(s is not None and not s[0] for s in sides):
                return False, set().union(*(s[1] for s in sides if s is not None))
            positive = [s for s in sides if s is not None and s[0]]
            if positive:
                return True, positive[0][1]
        return None
    if kind == "unary_expression":
        operator = node.field("operator")
        inner = _method_test(node.field("argument"), methods)
        if operator is not None and operator.text() == "!" and inner is not None:
            return (not inner[0], inner[1])
        return None
    if kind == "call_expression":
        function = node.field("function")
        arguments = call_arguments(node)
        if (
            function is not None
            and function.kind() == "member_expression"
            and len(arguments) == 1
            and _normal(arguments[0].text()) in methods
        ):
            prop = function.field("property")
            array = _unwrap(function.field("object"))
            if (
                prop is not None
                and prop.text() == "includes"
                and array is not None
                and array.kind() == "array"
            ):
                values = [string_value(e) for e in array.children() if e.is_named()]
                if values and all(v is not None for v in values):
                    return True, {v.upper() for v in values if v is not None}
    return None


def _statements(block: SgNode | None) -> list[SgNode]:
    """A block's statements with `try { ... }` bodies spliced in (the catch does not serve)."""
    if block is None:
        return []
    if block.kind() != "statement_block":
        return [block]
    out: list[SgNode] = []
    for child in block.children():
        if not child.is_named() or child.kind() == "comment":
            continue
        if child.kind() == "try_statement":
            out.extend(_statements(child.field("body")))
        else:
            out.append(child)
    return out


def _exits(statement: SgNode | None) -> bool:
    if statement is None:
        return False
    kind = statement.kind()
    if kind in ("return_statement", "throw_statement"):
        return True
    if kind == "statement_block":
        inner = _statements(statement)
        return bool(inner) and _exits(inner[-1])
    return False


_REJECT_TEXT = re.compile(r"\b4\d\d\b|not\s*allowed|METHOD_NOT_ALLOWED", re.IGNORECASE)


def _rejects(statements: list[SgNode]) -> bool:
    """Only answers with an error: no awaits, no declarations, a 4xx/405 or a throw."""
    if not statements:
        return True
    for statement in statements:
        if statement.kind() not in ("expression_statement", "return_statement", "throw_statement"):
            return False
        if "await" in statement.text():
            return False
    return any(s.kind() == "throw_statement" or _REJECT_TEXT.search(s.text()) for s in statements)


def _served_methods(function: SgNode) -> tuple[list[str], bool]:
    """(methods the body branches on, whether those are all it serves)."""
    body = function.field("body")
    if body is None or body.kind() != "statement_block":
        return [], False
    methods = _method_expressions(function, body)
    positives: list[str] = []

    def add(found: Iterable[str]) -> None:
        for method in sorted(found):
            if method not in positives:
                positives.append(method)

    statements = _statements(body)
    last_branch = -1
    for index, statement in enumerate(statements):
        kind = statement.kind()
        if kind == "if_statement":
            test = _method_test(statement.field("condition"), methods)
            if test is None:
                continue
            positive, found = test
            if not positive:
                if _exits(statement.field("consequence")):
                    add(found)
                    return positives, True
                continue
            add(found)
            alternative = statement.field("alternative")
            if alternative is not None:
                return _else_chain(alternative, methods, positives)
            last_branch = index
        elif kind == "switch_statement":
            value = _unwrap(statement.field("value"))
            if value is None or _normal(value.text()) not in methods:
                continue
            switch_body = statement.field("body")
            default: SgNode | None = None
            for case in switch_body.children() if switch_body is not None else []:
                if case.kind() == "switch_case":
                    case_value = string_value(case.field("value"))
                    if case_value is not None:
                        add({case_value.upper()})
                elif case.kind() == "switch_default":
                    default = case
            if default is not None:
                rest = [c for c in default.children() if c.is_named() and c.kind() != "comment"]
                return positives, _rejects(rest)
            last_branch = index
    if last_branch < 0:
        return positives, False
    return positives, _rejects(statements[last_branch + 1 :])


def _else_chain(
    alternative: SgNode,
    methods: set[str],
    positives: list[str],
) -> tuple[list[str], bool]:
    """Follow `else if (req.method === ...)` to the final `else`, which must only reject."""
    node: SgNode | None = next((c for c in alternative.children() if c.is_named()), None)
    while node is not None and node.kind() == "if_statement":
        test = _method_test(node.field("condition"), methods)
        if test is None or not test[0]:
            return positives, False
        for method in sorted(test[1]):
            if method not in positives:
                positives.append(method)
        next_alternative = node.field("alternative")
        if next_alternative is None:
            return positives, True
        node = next((c for c in next_alternative.children() if c.is_named()), None)
    if node is None:
        return positives, True
    return positives, _rejects(_statements(node))


# ---------------------------------------------------------------------------------------------
# Pages


def _page_route(
    root: SgNode, exports: list[_Export], route_kind: str, path: str
) -> PageRoute | None:
    uses: list[str] = []
    default = next((e for e in exports if e.name == "default"), None)
    where = (
        default.where
        if default is not None
        else {"line": 1, "column": 1, "end_line": 1, "end_column": 1}
    )
    component = _unwrap(default.value) if default is not None else None
    if component is not None and component.kind() not in _FUNCTION_KINDS:
        component = None
    if component is not None:
        first = _first_parameter(component)
        if first is not None and first.kind() == "object_pattern":
            if any(key == "params" for key, _ in _pattern_keys(first)):
                uses.append("props")
        elif (
            first is not None
            and first.kind() == "identifier"
            and re.search(rf"\b{re.escape(first.text())}\s*\.\s*params\b", component.text())
        ):
            uses.append("props")
    for node in root.find_all(kind="await_expression"):
        if re.fullmatch(r"await\s+(\w+\s*\.\s*)?params", node.text()):
            uses.append("await-params")
            break
    for call in root.find_all(kind="call_expression"):
        callee = callee_name(call)
        arguments = call_arguments(call)
        if callee in ("use", "React.use") and arguments and arguments[0].text().endswith("params"):
            uses.append("use(params)")
        elif callee == "useParams":
            uses.append("useParams")
        elif callee == "useRouter" and route_kind == "pages-page":
            uses.append("router-query")
    names = {e.name for e in exports}
    for data in ("getServerSideProps", "getStaticProps"):
        if data in names:
            uses.append(data)
    return PageRoute(
        framework="next-app-page" if route_kind == "app-page" else "next-pages-page",
        path=path,
        params=route_params(path),
        uses=list(dict.fromkeys(uses)),
        **where,
    )


# ---------------------------------------------------------------------------------------------
# Express, Hono, Fastify, koa-router


_REGISTRATION_METHODS = {
    "get": "GET",
    "post": "POST",
    "put": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "del": "DELETE",
    "head": "HEAD",
    "options": "OPTIONS",
    "all": "ANY",
}
_RECEIVER_CALLS = {
    "express": "express",
    "express.Router": "express",
    "Router": "express",
    "fastify": "fastify",
    "Fastify": "fastify",
    "createRouter": "express",
}
_RECEIVER_CLASSES = {
    "Hono": "hono",
    "OpenAPIHono": "hono",
    "Router": "express",
    "KoaRouter": "express",
    "Elysia": "express",
}
_RECEIVER_NAME = re.compile(r"^(app|router|api|server|routes|fastify)$|[a-z](Router|Routes)$")
_AUTH_HOOKS = frozenset({"onRequest", "preHandler", "preValidation", "preParsing"})


class _Receiver:
    def __init__(self, framework: str, base: str, visible: bool) -> None:
        self.framework = framework
        self.base = base
        self.visible = visible


def _construction(node: SgNode | None, known: dict[str, _Receiver]) -> _Receiver | None:
    """The receiver a value creates: `express()`, `new Hono().basePath("/api")`, ..."""
    node = _unwrap(node)
    if node is None:
        return None
    kind = node.kind()
    if kind == "new_expression":
        constructor = dotted_name(node.field("constructor"))
        framework = _RECEIVER_CLASSES.get((constructor or "").rsplit(".", 1)[-1])
        if framework is None:
            return None
        base = ""
        for argument in call_arguments(node):
            if argument.kind() == "object":
                for key, value in object_properties(argument):
                    if key == "prefix":
                        base = string_value(value) or ""
        return _Receiver(framework, base, True)
    if kind == "call_expression":
        callee = callee_name(node)
        if callee in _RECEIVER_CALLS:
            return _Receiver(_RECEIVER_CALLS[callee], "", True)
        function = node.field("function")
        if function is not None and function.kind() == "member_expression":
            prop = function.field("property")
            if prop is not None and (
                prop.text() in _REGISTRATION_METHODS or prop.text() in ("use", "on", "route")
            ):
                # Hono's registrations return the app: `const app = new Hono().get(...)`.
                return _construction(function.field("object"), known)
            if prop is not None and prop.text() == "basePath":
                inner = function.field("object")
                parent = _construction(inner, known)
                if parent is None:
                    inner_name = dotted_name(inner)
                    parent = known.get(inner_name) if inner_name is not None else None
                arguments = call_arguments(node)
                extra = string_value(arguments[0]) if arguments else None
                if parent is not None:
                    return _Receiver(parent.framework, _join(parent.base, extra or ""), True)
    if kind == "identifier" and node.text() in known:
        return known[node.text()]
    return None


def _join(base: str, path: str) -> str:
    """Prefix a route path with a base path (`basePath("/api")`, koa-router `prefix`)."""
    if not base:
        return path
    if path in ("", "/"):
        return base
    return base.rstrip("/") + "/" + path.lstrip("/")


def _receivers(root: SgNode) -> tuple[dict[str, _Receiver], set[str]]:
    """Names bound to a server/router construction, and names visibly bound to anything else."""
    known: dict[str, _Receiver] = {}
    others: set[str] = set()
    for declarator in root.find_all(kind="variable_declarator"):
        name = declarator.field("name")
        if name is None or name.kind() != "identifier":
            continue
        receiver = _construction(declarator.field("value"), known)
        if receiver is not None:
            known[name.text()] = receiver
        elif declarator.field("value") is not None:
            others.add(name.text())
    return known, others - set(known)


def _names(node: SgNode) -> list[str]:
    """Middleware names of an argument: `auth`, `passport.authenticate`, `verify(...)`, arrays."""
    node = _unwrap(node) or node
    kind = node.kind()
    if kind == "array":
        return [name for child in node.children() if child.is_named() for name in _names(child)]
    if kind == "call_expression":
        callee = callee_name(node)
        return [callee] if callee is not None else []
    if kind in _FUNCTION_KINDS:
        return ["<inline>"]
    name = dotted_name(node)
    return [name] if name is not None else []


def _handler_like(node: SgNode, scope: _Scope) -> bool:
    """Could this argument be a request handler? Used only for guessed receivers."""
    node = _unwrap(node) or node
    kind = node.kind()
    if kind in _FUNCTION_KINDS:
        return True
    if kind == "identifier":
        name = node.text()
        if name in scope.functions or name in scope.imports:
            return True
        value = _unwrap(scope.values.get(name))
        return value is not None and value.kind() in (*_FUNCTION_KINDS, "call_expression")
    if kind == "member_expression":
        base = dotted_name(node.field("object"))
        return base is not None and base.split(".")[0] in scope.imports
    return kind == "call_expression"


def _registrations(
    root: SgNode, scope: _Scope, file: SourceFile
) -> tuple[list[RouteHandler], list[Mount]]:
    if not file.contains_any(
        (
            b".get",
            b".post",
            b".put",
            b".patch",
            b".delete",
            b".all",
            b".use",
            b".route",
            b".on",
            b".del",
            b".addHook",
            b".head",
            b".options",
        )
    ):
        return [], []
    known, others = _receivers(root)
    guess_allowed = "use client" not in directives(root) and not scope.http_client
    handlers: list[RouteHandler] = []
    mounts: list[Mount] = []
    rule = {
        "field": "function",
        "kind": "member_expression",
        "has": {
            "field": "property",
            "regex": "^(get|post|put|patch|delete|del|head|options|all|use|route|on|addHook)$",
        },
    }
    for call in root.find_all(kind="call_expression", has=rule):
        function = call.field("function")
        prop = function.field("property") if function is not None else None
        target = function.field("object") if function is not None else None
        if prop is None or target is None:
            continue
        located = _locate_receiver(target, known, others, guess_allowed)
        if located is None:
            continue
        receiver_name, receiver, route_path = located
        method_name = prop.text()
        arguments = call_arguments(call)
        where = _ref_span(call)
        chained = _unwrap(target)
        if chained is not None and chained.kind() in ("call_expression", "new_expression"):
            # A chained `.post(...)` spans from the chain's start; point at its own `.post`.
            where = {**where, "line": span(prop).line, "column": span(prop).column}
        framework = receiver.framework
        if method_name == "use" or method_name == "addHook":
            mount = _mount(receiver_name, receiver, method_name, arguments, where)
            if mount is not None:
                mounts.append(mount)
            terminal = _terminal_use(arguments)
            if terminal is not None and method_name == "use":
                use_path, use_handler = terminal
                _, ref, _ = _resolve(use_handler, scope)
                handlers.append(
                    _registration(
                        framework,
                        "ANY",
                        _join(receiver.base, use_path),
                        ref,
                        [],
                        where,
                        receiver_name,
                    )
                )
            continue
        if method_name == "route":
            if len(arguments) == 1 and arguments[0].kind() == "object":
                handlers.extend(_fastify_route(arguments[0], scope, receiver_name, receiver, where))
            elif len(arguments) == 2 and framework == "hono":
                sub_path = string_value(_unwrap(arguments[0]))
                sub_app = dotted_name(_unwrap(arguments[1]) or arguments[1])
                if sub_path is not None and sub_app is not None:
                    mounts.append(
                        Mount(
                            receiver=receiver_name,
                            path=_join(receiver.base, sub_path),
                            middlewares=[],
                            sub_app=sub_app,
                            **where,
                        )
                    )
            continue
        methods: list[str]
        if method_name == "on":
            if len(arguments) < 3:
                continue
            first = _unwrap(arguments[0])
            if first is not None and first.kind() == "array":
                values = [string_value(c) for c in first.children() if c.is_named()]
            else:
                values = [string_value(first)]
            methods = [v.upper() for v in values if v is not None]
            arguments = arguments[1:]
        else:
            methods = [_REGISTRATION_METHODS[method_name]]
        if route_path is not None:
            path: str | None = route_path
            rest = arguments
        else:
            if len(arguments) < 2:
                continue
            path = string_value(_unwrap(arguments[0]))
            rest = arguments[1:]
            if path is None and not receiver.visible:
                continue
        if not rest:
            continue
        middlewares: list[str] = []
        handler_node: SgNode | None = rest[-1]
        for middle in rest[:-1]:
            inner = _unwrap(middle)
            if inner is not None and inner.kind() == "object":
                middlewares.extend(_hook_names(inner))
            elif inner is not None:
                middlewares.extend(_names(inner))
        last = _unwrap(rest[-1])
        if last is not None and last.kind() == "object":
            options = dict(object_properties(last))
            handler_node = options.get("handler")
            middlewares.extend(_hook_names(last))
            if handler_node is None:
                continue
        if handler_node is None:
            continue
        if not receiver.visible and (
            not _handler_like(handler_node, scope)
            or path is None
            or not path.startswith(("/", "*"))
        ):
            continue
        wrappers, ref, _ = _resolve(handler_node, scope)
        full = _join(receiver.base, path) if path is not None else None
        for method in methods:
            handlers.append(
                _registration(
                    framework, method, full, ref, middlewares, where, receiver_name, wrappers
                )
            )
    _prefix_sub_apps(handlers, mounts, known)
    handlers.sort(key=lambda h: (h.line, h.column))
    return handlers, mounts


def _prefix_sub_apps(
    handlers: list[RouteHandler], mounts: list[Mount], known: dict[str, _Receiver]
) -> None:
    """Give a Hono sub-app of this file (`app.route("/x", sub)`) its mount prefix, in place."""
    for mount in [m for m in mounts if m.sub_app in known and m.sub_app != m.receiver]:
        prefix = mount.path or ""
        for i, handler in enumerate(handlers):
            if handler.receiver == mount.sub_app and handler.path is not None:
                full = _join(prefix, handler.path)
                handlers[i] = handler.model_copy(
                    update={"path": full, "params": route_params(full)}
                )
        for i, other in enumerate(mounts):
            if other.receiver == mount.sub_app and other.sub_app is None:
                mounts[i] = other.model_copy(update={"path": _join(prefix, other.path or "/*")})


def _registration(
    framework: str,
    method: str,
    path: str | None,
    ref: HandlerRef,
    middlewares: list[str],
    where: dict[str, int],
    receiver: str,
    wrappers: list[str] | None = None,
) -> RouteHandler:
    name: Framework = (
        "hono" if framework == "hono" else ("fastify" if framework == "fastify" else "express")
    )
    return RouteHandler(
        framework=name,
        method=method,
        path=path,
        params=route_params(path),
        handler=ref,
        wrappers=wrappers or [],
        middlewares=middlewares,
        safe_methods_only=method in SAFE_METHODS,
        receiver=receiver,
        **where,
    )


def _locate_receiver(
    target: SgNode, known: dict[str, _Receiver], others: set[str], guess_allowed: bool
) -> tuple[str, _Receiver, str | None] | None:
    """(receiver name, receiver, path set by `.route("/x")`) for the object a method is called on.

    Follows chains: `app.get(...).post(...)` (Hono), `router.route("/x").get(h).post(h)`.
    """
    node = _unwrap(target)
    if node is None:
        return None
    if node.kind() == "call_expression":
        function = node.field("function")
        if function is None or function.kind() != "member_expression":
            construction = _construction(node, known)
            return ("<anonymous>", construction, None) if construction is not None else None
        prop = function.field("property")
        inner = _locate_receiver(function.field("object") or function, known, others, guess_allowed)
        if inner is None:
            construction = _construction(node, known)
            return ("<anonymous>", construction, None) if construction is not None else None
        name, receiver, route_path = inner
        prop_text = prop.text() if prop is not None else ""
        arguments = call_arguments(node)
        if prop_text == "route" and len(arguments) == 1:
            value = string_value(_unwrap(arguments[0]))
            return (name, receiver, _join(receiver.base, value) if value is not None else None)
        if prop_text == "basePath" and arguments:
            value = string_value(_unwrap(arguments[0])) or ""
            return (
                name,
                _Receiver(receiver.framework, _join(receiver.base, value), True),
                route_path,
            )
        if prop_text in _REGISTRATION_METHODS or prop_text in ("use", "on"):
            return name, receiver, route_path
        return None
    if node.kind() == "new_expression":
        construction = _construction(node, known)
        return ("<anonymous>", construction, None) if construction is not None else None
    dotted = dotted_name(node)
    if dotted is None:
        return None
    name = dotted
    if name in known:
        return name, known[name], None
    if not guess_allowed or name in others:
        return None
    last = name.rsplit(".", 1)[-1]
    if name.count(".") > 1 or (name.count(".") == 1 and not name.startswith("this.")):
        return None
    if _RECEIVER_NAME.search(last):
        framework = "fastify" if last == "fastify" else "express"
        return name, _Receiver(framework, "", False), None
    return None


def _hook_names(options: SgNode) -> list[str]:
    names: list[str] = []
    for key, value in object_properties(options):
        if key in _AUTH_HOOKS:
            names.extend(_names(value))
    return names


def _mount(
    receiver_name: str,
    receiver: _Receiver,
    method_name: str,
    arguments: list[SgNode],
    where: dict[str, int],
) -> Mount | None:
    if not arguments:
        return None
    if method_name == "addHook":
        hook = string_value(arguments[0])
        if hook not in _AUTH_HOOKS or len(arguments) < 2:
            return None
        return Mount(receiver=receiver_name, path=None, middlewares=_names(arguments[1]), **where)
    path = string_value(_unwrap(arguments[0]))
    rest = arguments[1:] if path is not None else arguments
    names = [name for argument in rest for name in _names(argument)]
    full = _join(receiver.base, path) if path is not None else (receiver.base or None)
    return Mount(receiver=receiver_name, path=full, middlewares=names, **where)


def _terminal_use(arguments: list[SgNode]) -> tuple[str, SgNode] | None:
    """`app.use("/x", (req, res) => ...)`: an inline function that cannot call `next`."""
    if len(arguments) != 2:
        return None
    path = string_value(_unwrap(arguments[0]))
    handler = _unwrap(arguments[1])
    if path is None or handler is None or handler.kind() not in _FUNCTION_KINDS:
        return None
    parameters = handler.field("parameters")
    single = handler.field("parameter")
    if parameters is not None:
        names = [p.text() for p in parameters.children() if p.is_named()]
    else:
        names = [single.text()] if single is not None else []
    if len(names) >= 3 or any(re.match(r"next\b", n) for n in names):
        return None
    return path, handler


def _fastify_route(
    options: SgNode, scope: _Scope, receiver_name: str, receiver: _Receiver, where: dict[str, int]
) -> Iterator[RouteHandler]:
    """`fastify.route({ method, url, preHandler, handler })`."""
    properties = dict(object_properties(options))
    method_node = _unwrap(properties.get("method"))
    url = string_value(_unwrap(properties.get("url") or properties.get("path")))
    handler_node = properties.get("handler")
    if method_node is None or handler_node is None:
        return
    if method_node.kind() == "array":
        values = [string_value(c) for c in method_node.children() if c.is_named()]
    else:
        values = [string_value(method_node)]
    wrappers, ref, _ = _resolve(handler_node, scope)
    middlewares = _hook_names(options)
    full = _join(receiver.base, url) if url is not None else None
    for value in values:
        if value is None:
            continue
        method = value.upper()
        yield _registration(
            "fastify",
            "ANY" if method == "ALL" else method,
            full,
            ref,
            middlewares,
            where,
            receiver_name,
            wrappers,
        )


# ---------------------------------------------------------------------------------------------
# middleware.ts / proxy.ts


_MIDDLEWARE_STEMS = frozenset({"middleware", "proxy"})
_REJECT_STATUS = re.compile(r"^(401|403)$")
_REJECT_NAMES = re.compile(r"UNAUTHORI[SZ]ED|FORBIDDEN", re.IGNORECASE)


def _middleware_project(rel: str) -> str | None:
    """The project dir of a Next middleware file, or None when the file cannot be one."""
    parts = rel.split("/")
    stem = _stem(parts[-1])
    if stem not in _MIDDLEWARE_STEMS:
        return None
    folders = parts[:-1]
    if any(
        f
        in (
            "app",
            "pages",
            "node_modules",
            "lib",
            "utils",
            "middleware",
            "middlewares",
            "server",
            "api",
            "routes",
        )
        for f in folders
    ):
        return None
    if folders and folders[-1] == "src":
        folders = folders[:-1]
    return "/".join(folders)


def _middleware(root: SgNode, scope: _Scope, rel: str) -> MiddlewareFacts | None:
    project = _middleware_project(rel)
    if project is None:
        return None
    exports, _ = _exports(root)
    chosen: _Export | None = None
    exported_as: Literal["middleware", "proxy", "default"] = "default"
    for wanted in ("middleware", "proxy", "default"):
        chosen = next((e for e in exports if e.name == wanted), None)
        if chosen is not None:
            exported_as = (
                "middleware"
                if wanted == "middleware"
                else ("proxy" if wanted == "proxy" else "default")
            )
            break
    if chosen is None:
        return None
    config = next((e for e in exports if e.name == "config"), None)
    nextish = (
        config is not None
        or exported_as != "default"
        or any(
            module.startswith(("next", "@clerk", "@auth", "@supabase", "@kinde"))
            for module, _ in scope.imports.values()
        )
    )
    if not nextish:
        return None
    wrappers, ref, function = chosen.resolve(scope)
    matchers, conditional, dynamic = _matchers(config.value if config is not None else None, scope)
    body = function if function is not None else None
    calls: list[str] = []
    rejects = False
    redirects = False
    if body is not None:
        for call in body.find_all(kind="call_expression"):
            name = callee_name(call)
            if name is not None and name not in calls:
                calls.append(name)
        rejects, redirects = _rejection(body)
    return MiddlewareFacts(
        matchers=matchers,
        conditional_matchers=conditional,
        matcher_dynamic=dynamic,
        rejects=rejects,
        redirects=redirects,
        calls=calls,
        exported_as=exported_as,
        wrapped_by=wrappers,
        handler=ref,
        project_root=project,
        **chosen.where,
    )


def _matchers(value: SgNode | None, scope: _Scope) -> tuple[list[str] | None, list[str], bool]:
    """(matcher sources or None, the ones with has/missing conditions, not a literal)."""
    config = _unwrap(value)
    if config is None:
        return None, [], False
    if config.kind() == "identifier" and config.text() in scope.values:
        config = _unwrap(scope.values[config.text()])
    if config is None or config.kind() != "object":
        return [], [], True
    matcher = dict(object_properties(config)).get("matcher")
    if matcher is None:
        return None, [], False
    node = _unwrap(matcher)
    if node is not None and node.kind() == "identifier" and node.text() in scope.values:
        node = _unwrap(scope.values[node.text()])
    if node is None:
        return [], [], True
    entries = [c for c in node.children() if c.is_named()] if node.kind() == "array" else [node]
    sources: list[str] = []
    conditional: list[str] = []
    dynamic = False
    for entry in entries:
        entry = _unwrap(entry) or entry
        if entry.kind() == "comment":
            continue
        text = string_value(entry)
        if text is not None:
            sources.append(text)
            continue
        if entry.kind() == "object":
            properties = dict(object_properties(entry))
            source = string_value(_unwrap(properties.get("source")))
            if source is None:
                dynamic = True
                continue
            sources.append(source)
            if "has" in properties or "missing" in properties:
                conditional.append(source)
            continue
        dynamic = True
    return sources, conditional, dynamic


def _rejection(body: SgNode) -> tuple[bool, bool]:
    """(answers 401/403 somewhere, redirects somewhere) in a middleware body."""
    rejects = False
    for pair in body.find_all(kind="pair"):
        key = pair.field("key")
        value = pair.field("value")
        if key is None or value is None or key.text().strip("'\"") != "status":
            continue
        if _REJECT_STATUS.match(value.text()) or _REJECT_NAMES.search(value.text()):
            rejects = True
    redirects = False
    for call in body.find_all(kind="call_expression"):
        name = callee_name(call) or ""
        last = name.rsplit(".", 1)[-1]
        arguments = call_arguments(call)
        if last == "status" and arguments and _REJECT_STATUS.match(arguments[0].text()):
            rejects = True
        if last in ("redirect", "rewrite"):
            target = arguments[0].text() if arguments else ""
            if re.search(r"['\"`]/?(401|403|unauthori[sz]ed|forbidden)\b", target, re.I):
                rejects = True
            elif last == "redirect":
                redirects = True
    for new in body.find_all(kind="new_expression"):
        constructor = dotted_name(new.field("constructor")) or ""
        arguments = call_arguments(new)
        if (
            constructor in ("Response", "NextResponse")
            and len(arguments) >= 2
            and _REJECT_STATUS.match(arguments[1].text())
        ):
            rejects = True
    return rejects, redirects
