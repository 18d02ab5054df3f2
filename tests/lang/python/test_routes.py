"""The Python route layer: per-file route facts and the cross-module RouteIndex."""

from __future__ import annotations

from pathlib import Path

from pytest_lessons.lang.python.imports import ImportIndex, module_surface
from pytest_lessons.lang.python.route_index import ResolvedRoute, RouteIndex
from pytest_lessons.lang.python.routes import (
    Dependency,
    RouteFacts,
    join_paths,
    path_params,
    route_facts,
)
from pytest_lessons.source import SourceFile
from tests.lang.python.route_readers import both_readers  # noqa: F401 (autouse: both readers)

FIXTURES = Path(__file__).parent / "fixtures" / "routes"


def facts(code: str, rel: str = "app.py") -> RouteFacts:
    return route_facts(SourceFile.from_text(rel, code))


def calls(route: ResolvedRoute) -> list[tuple[str, str]]:
    return [(d.dependency.call, d.dependency.where) for d in route.dependencies]


def test_fastapi_method_decorators_and_api_route() -> None:
    found = facts(
        """
from fastapi import APIRouter, FastAPI
app = FastAPI()
router = APIRouter(prefix="/orders")

@app.post("/items")
async def create(): ...

@router.put("/{order_id}")
def put(order_id: int): ...

@router.patch("/{order_id}")
def patch(order_id: int): ...

@router.delete("/{order_id}")
def delete(order_id: int): ...

@router.api_route("/x", methods=["POST", "put"])
def both(): ...

@router.api_route("/y")
def default_get(): ...

@cache.get
def not_a_route(): ...
"""
    )
    routes = [(r.framework, r.methods, r.path, r.function, r.router) for r in found.routes]
    assert routes == [
        ("fastapi", ["POST"], "/items", "create", "app"),
        ("fastapi", ["PUT"], "/orders/{order_id}", "put", "router"),
        ("fastapi", ["PATCH"], "/orders/{order_id}", "patch", "router"),
        ("fastapi", ["DELETE"], "/orders/{order_id}", "delete", "router"),
        ("fastapi", ["POST", "PUT"], "/orders/x", "both", "router"),
        ("fastapi", ["GET"], "/orders/y", "default_get", "router"),
    ]
    first = found.routes[0]
    assert (first.line, first.column, first.is_async) == (7, 1, True)  # the `def`, not `@`
    assert found.routes[1].params == ["order_id"]
    assert [(d.name, d.kind, d.prefix) for d in found.routers] == [
        ("app", "fastapi-app", None),
        ("router", "apirouter", "/orders"),
    ]


def test_dependencies_from_signature_annotated_security_and_decorator() -> None:
    found = facts(
        """
from typing import Annotated
from fastapi import APIRouter, Depends, Header, Security
import auth
router = APIRouter(dependencies=[Depends(auth.require_admin)])
CurrentUser = Annotated[User, Depends(get_user)]

@router.post("/a", dependencies=[Depends(rate_limit), Security(scoped, scopes=["x"])])
def a(
    one: User = Depends(get_user),
    two: Annotated[User, Depends(auth.get_admin)] = None,
    three: CurrentUser = None,
    four: str = Security(oauth, scopes=["w"]),
    svc: Service = Depends(),
    key: str = Header(...),
): ...
"""
    )
    route = found.routes[0]
    assert [(d.call, d.kind, d.where, d.param) for d in route.dependencies] == [
        ("get_user", "depends", "param", "one"),
        ("auth.get_admin", "depends", "annotated", "two"),
        ("get_user", "depends", "annotated", "three"),
        ("oauth", "security", "param", "four"),
        ("Service", "depends", "param", "svc"),
        ("rate_limit", "depends", "decorator", None),
        ("scoped", "security", "decorator", None),
    ]
    assert route.dependencies[2].via == "CurrentUser"
    assert route.parameters[-1].default == "Header(...)"
    assert found.routers[0].dependencies == [
        Dependency(
            call="auth.require_admin",
            kind="depends",
            where="router",
            text="Depends(auth.require_admin)",
        )
    ]
    assert list(found.dependency_aliases) == ["CurrentUser"]


