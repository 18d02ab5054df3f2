"""The Python route index: routes joined along include chains across modules into full paths."""

from __future__ import annotations

from pytest_lessons.lang.python.imports import ImportIndex, module_surface
from pytest_lessons.lang.python.route_index import ResolvedRoute, RouteIndex
from pytest_lessons.lang.python.routes import (
    route_facts,
)
from pytest_lessons.source import FileKind, SourceFile
from tests.lang.python.route_readers import both_readers  # noqa: F401 (autouse: both readers)
from tests.lang.python.test_routes import FIXTURES, calls


def resolved_tree(name: str) -> dict[tuple[str, str], ResolvedRoute]:
    root = FIXTURES / name
    sources = [
        SourceFile(path, path.relative_to(root).as_posix(), FileKind.PYTHON, path.read_bytes())
        for path in sorted(root.rglob("*.py"))
    ]
    files = [path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()]
    imports = ImportIndex({s.rel: module_surface(s) for s in sources}, files=files)
    index = RouteIndex({s.rel: route_facts(s) for s in sources}, imports)
    return {
        (method, route.display_path): route
        for route in index.resolved_routes()
        for method in route.route.methods
    }


def test_index_joins_include_chains_across_modules_src_layout() -> None:
    routes = resolved_tree("shop")
    assert set(routes) == {
        ("POST", "/v1/orders/{order_id}"),
        ("POST", "/v1/orders/bulk"),
        ("PUT", "/v1/orders/bulk"),
        ("GET", "/v1/orders/"),
        ("DELETE", "/api/sub/items/{item_id}"),
        ("POST", "/ping"),
    }
    update = routes[("POST", "/v1/orders/{order_id}")]
    assert update.complete and update.path == "/v1/orders/{order_id}"
    assert update.params == ["order_id"]
    assert update.app == "src/shop/main.py::app"
    assert calls(update) == [
        ("verify_key", "app"),
        ("auth.require_admin", "include"),
        ("get_current_user", "router"),
        ("get_current_user", "annotated"),  # CurrentUser, imported from deps.py
    ]
    assert update.dependencies[-1].rel == "src/shop/deps.py"
    assert update.dependencies[-1].target == ("src/shop/deps.py", "get_current_user")
    assert update.dependencies[1].target == ("src/shop/auth.py", "require_admin")
    assert [m.middleware.cls for m in update.middlewares if m.middleware] == [
        "AuthenticationMiddleware",
        "http",
    ]
    bulk = routes[("PUT", "/v1/orders/bulk")]
    assert ("get_current_user", "param") in calls(bulk)
    assert bulk.dependencies[-1].dependency.kind == "security"
    nested = routes[("DELETE", "/api/sub/items/{item_id}")]
    assert nested.from_constants  # the /api prefix is a settings default
    assert nested.chain == [
        "src/shop/api/router.py::sub",
        "src/shop/api/router.py::api_router",
        "src/shop/main.py::app",
    ]


def test_index_flask_factory_register_blueprint_replaces_url_prefix() -> None:
    routes = resolved_tree("flaskapp")
    assert set(routes) == {
        ("POST", "/admin/users/<int:user_id>"),
        ("POST", "/admin/reports"),
        ("GET", "/admin/status"),
        ("GET", "/admin/items/<item_id>"),
        ("PUT", "/admin/items/<item_id>"),
    }
    report = routes[("POST", "/admin/reports")]
    assert report.complete
    assert [
        (h.before_request.function, h.before_request.aborts)
        for h in report.before_requests
        if h.before_request
    ] == [("check_admin", True)]
    assert routes[("PUT", "/admin/items/<item_id>")].route.decorators == ["login_required"]


def test_an_unincluded_router_is_incomplete() -> None:
    source = SourceFile.from_text(
        "r.py",
        "from fastapi import APIRouter\nrouter = APIRouter()\n@router.post('/x')\ndef x(): ...\n",
    )
    imports = ImportIndex({"r.py": module_surface(source)})
    [route] = RouteIndex({"r.py": route_facts(source)}, imports).resolved_routes()
    assert route.complete is False and route.path is None and route.display_path == "/x"
