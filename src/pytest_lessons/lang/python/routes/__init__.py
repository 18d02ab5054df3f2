"""HTTP entry points of Python web apps: FastAPI, Starlette, Flask and Django routes, routers.

`worker-route-auth` (what guards a mutating handler), `url-id-lookup` (which path parameters a
handler receives) and `telemetry-isolation` (which functions are request handlers) must agree on
what a route is, so it is extracted here once per file (`file.derived("py-routes-v1", ...)`) and
joined across files at judge time by `route_index.RouteIndex`. The records are in `facts`;
extraction is two passes, declarations (routers and aliases) then registrations (routes,
includes, middlewares, hooks), over the run's shared stdlib `ast` tree (`declarations_ast`,
`registrations_ast`, `dependencies_ast`), or with libcst and positions (`declarations`,
`registrations`, `dependencies`) for a module `ast` rejects (syntax newer than the running
interpreter's). Both readers give the same facts (the differential tests hold them to it); what
they decide from names and strings alone is in `rules`.

Per file (`route_facts`):

- Routes: decorators `@<receiver>.get/post/put/patch/delete/head/options/trace("/p")`,
  `.api_route("/p", methods=[...])` (FastAPI) and `.route("/p", methods=[...])` (Flask; both
  default to GET), calls `.add_api_route/.add_route/.add_url_rule(...)`, and Starlette
  `Route("/p", endpoint, methods=[...])` inside `routes=[...]` lists of `Starlette(...)`,
  `Router(...)`, `Mount(...)` or a module-level list. Class endpoints (Starlette `HTTPEndpoint`,
  Flask `MethodView` via `add_url_rule(view_func=C.as_view(...))`) give one route per HTTP method
  the class defines; a fastapi-utils `@cbv(router)` class contributes its class-level
  `Depends(...)` attributes (and those of base classes in the same file) to every route method.
- A receiver is accepted when it is a router constructed in this file (`FastAPI()`,
  `APIRouter()`, `Flask()`, `Blueprint()`, `Starlette()`, starlette `Router()`), an imported name,
  or named like one (`app`, `router`, `api`, `bp`, `*_router`, `*_bp`, `*_blueprint`, ...), and
  the decorator must be a call: `@cache.get` is not a route. In a file that imports no web
  framework, an undeclared receiver also needs a literal path starting with `/` (Slack Bolt's
  `@app.options(ActionIds.x)` is not a route).
- A router a class holds (`self.router = APIRouter()` in a method, routes added with
  `self.router.add_api_route(...)`) is named after its class (`OrdersRouter.router`);
  `held` records the objects a class keeps (`self.orders = OrdersRouter(...)`), so
  `RouteIndex` finds `app.include_router(shop.orders.router)` from a module-level instance.
- `path` is the route's path with the prefix of its router when that router is declared in this
  file; `route_path` is the decorator's own path. A path that is not a literal (`f"{BASE}/x"`, a
  settings attribute) is None with its source text in `path_expr`; a module-level string constant
  is followed.
- `dependencies` come from `Depends`/`Security` parameter defaults (`Depends()` with no argument
  depends on the annotation's class), `Annotated[T, Depends(f)]` annotations and aliases of them
  defined in this file (`CurrentUser = Annotated[User, Depends(get_user)]`), the decorator's
  `dependencies=[...]` and cbv class attributes. Aliases imported from other files are resolved by
  `RouteIndex` (`dependency_aliases` holds this file's). `decorators` lists every other decorator
  (outermost first) by dotted name: `login_required`, `requires("authenticated")` is `requires`.
- `Middleware` records `app.add_middleware(C, ...)`, `Middleware(C, ...)` in a
  `middleware=[...]` list and `@app.middleware("http")` functions, also applied by hand
  (`app.middleware("http")(auth_middleware)`, the function often imported from another
  module). `BeforeRequest` records Flask `@app.before_request`, `@bp.before_request`,
  `@bp.before_app_request` (`app_wide`) and `app.before_request(f)`.
- An app handed to a function: in `def register(app: FastAPI): app.include_router(...)` (a
  module-level function), records registered on a parameter carry `scope` (the function) and
  the parameter is listed in `app_parameters`; calls passing an app or router
  (`register(app)`, `init_app(app=app)`, `ee.extend_main(app)`) are `app_calls`. `RouteIndex`
  joins the two, so the parameter's includes and middlewares count as the passed app's.
- Django (`routes.django`): url lists, DRF router registrations, views and settings, joined
  across modules by `django_routes.DjangoIndex` into routes like the others (`RouteIndex`
  includes them).
- `rejects` / `aborts` heuristic: the function's body mentions 401 or 403 as an integer literal
  (`abort(401)`, `HTTPException(status_code=403)`, `JSONResponse(..., status_code=401)`,
  `return "no", 401`) or a name/attribute such as `HTTP_401_UNAUTHORIZED`, `HTTPStatus.FORBIDDEN`,
  `Unauthorized`, `Forbidden`. A body that only redirects to a login page does not reject.
  `path_prefixes` are the string literals a middleware tests the request path with
  (`request.url.path.startswith("/admin")`), so a lesson can tell a middleware keyed on a prefix.
"""

from __future__ import annotations

import re

from pytest_lessons.lang.python.ast_source import AstModule, ast_module
from pytest_lessons.lang.python.imports import module_surface
from pytest_lessons.lang.python.routes.declarations_ast import AstDeclarations
from pytest_lessons.lang.python.routes.django import DjangoFacts, django_facts
from pytest_lessons.lang.python.routes.facts import (
    APP_KINDS,
    HTTP_METHODS,
    MUTATING_METHODS,
    AppCall,
    AppParameter,
    BeforeRequest,
    Dependency,
    Framework,
    Include,
    Middleware,
    Param,
    Route,
    RouteFacts,
    RouterDecl,
    RouterKind,
    join_paths,
    path_params,
)
from pytest_lessons.lang.python.routes.registrations_ast import AstRegistrations
from pytest_lessons.lang.python.routes.rules import collected_facts
from pytest_lessons.source import SourceFile