def test_cbv_class_dependencies_are_inherited() -> None:
    found = facts(
        """
from fastapi import APIRouter, Depends
from fastapi_utils.cbv import cbv
router = APIRouter()

class Base:
    user: User = Depends(get_current_user)

@cbv(router)
class Items(Base):
    session: Session = Depends(get_db)

    @router.post("/items")
    def create(self, item: Item): ...
"""
    )
    route = found.routes[0]
    assert route.class_name == "Items"
    assert [(d.call, d.where) for d in route.dependencies] == [
        ("get_current_user", "class"),
        ("get_db", "class"),
    ]
    assert [p.name for p in route.parameters] == ["item"]


def test_includes_and_middlewares() -> None:
    found = facts(
        """
from fastapi import FastAPI, Depends
from .routes import orders
app = FastAPI()
app.include_router(orders.router, prefix="/v1", dependencies=[Depends(verify)])
app.add_middleware(AuthenticationMiddleware, backend=JWTBackend())

@app.middleware("http")
async def guard(request, call_next):
    if request.url.path.startswith("/internal"):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN)
    return await call_next(request)

@app.middleware("http")
async def timing(request, call_next):
    return await call_next(request)
"""
    )
    assert [
        (i.app, i.router, i.prefix, [d.call for d in i.dependencies]) for i in found.includes
    ] == [("app", "orders.router", "/v1", ["verify"])]
    assert [(m.cls, m.args, m.function, m.rejects, m.path_prefixes) for m in found.middlewares] == [
        ("AuthenticationMiddleware", ["backend=JWTBackend()"], None, False, []),
        ("http", [], "guard", True, ["/internal"]),
        ("http", [], "timing", False, []),
    ]


def test_starlette_route_lists_and_mounts() -> None:
    found = facts(
        """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.endpoints import HTTPEndpoint

async def create(request): ...

class Orders(HTTPEndpoint):
    async def get(self, request): ...
    async def delete(self, request): ...

api = [Route("/orders", create, methods=["POST"]), Route("/orders/{order_id:int}", Orders)]
app = Starlette(
    routes=[
        Route("/", homepage),
        Mount("/api", routes=api),
        Mount("/v2", routes=[Route("/x", create, methods=["PUT"])]),
    ],
    middleware=[Middleware(AuthenticationMiddleware, backend=B())],
)
"""
    )
    routes = [
        (r.framework, r.methods, r.path, r.function, r.router, r.params) for r in found.routes
    ]
    assert routes == [
        ("starlette", ["POST"], "/orders", "create", "api", []),
        ("starlette", ["GET"], "/orders/{order_id:int}", "Orders.get", "api", ["order_id"]),
        ("starlette", ["DELETE"], "/orders/{order_id:int}", "Orders.delete", "api", ["order_id"]),
        ("starlette", ["GET"], "/", "homepage", "app", []),
        ("starlette", ["PUT"], "/v2/x", "create", "app", []),
    ]
    assert found.routes[3].endpoint_defined is False
    assert [(i.app, i.router, i.prefix, i.kind) for i in found.includes] == [
        ("app", "api", "/api", "mount")
    ]
    assert [(m.app, m.cls, m.kind) for m in found.middlewares] == [
        ("app", "AuthenticationMiddleware", "middleware_list")
    ]


def test_flask_routes_blueprints_hooks_and_method_views() -> None:
    found = facts(
        """
from flask import Flask, Blueprint, abort
from flask_login import login_required
app = Flask(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")

@app.route("/x", methods=["POST"])
@login_required
def x(): ...

@app.route("/y")
def y(): ...

@bp.post("/users/<int:user_id>")
def user(user_id): ...

@bp.before_request
def check():
    if not current_user.is_admin:
        abort(403)

@app.before_request
def log():
    print("hi")

class Items(MethodView):
    def post(self): ...

app.add_url_rule("/items", view_func=Items.as_view("items"))
app.register_blueprint(bp, url_prefix="/v1/admin")
"""
    )
    routes = [(r.methods, r.path, r.function, r.decorators, r.params) for r in found.routes]
    assert routes == [
        (["POST"], "/x", "x", ["login_required"], []),
        (["GET"], "/y", "y", [], []),
        (["POST"], "/admin/users/<int:user_id>", "user", [], ["user_id"]),
        (["POST"], "/items", "Items.post", [], []),
    ]
    assert all(r.framework == "flask" for r in found.routes)
    assert [(h.app, h.function, h.aborts) for h in found.before_requests] == [
        ("bp", "check", True),
        ("app", "log", False),
    ]
    assert [(i.router, i.prefix, i.kind) for i in found.includes] == [
        ("bp", "/v1/admin", "register_blueprint")
    ]


