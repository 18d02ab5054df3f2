"""HTTP entry points of one JS/TS file: Next.js handlers and pages, Express-style registrations,
and a Next.js `middleware.ts`/`proxy.ts` with its matcher.

Three lessons ask "what can a caller reach, and how": `worker-route-auth` (which mutating handlers
exist and what guards them), `url-id-lookup` (which routes and pages carry an entity id in the URL)
and `telemetry-isolation` (which functions are request handlers). They must agree on the answer, so
it is extracted here once per file (`file.derived("js-routes-v1", ...)`) as plain data
(`routes.facts`). Each routing style has its own module: `next_paths` (file-system URLs),
`next_handlers` (App Router and Pages Router handlers, server actions, pages), `express`
(Express, Hono, Fastify, koa-router) and `middleware` (Next.js middleware); `bindings` is how all
of them read a handler expression.
"""

from __future__ import annotations

from pytest_lessons.lang.typescript.routes.bindings import Export, ModuleScope, module_exports
from pytest_lessons.lang.typescript.routes.express import express_registrations
from pytest_lessons.lang.typescript.routes.facts import (
    HTTP_METHODS,
    SAFE_METHODS,
    Framework,
    HandlerRef,
    MiddlewareFacts,
    Mount,
    PageRoute,
    RouteFileFacts,
    RouteHandler,
)
from pytest_lessons.lang.typescript.routes.middleware import middleware_facts
from pytest_lessons.lang.typescript.routes.next_handlers import (
    app_route_handlers,
    page_route,
    pages_api_handlers,
    server_actions,
)
from pytest_lessons.lang.typescript.routes.next_paths import (
    next_project_root,
    next_route_kind,
    next_route_path,
    route_params,
)
from pytest_lessons.lang.typescript.syntax import directives, root_of
from pytest_lessons.source import SourceFile

__all__ = [
    "FACTS_KEY",
    "HTTP_METHODS",
    "SAFE_METHODS",
    "Framework",
    "HandlerRef",
    "MiddlewareFacts",
    "Mount",
    "PageRoute",
    "RouteFileFacts",
    "RouteHandler",
    "next_route_path",
    "route_facts",
    "route_params",
]

FACTS_KEY = "js-routes-v1"


def route_facts(file: SourceFile) -> RouteFileFacts:
    """The file's routes, pages and middleware, extracted once per run and shared."""
    return file.derived(FACTS_KEY, _extract)


def _extract(file: SourceFile) -> RouteFileFacts:
    root = root_of(file)
    scope = ModuleScope(root)
    rel = file.rel
    kind = next_route_kind(rel)
    path = next_route_path(rel)
    handlers: list[RouteHandler] = []
    pages: list[PageRoute] = []
    stars: list[str] = []
    exports: list[Export] | None = None

    registrations, mounts = express_registrations(root, scope, file)

    if kind is not None and path is not None:
        exports, stars = module_exports(root)
        route_kind = kind[0]
        if route_kind == "app-route":
            handlers.extend(app_route_handlers(exports, scope, path, registrations))
        elif route_kind == "pages-api":
            handlers.extend(pages_api_handlers(exports, scope, path))
        elif route_kind in ("app-page", "pages-page") and route_params(path):
            page = page_route(root, exports, route_kind, path)
            if page is not None:
                pages.append(page)
    handlers.extend(registrations)

    if "use server" in directives(root):
        if exports is None:
            exports, _ = module_exports(root)
        handlers.extend(server_actions(exports, scope))

    middleware = middleware_facts(root, scope, rel)
    project_root = next_project_root(rel)
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