__all__ = [
    "APP_KINDS",
    "FACTS_KEY",
    "HTTP_METHODS",
    "MUTATING_METHODS",
    "AppCall",
    "AppParameter",
    "BeforeRequest",
    "Dependency",
    "Framework",
    "Include",
    "Middleware",
    "Param",
    "Route",
    "RouteFacts",
    "RouterDecl",
    "RouterKind",
    "handler_positions",
    "join_paths",
    "path_params",
    "route_facts",
]

FACTS_KEY = "py-routes-v1"
DJANGO_KEY = "py-django-v1"

_DECLARES = re.compile(
    rb"@\s*[\w.]+\.(?:get|post|put|patch|delete|head|options|trace|api_route|route|websocket"
    rb"|middleware|before_request|before_app_request)\b"
    rb"|\.(?:add_api_route|add_api_websocket_route|add_route|add_url_rule|include_router"
    rb"|register_blueprint|mount|add_middleware|middleware|before_request|before_app_request)"
    rb"\s*\("
    rb"|\b(?:FastAPI|APIRouter|Flask|APIFlask|Blueprint|APIBlueprint|Starlette|Router|Route"
    rb"|Mount|Middleware|Depends|Security|cbv|HTTPEndpoint|MethodView)\b"
)
"""A file declaring a route, router, include, hook, middleware or dependency alias has one of
these; they are matched on bytes, comments and strings included, so they can only over-match."""


def route_facts(file: SourceFile) -> RouteFacts:
    """The file's routes, routers, includes and hooks, and its Django records (see
    `routes.django`), extracted once per run and shared."""
    django = file.derived(DJANGO_KEY, _django)
    facts = _route_facts(file)
    if django == _NO_DJANGO:
        return facts
    return facts.model_copy(update={"django": django})


def handler_positions(facts: RouteFacts) -> set[tuple[int, int]]:
    """(line, column) of every handler `def` the file's records know: its own routes' and its
    Django views' (whose paths come from a `urls.py` elsewhere)."""
    found = {(r.line, r.column) for r in facts.routes if r.endpoint_defined}
    for view in facts.django.views:
        if view.kind == "function":
            found.add((view.line, view.column))
        found.update((action.line, action.column) for action in view.actions)
    return found


_NO_DJANGO = DjangoFacts()


def _django(file: SourceFile) -> DjangoFacts:
    return django_facts(file.data, file.text, lambda: ast_module(file).tree)


def _route_facts(file: SourceFile) -> RouteFacts:
    """The file's routes, routers, includes and hooks, extracted once per run and shared.

    Most files of a web app declare none of these (models, schemas, services), and a libcst
    parse with positions costs tens of milliseconds a file, so a file whose text has none of the
    tokens every such declaration needs (`_DECLARES`) gets empty facts without a parse. The
    test is part of the shared layer: four lessons ask for every file's routes, and the pattern
    costs as much as a walk of the tree when it finds nothing.
    """
    return file.derived(FACTS_KEY, _declared_facts)


def _declared_facts(file: SourceFile) -> RouteFacts:
    if not _DECLARES.search(file.data):
        return RouteFacts()
    return _extract(file)


def _imports(file: SourceFile) -> tuple[set[str], set[str]]:
    """(local names bound by imports anywhere, top-level module names imported absolutely),
    from the import surface every Python lesson reads anyway rather than one more libcst walk."""
    bindings = module_surface(file).imports
    names = {binding.local for binding in bindings if binding.name != "*"}
    modules = {binding.source.split(".", 1)[0] for binding in bindings if binding.level == 0}
    return names, modules


def _framework(modules: set[str]) -> Framework | None:
    if "fastapi" in modules:
        return "fastapi"
    if "flask" in modules or "apiflask" in modules:
        return "flask"
    if "starlette" in modules:
        return "starlette"
    return None


def _extract(file: SourceFile) -> RouteFacts:
    """Read with `ast` (the shared tree of the run), or with libcst where `ast` rejects the
    module (syntax newer than the interpreter's, or broken: libcst then reports it)."""
    try:
        module = ast_module(file)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return extract_cst(file)
    return extract_ast(file, module)


def extract_ast(file: SourceFile, module: AstModule) -> RouteFacts:
    """The facts of `file` read from its `ast` tree (`declarations_ast`, `registrations_ast`)."""
    imported, modules = _imports(file)
    declarations = AstDeclarations(module.source, starlette="starlette" in modules)
    declarations.visit(module.tree.body)
    routes = AstRegistrations(module.source, declarations, imported, _framework(modules))
    for statement in module.tree.body:
        routes.visit(statement)
    return collected_facts(declarations, routes)


def extract_cst(file: SourceFile) -> RouteFacts:
    """The facts of `file` read with libcst and positions (`declarations`, `registrations`),
    imported here: libcst (a tenth of a second) only for a module `ast` cannot read."""
    from libcst.metadata import PositionProvider

    from pytest_lessons.lang.python.routes.declarations import Declarations
    from pytest_lessons.lang.python.routes.registrations import Registrations

    wrapper = file.python_metadata()
    positions = wrapper.resolve(PositionProvider)
    module = wrapper.module
    imported, modules = _imports(file)
    declarations = Declarations(positions, starlette="starlette" in modules)
    module.visit(declarations)
    routes = Registrations(positions, declarations, imported, _framework(modules))
    module.visit(routes)
    return collected_facts(declarations, routes)