def test_non_literal_paths_keep_their_text() -> None:
    found = facts(
        "from fastapi import APIRouter\nrouter = APIRouter()\nBASE = '/b'\n"
        "@router.post(BASE)\ndef a(): ...\n@router.post(f'{X}/c')\ndef b(): ...\n"
        "@router.api_route('/d', methods=METHODS)\ndef c(): ...\n"
    )
    assert [(r.path, r.path_expr, r.methods_known) for r in found.routes] == [
        ("/b", None, True),
        (None, "f'{X}/c'", True),
        ("/d", None, False),
    ]


def test_path_helpers() -> None:
    assert path_params("/o/{order_id}/{rest:path}/<int:item_id>/<name>") == [
        "order_id",
        "rest",
        "item_id",
        "name",
    ]
    assert join_paths("/api/", "/v1", "orders", "") == "/api/v1/orders"


def test_event_apis_shaped_like_routes_are_not_routes() -> None:
    found = facts(
        "from slack_bolt import App\nfrom .bolt import app\n"
        "@app.options(ActionIds.tags)\ndef tags(): ...\n"
        "@app.post('/slack/event')\ndef event(): ...\n"
    )
    assert [r.function for r in found.routes] == ["event"]


def test_dependency_readers_are_public_for_code_outside_routes() -> None:
    """`worker-route-auth` reads the dependencies of a dependency's own parameters with these."""
    import libcst as cst

    from pytest_lessons.lang.python.routes.dependencies import (
        annotated_dependencies,
        call_dependency,
    )

    default = cst.parse_expression('Security(get_user, scopes=["me"])')
    found = call_dependency(default, "param", param="user")
    assert found is not None
    assert (found.call, found.kind, found.where, found.param) == (
        "get_user",
        "security",
        "param",
        "user",
    )
    assert call_dependency(cst.parse_expression("Header()"), "param") is None
    annotation = cst.parse_expression("Annotated[User, Depends(RoleChecker(['admin']))] | None")
    assert [(d.call, d.where) for d in annotated_dependencies(annotation)] == [
        ("RoleChecker", "annotated")
    ]


def test_a_middleware_applied_by_hand_and_a_router_a_class_holds() -> None:
    found = facts(
        """
from fastapi import FastAPI, APIRouter
from .middlewares import auth_middleware

app = FastAPI()
app.middleware("http")(auth_middleware)
app.middleware("http")(local_guard)
cache.middleware("x")(1)

async def local_guard(request, call_next):
    if request.url.path.startswith("/admin"):
        raise HTTPException(status_code=403)
    return await call_next(request)

class OrdersRouter:
    def __init__(self):
        self.router = APIRouter(prefix="/orders")
        self.router.add_api_route("/", self.create, methods=["POST"])

class UsersRouter:
    def __init__(self):
        self.router = APIRouter()
        self.orders = OrdersRouter()
        self.count = 0
"""
    )
    assert found.held == {"UsersRouter.orders": "OrdersRouter"}
    assert [(m.app, m.kind, m.function, m.line) for m in found.middlewares] == [
        ("app", "decorator", "auth_middleware", 6),
        ("app", "decorator", "local_guard", 7),
    ]
    assert [r.name for r in found.routers] == ["app", "OrdersRouter.router", "UsersRouter.router"]
    [route] = found.routes
    assert (route.router, route.path) == ("OrdersRouter.router", "/orders/")


