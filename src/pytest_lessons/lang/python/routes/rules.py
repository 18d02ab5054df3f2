"""What the routes layer's two readers decide from names and strings alone.

The layer reads a module with stdlib `ast` (`reader_ast`) or, where `ast` rejects it, with
libcst (`declarations`, `registrations`); the two must give the same facts, so everything that
does not depend on the syntax tree (which receivers are routers, a route's framework and full
path, development-only conditions, a function's app parameters) is decided here once for both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from pytest_lessons.lang.python.routes.facts import (
    AppCall,
    AppParameter,
    BeforeRequest,
    Dependency,
    Framework,
    Include,
    Middleware,
    Route,
    RouteFacts,
    RouterDecl,
    RouterKind,
    join_paths,
)

ROUTER_CONSTRUCTORS: dict[str, RouterKind] = {
    "FastAPI": "fastapi-app",
    "APIRouter": "apirouter",
    "Flask": "flask-app",
    "APIFlask": "flask-app",
    "Blueprint": "blueprint",
    "APIBlueprint": "blueprint",
    "Starlette": "starlette-app",
}
BLUEPRINT_PARAMETERS = (
    "name",
    "import_name",
    "static_folder",
    "static_url_path",
    "template_folder",
    "url_prefix",
)
ROUTER_FRAMEWORK: dict[str, Framework] = {
    "fastapi-app": "fastapi",
    "apirouter": "fastapi",
    "flask-app": "flask",
    "blueprint": "flask",
    "starlette-app": "starlette",
    "starlette-router": "starlette",
}
REGISTERING = frozenset(
    {
        "include_router",
        "register_blueprint",
        "mount",
        "add_middleware",
        "before_request",
        "before_app_request",
        "add_api_route",
        "add_route",
        "add_url_rule",
    }
)
"""Methods whose arguments are routers and endpoints, never an app handed to a function."""
RECEIVER_NAME = re.compile(
    r"^(app|application|api|router|routes|bp|blueprint|views?|server|\w+_(router|bp|blueprint|api|app)"
    r"|(router|bp|api|app)_\w+)$",
    re.IGNORECASE,
)
APP_CONSTRUCTORS = ("Starlette", "FastAPI", "Router")
"""Calls whose `routes=[...]` and `middleware=[...]` arguments register on the app they build."""

_DEV_VALUES = frozenset({"local", "dev", "development", "devel", "debug", "test", "testing"})
_ENV_NAME = re.compile(r"env|stage|mode|profile|deploy", re.IGNORECASE)
_DEV_FLAG = re.compile(
    r"^(?:debug|is_?dev(?:elopment)?|is_?local|dev(?:elopment)?_?mode|local_?mode)$", re.IGNORECASE
)


def self_attribute(name: str | None, classes: Sequence[str]) -> str | None:
    """`self.router` inside class `OrdersRouter` is `OrdersRouter.router`: a router a class
    holds (`self.router = APIRouter()` in `__init__`, routes added with
    `self.router.add_api_route(...)`), told apart from other classes' in the same module and
    found from an instance (`orders = OrdersRouter(); app.include_router(orders.router)`)."""
    if name is None or not classes or not name.startswith("self."):
        return name
    return f"{classes[-1]}.{name[len('self.') :]}"


def request_methods(values: list[str] | None) -> tuple[list[str], bool]:
    """The methods of a `methods=` argument given as the strings of a literal list (None when
    it is not one: then unknown)."""
    if values is None:
        return [], False
    return [value.upper() for value in values], True


def dev_flag(name: str | None) -> bool:
    """`settings.DEBUG`, `is_local`: a flag that is set only outside production."""
    return name is not None and bool(_DEV_FLAG.match(name.rsplit(".", 1)[-1]))


def dev_comparison(name: str | None, literals: Sequence[str | None]) -> bool:
    """`ENVIRONMENT == "local"`, `ENV in ("dev", "test")`: `name` compared with `literals`."""
    if name is None or not _ENV_NAME.search(name.rsplit(".", 1)[-1]):
        return False
    return bool(literals) and all(
        literal is not None and literal.lower() in _DEV_VALUES for literal in literals
    )


def app_parameter(
    name: str | None,
    outer: tuple[str, Mapping[str, int | None]] | None,
    inner: Sequence[Mapping[str, int | None]],
) -> AppParameter | None:
    """`name`'s head as a parameter of the enclosing module-level function `outer` (its name
    and parameter positions); a function nested inside (`inner`) that names its own parameter
    alike shadows it."""
    if name is None or outer is None:
        return None
    head = name.split(".", 1)[0]
    if any(head in positions for positions in inner):
        return None
    function, positions = outer
    if head not in positions:
        return None
    return AppParameter(function=function, name=head, position=positions[head])


class Receivers:
    """What a module's declared routers, imports and framework say about receivers and paths."""

    def __init__(
        self,
        routers: Mapping[str, RouterDecl],
        imported: set[str],
        default_framework: Framework | None,
    ) -> None:
        self.routers = routers
        self.imported = imported
        self.default_framework = default_framework

    def is_receiver(self, receiver: str) -> bool:
        head = receiver.split(".", 1)[0]
        if receiver in self.routers or head in self.imported:
            return True
        return bool(RECEIVER_NAME.match(receiver.rsplit(".", 1)[-1]))

    def plausible(self, receiver: str, path: str | None) -> bool:
        """In a file importing no web framework, an undeclared receiver needs a `/path` literal
        (`path`, the decorator's literal path if any).

        Slack Bolt's `@app.options(ActionIds.x)` and similar event APIs look like routes by name.
        """
        if self.default_framework is not None or receiver in self.routers:
            return True
        return path is not None and path.startswith("/")

    def handed_over(self, argument: str) -> bool:
        """An argument that names an app or router (`extend_main(app)`)."""
        return argument in self.routers or bool(RECEIVER_NAME.match(argument))

    def framework(self, receiver: str | None, path: str | None) -> Framework:
        if receiver is not None and receiver in self.routers:
            return ROUTER_FRAMEWORK[self.routers[receiver].kind]
        if self.default_framework is not None:
            return self.default_framework
        if path is not None and "<" in path:
            return "flask"
        return "fastapi"

    def full_path(self, receiver: str | None, path: str | None) -> str | None:
        if path is None:
            return None
        router = self.routers.get(receiver or "")
        if router is None or router.prefix is None:
            return path if router is None or router.prefix_expr is None else None
        return join_paths(router.prefix, path)


class Declared(Protocol):
    """What a declarations pass (either reader's) has found."""

    routers: dict[str, RouterDecl]
    aliases: dict[str, list[Dependency]]
    held: dict[str, str]


class Registered(Protocol):
    """What a registrations pass (either reader's) has found."""

    routes: list[Route]
    includes: list[Include]
    middlewares: list[Middleware]
    before_requests: list[BeforeRequest]
    app_parameters: dict[tuple[str, str], AppParameter]
    app_calls: list[AppCall]


def collected_facts(declared: Declared, registered: Registered) -> RouteFacts:
    """The module's facts from its two passes."""
    return RouteFacts(
        routes=registered.routes,
        routers=list(declared.routers.values()),
        includes=registered.includes,
        middlewares=registered.middlewares,
        before_requests=registered.before_requests,
        dependency_aliases=declared.aliases,
        held=declared.held,
        app_parameters=list(registered.app_parameters.values()),
        app_calls=registered.app_calls,
    )
