"""The records of a Python module's HTTP entry points: plain data, cached and joined later.

Routes, routers, includes, middlewares and `before_request` hooks name other code only by
name (`Depends(get_user)`, `app.include_router(orders.router)`); `route_index` resolves the
names across modules at judge time.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from pytest_lessons.lang.common.records import Record
from pytest_lessons.lang.python.routes.django import DjangoFacts

Framework = Literal["fastapi", "starlette", "flask", "django"]
RouterKind = Literal[
    "fastapi-app", "apirouter", "flask-app", "blueprint", "starlette-app", "starlette-router"
]
APP_KINDS = frozenset({"fastapi-app", "flask-app", "starlette-app"})
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_PARAM = re.compile(r"\{([A-Za-z_]\w*)(?::[^}]*)?\}|<(?:[^:<>]+:)?([A-Za-z_]\w*)>")


REJECT_NAME = re.compile(r"HTTP_40[13]|UNAUTHORI[SZ]ED|FORBIDDEN|NOT_AUTHENTICATED", re.I)
"""Names that answer 401/403: `HTTP_401_UNAUTHORIZED`, `HTTPStatus.FORBIDDEN`, `Unauthorized`."""


class Dependency(Record):
    """A `Depends(...)`/`Security(...)`: `call` is the dotted callee (`auth.require_admin`).

    For `Depends(RoleChecker(["admin"]))` `call` is `RoleChecker` and `text` the whole
    expression. `via` names the `Annotated` alias the dependency came through, if any.
    """

    call: str
    kind: Literal["depends", "security"]
    where: Literal["param", "annotated", "decorator", "router", "include", "app", "class"]
    text: str = ""
    param: str | None = None
    via: str | None = None


class Param(Record):
    name: str
    annotation: str | None = None
    default: str | None = None
    kind: str = "normal"


class Route(Record):
    """One handler and the (methods, path) it serves, with what the file says guards it.

    Positions are the handler's `def` (1-based column; end exclusive as libcst gives it), or the
    registering call when the endpoint is not defined in this file (`endpoint_defined` False).
    `methods_known` is False when `methods=` is not a literal list (then `methods` is empty).
    """

    framework: Framework
    methods: list[str]
    methods_known: bool = True
    path: str | None
    route_path: str | None = None
    path_expr: str | None = None
    params: list[str] = Field(default_factory=list)
    function: str
    class_name: str | None = None
    endpoint_defined: bool = True
    is_async: bool = False
    line: int
    column: int
    end_line: int
    end_column: int
    router: str | None
    dependencies: list[Dependency] = Field(default_factory=list)
    decorators: list[str] = Field(default_factory=list)
    decorator_texts: list[str] = Field(default_factory=list)
    parameters: list[Param] = Field(default_factory=list)
    scope: str | None = None
    """As `Include.scope`: the function whose parameter `router` is."""


class RouterDecl(Record):
    name: str
    kind: RouterKind
    prefix: str | None = None
    prefix_expr: str | None = None
    dependencies: list[Dependency] = Field(default_factory=list)
    line: int


class Include(Record):
    """An edge from `app` (the receiver) down to `router`, with what the edge adds."""

    app: str
    router: str
    prefix: str | None = None
    prefix_expr: str | None = None
    dependencies: list[Dependency] = Field(default_factory=list)
    kind: Literal["include_router", "register_blueprint", "mount", "routes"] = "include_router"
    line: int
    dev_only: bool = False
    """Registered only under a development-only condition (`if settings.ENVIRONMENT == "local":`,
    `if settings.DEBUG:`): not served by a production deployment."""
    scope: str | None = None
    """The module-level function whose parameter `app` is (`def register(app): ...`), joined by
    `RouteIndex` to the app its callers pass."""


class Middleware(Record):
    app: str
    cls: str
    args: list[str] = Field(default_factory=list)
    line: int
    kind: Literal["add_middleware", "middleware_list", "decorator"] = "add_middleware"
    function: str | None = None
    rejects: bool = False
    path_prefixes: list[str] = Field(default_factory=list)
    scope: str | None = None


class BeforeRequest(Record):
    app: str
    function: str
    aborts: bool
    app_wide: bool = False
    line: int = 0
    scope: str | None = None


class AppParameter(Record):
    """A parameter of a module-level function that routes, includes or middlewares are
    registered on (`def register(app: FastAPI): app.include_router(...)`): the app is the
    caller's. `position` is None for a keyword-only parameter."""

    function: str
    name: str
    position: int | None


class AppCall(Record):
    """A call handing an app or router to a function (`extend_main(app)`, `init(app=app)`):
    `function` as written (`ee.extend_main`), `argument` the name passed, by `position` or
    `keyword`."""

    function: str
    argument: str
    position: int | None = None
    keyword: str | None = None
    line: int


class RouteFacts(Record):
    routes: list[Route] = Field(default_factory=list)
    routers: list[RouterDecl] = Field(default_factory=list)
    includes: list[Include] = Field(default_factory=list)
    middlewares: list[Middleware] = Field(default_factory=list)
    before_requests: list[BeforeRequest] = Field(default_factory=list)
    dependency_aliases: dict[str, list[Dependency]] = Field(default_factory=dict)
    held: dict[str, str] = Field(default_factory=dict)
    """Objects a class builds and keeps (`self.streams = StreamsRouter(...)` in class
    `SessionsRouter`: "SessionsRouter.streams" -> "StreamsRouter"), so a router held one object
    further down (`sessions.streams.router`) is found from the app's include."""
    app_parameters: list[AppParameter] = Field(default_factory=list)
    app_calls: list[AppCall] = Field(default_factory=list)
    django: DjangoFacts = Field(default_factory=DjangoFacts)
    """Django url lists, views and settings (`routes.django`), joined by `django_routes`."""


def path_params(path: str | None) -> list[str]:
    """`{order_id}`, `{path:path}` (FastAPI/Starlette) and `<int:order_id>` (Flask), in order."""
    if path is None:
        return []
    return [first or second for first, second in _PARAM.findall(path)]


def join_paths(*parts: str) -> str:
    """Join URL prefixes as the frameworks do: exactly one `/` between non-empty parts."""
    joined = ""
    for part in parts:
        if not part:
            continue
        if joined.endswith("/") and part.startswith("/"):
            joined += part[1:]
        elif joined and not joined.endswith("/") and not part.startswith("/"):
            joined += "/" + part
        else:
            joined += part
    return joined