def test_registrations_on_a_function_parameter_and_calls_handing_an_app_over() -> None:
    found = facts(
        """
from fastapi import FastAPI
from .billing import router as billing_router
from .extensions import install

app = FastAPI()

def register(app: FastAPI, *, admin):
    app.include_router(billing_router, prefix="/billing")
    app.middleware("http")(audit)
    admin.add_middleware(Gate)

    @app.post("/ping")
    def ping(): ...

    def nested(app):
        app.include_router(other)

def helper(router):
    print(router)

class Plugin:
    def setup(self, app):
        app.include_router(plugin_router)

app.include_router(top_router)
register(app, admin=app)
install(app)
helper(router=app)
app.include_router(not_a_call)
"""
    )
    assert [(p.function, p.name, p.position) for p in found.app_parameters] == [
        ("register", "app", 0),
        ("register", "admin", None),
    ]
    assert [(i.app, i.router, i.scope) for i in found.includes] == [
        ("app", "billing_router", "register"),
        ("app", "other", None),  # `nested`'s own `app` shadows `register`'s
        ("app", "plugin_router", None),  # a method: not joined to callers
        ("app", "top_router", None),
        ("app", "not_a_call", None),
    ]
    assert [(m.app, m.scope) for m in found.middlewares] == [
        ("app", "register"),
        ("admin", "register"),
    ]
    [route] = found.routes
    assert (route.function, route.router, route.scope) == ("ping", "app", "register")
    assert [(c.function, c.argument, c.position, c.keyword) for c in found.app_calls] == [
        ("register", "app", 0, None),
        ("register", "app", None, "admin"),
        ("install", "app", 0, None),
        ("helper", "app", None, "router"),
    ]


def resolved(files: dict[str, str]) -> list[ResolvedRoute]:
    sources = [SourceFile.from_text(rel, code) for rel, code in files.items()]
    imports = ImportIndex({s.rel: module_surface(s) for s in sources}, files=list(files))
    return RouteIndex({s.rel: route_facts(s) for s in sources}, imports).resolved_routes()


def test_an_app_handed_to_a_function_in_another_module_gets_its_includes() -> None:
    """`ee.extend(app)` (module imported as `import pkg.ee.main as ee` after `ee = None`) and
    `init_app(app=app)`: the parameter's includes, routes and hooks are the passed app's; a
    function nobody is seen calling keeps the old reading of the name."""
    routes = resolved(
        {
            "svc/__init__.py": "",
            "svc/ee/__init__.py": "",
            "svc/ee/billing.py": (
                "from fastapi import APIRouter\n"
                "router = APIRouter()\n"
                "@router.post('/charge')\n"
                "def charge(): ...\n"
            ),
            "svc/ee/main.py": (
                "from fastapi import FastAPI\n"
                "from svc.ee import billing\n"
                "def extend(app: FastAPI):\n"
                "    app.include_router(billing.router, prefix='/billing')\n"
                "    return app\n"
            ),
            "svc/main.py": (
                "from fastapi import FastAPI\n"
                "from svc.auth import guard\n"
                "ee = None\n"
                "if enabled():\n"
                "    import svc.ee.main as ee\n"
                "app = FastAPI()\n"
                "app.middleware('http')(guard)\n"
                "app = ee.extend(app)\n"
            ),
            "web/__init__.py": "",
            "web/views.py": (
                "from flask import Blueprint\n"
                "bp = Blueprint('views', __name__)\n"
                "@bp.route('/save', methods=['POST'])\n"
                "def save(): ...\n"
            ),
            "web/setup.py": (
                "from web.views import bp\n"
                "def init_app(app):\n"
                "    app.register_blueprint(bp, url_prefix='/v')\n"
                "    @app.before_request\n"
                "    def check(): abort(401)\n"
            ),
            "web/app.py": (
                "from flask import Flask\n"
                "from web.setup import init_app\n"
                "app = Flask(__name__)\n"
                "init_app(app=app)\n"
            ),
        }
    )
    by_function = {r.route.function: r for r in routes}
    charge = by_function["charge"]
    assert (charge.path, charge.app) == ("/billing/charge", "svc/main.py::app")
    assert [m.middleware.function for m in charge.middlewares if m.middleware] == ["guard"]
    save = by_function["save"]
    assert (save.path, save.app) == ("/v/save", "web/app.py::app")
    assert [h.before_request.function for h in save.before_requests if h.before_request] == [
        "check"
    ]
    lone = (
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "def attach(app):\n"
        "    app.register_blueprint(orders)\n"
    )
    index = RouteIndex({"plugin.py": facts(lone, "plugin.py")}, ImportIndex({}))
    [(parent, _rel, _include)] = index.parents[("plugin.py", "orders")]
    assert parent == ("plugin.py", "app")  # no caller seen: the name as before
