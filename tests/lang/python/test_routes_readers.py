"""The routes layer's `ast` reader must give the libcst reader's facts, field for field.

worker-route-auth, url-id-lookup, telemetry-isolation and worker-failure-event join these
records across modules by name, position and text: a difference would make a finding depend on
which parser read the module. Compared on shapes where the two trees differ (texts of
multi-line expressions inside blocks, decimal vs other integer literals, one-line class bodies,
`async def`, keyword arguments before positional ones), on every string snippet the route tests
feed the layer, on every lesson example tree and demo, and on this project's own source.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from pytest_lessons.errors import AnalysisError
from pytest_lessons.lang.python.ast_source import ast_module
from pytest_lessons.lang.python.routes import _DECLARES, extract_ast, extract_cst, route_facts
from pytest_lessons.lang.python.routes.facts import RouteFacts
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_SAMPLES
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]

SNIPPETS = {
    "texts inside blocks": """
        from typing import Annotated
        from fastapi import APIRouter, Depends, FastAPI, Security
        from fastapi_utils.cbv import cbv

        router = APIRouter(prefix=PREFIX, dependencies=[Depends(
            verify_key
        )])
        CurrentUser = Annotated[User, Depends(get_user)]

        @cbv(router)
        class Orders:
            user: User = Depends(
                get_user,
            )
            session = Depends(get_session)

            @router.post(
                "/orders/{order_id}",
                dependencies=[
                    Security(scopes, scopes=["orders:write"]),
                ],
            )
            @audit(
                "orders"
            )
            async def create(
                self,
                order_id: int,
                body: Annotated[
                    Order, Depends(parse_order)
                ],
                user: CurrentUser,
                svc: Service = Depends(),
                *,
                token: str = Header(
                    None
                ),
            ):
                if request.url.path.startswith(("/a", "/b")):
                    raise HTTPException(status_code=0x191)  # not a 401 for libcst

        def setup(app: FastAPI, *, admin):
            if settings.ENVIRONMENT == "local" and app.debug:
                app.include_router(
                    router,
                    prefix=f"/v{VERSION}",
                    dependencies=[Depends(
                        admin
                    )],
                )
            app.add_middleware(CORSMiddleware, allow_origins=[
                "*",
            ], **options)
            extend(app, other=router)
            register(admin=app)
    """,
    "flask views and hooks": """
        from flask import Blueprint, Flask
        from flask.views import MethodView

        app = Flask(__name__)
        bp = Blueprint("shop", __name__, url_prefix="/shop")

        class Items(MethodView):
            decorators = [login_required, limiter.limit(
                "5/minute"
            )]
            def get(self, item_id): ...
            async def post(self): ...
        class OneLine(MethodView): get = None

        @bp.before_request
        def guard():
            if not session.get("user"):
                abort(401)

        @app.before_request
        def soft():
            return "no", 0o623  # 403 in octal: not an integer literal libcst reads

        def late(): return Unauthorized()
        app.before_request(late)
        bp.add_url_rule("/items/<int:item_id>", view_func=Items.as_view("items"))
        bp.add_url_rule("/one", view_func=OneLine.as_view("one"))
        app.register_blueprint(bp, url_prefix="/v1")

        @app.route("/ping", methods=["GET", "post"])
        def ping(): return "pong"

        @app.middleware("http")
        async def check(request, call_next):
            if request.url.path in ["/health", "/ready"] or path == "/x":
                return await call_next(request)
            return JSONResponse({}, status_code=403)

        app.middleware("http")(imported_middleware)
    """,
    "starlette lists and held routers": """
        from starlette.applications import Starlette
        from starlette.routing import Mount, Route, Router

        BASE = "/api"

        class Home(HTTPEndpoint):
            async def get(self, request): ...
            async def delete(self, request): ...

        async def homepage(request): ...

        routes = [
            Route("/", homepage),
            Route(BASE + "/home", Home, methods=["GET", "DELETE"]),
            Mount(BASE, routes=[Route("/x", endpoint=homepage)]),
            Mount("/static", app=static_files),
            Mount(settings.PREFIX, app=other),
        ]
        app = Starlette(routes=routes, middleware=[
            Middleware(SessionMiddleware, secret_key=KEY),
        ])
        inner = Router(routes=[Route("/in", homepage, methods=["POST"])])

        class Shop:
            def __init__(self):
                self.router = APIRouter()
                self.orders = OrdersRouter(self)
                self.router.add_api_route("/orders", self.list, methods=["GET"])
                self.router.add_api_route(
                    path="/orders", endpoint=self.create, methods=METHODS
                )

            def list(self): ...

        shop = Shop()
        app.mount("/shop", shop.router)
        if DEBUG:
            app.include_router(debug_router)
        elif settings.ENV in ("dev", "test"):
            app.include_router(test_router)
        else:
            app.include_router(prod_router)
    """,
}


def _snippet_texts() -> dict[str, str]:
    """The route tests' own snippets: every module-shaped string literal in them."""
    found: dict[str, str] = {}
    for test_file in (
        ROOT / "tests/lang/python/test_routes.py",
        ROOT / "tests/lang/python/test_route_index.py",
        *sorted((ROOT / "tests/lessons/worker_route_auth").glob("test_*.py")),
        *sorted((ROOT / "tests/lessons/url_id_lookup").glob("test_python*.py")),
    ):
        tree = ast.parse(test_file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = textwrap.dedent(node.value).lstrip()
            if "\n" not in text or not _DECLARES.search(text.encode()):
                continue
            try:
                ast.parse(text)
            except SyntaxError:
                continue
            found[f"{test_file.name}:{node.lineno}"] = text
    return found


TEST_SNIPPETS = _snippet_texts()


def _readers(text: str, rel: str = "app/routes.py") -> tuple[RouteFacts, RouteFacts]:
    fast_file = SourceFile.from_text(rel, text)
    fast = extract_ast(fast_file, ast_module(fast_file))
    reference = extract_cst(SourceFile.from_text(rel, text))
    return fast, reference


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_reader_gives_the_libcst_facts(name: str) -> None:
    text = textwrap.dedent(SNIPPETS[name]).lstrip()
    require_ast_syntax(text)
    fast, reference = _readers(text)
    assert reference.routes and (reference.includes or reference.middlewares)
    assert fast == reference


def test_the_snippets_exercise_texts_integers_and_one_line_classes() -> None:
    """The comparison above means something only if the reference reads these shapes."""
    blocks = _reference("texts inside blocks")
    (create,) = blocks.routes
    # continuation lines lose the indentation of the block the statement is in
    assert create.decorator_texts == ['audit(\n    "orders"\n)']
    assert [d.text for d in create.dependencies][:2] == [
        "Depends(\n    get_user,\n)",
        "Depends(get_session)",
    ]
    assert create.is_async and create.line == 27
    assert [(i.dev_only, i.scope, i.prefix_expr) for i in blocks.includes] == [
        (True, "setup", 'f"/v{VERSION}"')
    ]
    assert blocks.includes[0].dependencies[0].text == "Depends(\n        admin\n    )"
    assert blocks.middlewares[0].args == ['allow_origins=[\n    "*",\n]', "options"]
    assert [(c.function, c.argument, c.position, c.keyword) for c in blocks.app_calls] == [
        ("cbv", "router", 0, None),
        ("extend", "router", None, "other"),
    ]
    flask = _reference("flask views and hooks")
    assert [(r.function, r.methods) for r in flask.routes] == [
        ("Items.get", ["GET"]),
        ("Items.post", ["POST"]),
        ("ping", ["GET", "POST"]),
    ]
    assert [(b.function, b.aborts) for b in flask.before_requests] == [
        ("guard", True),
        ("soft", False),
        ("late", True),
    ]
    assert flask.middlewares[0].path_prefixes == ["/health", "/ready", "/x"]
    assert flask.routes[0].decorators == ["login_required", "limiter.limit"]


def _reference(name: str) -> RouteFacts:
    return extract_cst(SourceFile.from_text("app/routes.py", textwrap.dedent(SNIPPETS[name])))


@pytest.mark.parametrize("name", sorted(TEST_SNIPPETS))
def test_the_readers_agree_on_the_route_tests_snippets(name: str) -> None:
    fast, reference = _readers(TEST_SNIPPETS[name])
    assert fast == reference


def test_the_route_tests_snippets_are_found() -> None:
    assert len(TEST_SNIPPETS) >= 40


CORPUS = (
    "lessons",
    "examples",
    "tests/lang/python/fixtures",
    "src/pytest_lessons/lang/python/routes",
)
"""Every lesson example tree and demo, the route fixtures, and the routes layer's own source
(real modules that name routers, `Depends` and middlewares everywhere; the whole source agrees
too, but reading all of it with libcst takes a minute: `benchmarks/python_readers.py src`
compares it). Real repositories are compared by `benchmarks/python_readers.py` and by the
findings before and after."""


@pytest.mark.parametrize("folder", CORPUS)
def test_the_readers_agree_on_a_corpus_of_real_modules(folder: str) -> None:
    differing: list[str] = []
    compared = 0
    for path in python_files(ROOT / folder):
        data = path.read_bytes()
        if not _DECLARES.search(data):
            continue  # the layer reads nothing of such a file
        try:
            fast, reference = _readers(data.decode("utf-8"), "app/mod.py")
        except AnalysisError:
            continue  # libcst refuses it: the file's parse problem, read by neither
        compared += 1
        if fast != reference:
            differing.append(str(path.relative_to(ROOT)))
    assert compared >= 3
    assert differing == []


def test_syntax_the_interpreter_cannot_parse_is_read_with_libcst() -> None:
    text = (
        "from fastapi import APIRouter\n"
        "router = APIRouter()\n"
        "type Alias = list[int]\n"
        "@router.post('/orders')\n"
        "def create(): ...\n"
    )
    try:
        ast.parse(text)
    except SyntaxError:
        pass
    else:
        pytest.skip("this interpreter parses `type` statements: no fallback to exercise")
    found = route_facts(SourceFile.from_text("app/modern.py", text))
    assert [(r.function, r.methods, r.path, r.line) for r in found.routes] == [
        ("create", ["POST"], "/orders", 5)
    ]


@pytest.mark.parametrize("name", sorted(MODERN_SAMPLES))
def test_the_readers_agree_on_modules_in_newer_syntax(name: str) -> None:
    """`type` aliases, generics and exception lists, read by `ast` through `modern_syntax`."""
    text = textwrap.dedent(MODERN_SAMPLES[name]).lstrip()
    require_ast_syntax(text)
    fast, reference = _readers(text)
    assert reference.routes
    assert fast == reference
