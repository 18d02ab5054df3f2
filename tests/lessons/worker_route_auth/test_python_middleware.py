"""worker-route-auth (Python): an HTTP middleware function guards the routes of its app, when
registered by hand (`app.middleware("http")(fn)`, `fn` imported), through the helpers it calls
before `call_next`, and only for the paths its own path tests bring to the check."""

from __future__ import annotations

import ast
import textwrap
from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.lang.python.routes.path_rules import PathTest, covers, module_path_rules
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

ROUTES = """\
from fastapi import APIRouter

router = APIRouter()


@router.post("/projects")
def create_project(): ...


@router.post("/hooks/billing")
def billing_event(): ...


@router.delete("/healthz")
def reset_probe(): ...
"""
LINES = {"/projects": 7, "/hooks/billing": 11, "/healthz": 15}
MAIN = """\
from fastapi import FastAPI

from app.guard import guard
from app.routes import router

app = FastAPI()
app.include_router(router)
app.middleware("http")(guard)
"""
ERRORS = """\
class AppError(Exception):
    code = 500


class SignedOut(AppError):
    code = 401


class Gone(AppError):
    code = 410
"""


def flagged(guard: str, *, main: str = MAIN, **extra: str) -> set[str]:
    check = build_check("worker-route-auth")
    assert isinstance(check, WorkerRouteAuth)
    files = {
        "app/__init__.py": "",
        "app/main.py": main,
        "app/routes.py": ROUTES,
        "app/errors.py": ERRORS,
        "app/guard.py": textwrap.dedent(guard),
        **extra,
    }
    findings = judge_files(check, files, use_prefilter=False)
    by_line = {line: path for path, line in LINES.items()}
    return {by_line[f.line] for f in findings if f.path == "app/routes.py"}


CHECK_HELPER = """\
    from app.errors import {error}
    from app.sessions import lookup

    OPEN = ("/hooks/", "/healthz")


    async def guard(request, call_next):
        await _identify(request)
        return await call_next(request)


    async def _identify(request):
        if request.url.path.startswith(OPEN):
            return
        token = request.headers.get("authorization", "")
        if lookup(token) is None:
            raise {error}()
"""
SESSIONS = {"app/sessions.py": "def lookup(token):\n    return SESSIONS.get(token)\n"}


def test_a_middleware_registered_by_hand_checks_through_its_helper_but_not_its_open_paths() -> None:
    assert flagged(CHECK_HELPER.format(error="SignedOut"), **SESSIONS) == {
        "/hooks/billing",
        "/healthz",
    }


def test_a_project_exception_refuses_by_what_its_class_says() -> None:
    """`Gone` answers 410: raising it refuses nobody's credentials."""
    assert flagged(CHECK_HELPER.format(error="Gone"), **SESSIONS) == set(LINES)


def test_a_middleware_that_only_logs_protects_nothing() -> None:
    guard = """\
        import logging

        async def guard(request, call_next):
            _trace(request)
            return await call_next(request)

        def _trace(request):
            logging.info("%s %s", request.method, request.url.path)
    """
    assert flagged(guard) == set(LINES)


def test_the_middleware_must_be_registered() -> None:
    unregistered = MAIN.replace('app.middleware("http")(guard)\n', "")
    assert flagged(CHECK_HELPER.format(error="SignedOut"), main=unregistered, **SESSIONS) == set(
        LINES
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a skip list in the middleware itself, exact paths too
        (
            """\
            if request.url.path in ("/healthz",) or request.url.path.startswith("/hooks/"):
                return await call_next(request)
            if request.headers.get("x-key") != settings.API_KEY:
                return JSONResponse({}, status_code=401)
            return await call_next(request)
            """,
            {"/hooks/billing", "/healthz"},
        ),
        # `not path.startswith(P)` passing on: only P is checked
        (
            """\
            if not request.url.path.startswith("/projects"):
                return await call_next(request)
            if request.headers.get("x-key") != settings.API_KEY:
                return JSONResponse({}, status_code=401)
            return await call_next(request)
            """,
            {"/hooks/billing", "/healthz"},
        ),
        # `any(path.startswith(p) for p in OPEN)`, a module-level list
        (
            """\
            if any(request.url.path.startswith(p) for p in OPEN):
                return await call_next(request)
            if request.headers.get("x-key") != settings.API_KEY:
                raise HTTPException(status_code=401)
            return await call_next(request)
            """,
            {"/hooks/billing"},
        ),
        # a skip joined to another condition lets only some requests through: no skip
        (
            """\
            if request.url.path.startswith("/hooks/") and request.method == "GET":
                return await call_next(request)
            if request.headers.get("x-key") != settings.API_KEY:
                raise HTTPException(status_code=401)
            return await call_next(request)
            """,
            set(),
        ),
    ],
)
def test_the_paths_a_middleware_lets_through_stay_unprotected(
    body: str, expected: set[str]
) -> None:
    guard = (
        "from app.settings import settings\n"
        'OPEN = ["/hooks/"]\n\n'
        "async def guard(request, call_next):\n" + textwrap.indent(textwrap.dedent(body), "    ")
    )
    extra = {"app/settings.py": "import os\nclass S:\n    API_KEY = os.environ['API_KEY']\n"}
    extra["app/settings.py"] += "settings = S()\n"
    assert flagged(guard, **extra) == expected


def test_a_decorated_middleware_with_a_public_list_protects_the_rest() -> None:
    main = """\
        from fastapi import FastAPI
        from app.routes import router

        PUBLIC = ("/hooks/", "/healthz")
        app = FastAPI()
        app.include_router(router)


        @app.middleware("http")
        async def guard(request, call_next):
            if request.url.path.startswith(PUBLIC):
                return await call_next(request)
            if not verify_token(request.headers.get("authorization")):
                return JSONResponse({}, status_code=401)
            return await call_next(request)
    """
    assert flagged("", main=textwrap.dedent(main)) == {"/hooks/billing", "/healthz"}


def test_a_session_middleware_named_after_tokens_is_not_auth() -> None:
    main = MAIN.replace(
        'app.middleware("http")(guard)\n',
        "from supertokens_python.framework.fastapi import (\n"
        "    get_middleware as get_supertokens_middleware,\n"
        ")\n"
        "app.add_middleware(get_supertokens_middleware())\n",
    )
    assert flagged("", main=main) == set(LINES)


def test_routes_of_a_router_an_object_holds_hang_under_the_app() -> None:
    routes = """\
        from fastapi import APIRouter

        class ProjectsRouter:
            def __init__(self):
                self.router = APIRouter()
                self.router.add_api_route("/projects", self.create, methods=["POST"])

            def create(self): ...

        class OtherRouter:
            def __init__(self):
                self.router = APIRouter()
                self.router.add_api_route("/other", self.create, methods=["POST"])

            def create(self): ...

        class AreaRouter:
            def __init__(self):
                self.other = OtherRouter()
    """
    main = """\
        from fastapi import FastAPI
        from app.guard import guard
        from app.projects import AreaRouter, ProjectsRouter

        app = FastAPI()
        projects = ProjectsRouter()
        app.include_router(projects.router, prefix="/v1")
        area = AreaRouter()
        app.include_router(area.other.router, prefix="/v2")
        app.middleware("http")(guard)
    """
    check = build_check("worker-route-auth")
    files: dict[str, Any] = {
        "app/__init__.py": "",
        "app/main.py": textwrap.dedent(main),
        "app/projects.py": textwrap.dedent(routes),
        "app/errors.py": ERRORS,
        "app/guard.py": textwrap.dedent(CHECK_HELPER.format(error="SignedOut")),
        **SESSIONS,
    }
    assert judge_files(check, files, use_prefilter=False) == []
    files["app/main.py"] = files["app/main.py"].replace('app.middleware("http")(guard)\n', "")
    first, second = judge_files(check, files, use_prefilter=False)
    assert (first.path, first.line) == ("app/projects.py", 6)
    assert first.message.startswith("POST /v1/projects changes state")
    assert (second.path, second.line) == ("app/projects.py", 13)
    assert second.message.startswith("POST /v2/other changes state")


def rules(code: str) -> dict[str, tuple[list[str], list[str]]]:
    found = module_path_rules(ast.parse(textwrap.dedent(code)))
    return {
        name: (
            [("=" if t.exact else "") + t.path for t in r.skips],
            [("=" if t.exact else "") + t.path for t in r.gates],
        )
        for name, r in found.items()
    }


def test_path_rules_read_skips_and_gates_in_both_polarities() -> None:
    code = """
        OPEN = ("/a", "/b")
        BOTH = OPEN + ("/c",)
        async def skip(request, call_next):
            if request.url.path.startswith(OPEN):
                return await call_next(request)
        async def gate(request, call_next):
            if request.url.path.startswith("/admin") and request.user is None:
                raise Denied()
        async def negated(request, call_next):
            if not request.url.path.startswith("/api"):
                return await call_next(request)
        async def morgan(request, call_next):
            if not request.url.path.startswith("/x") and request.url.path != "/y":
                check(request)
        async def nested(request, call_next):
            if request.method == "GET":
                if request.url.path.startswith("/a"):
                    return await call_next(request)
        async def refusing(request, call_next):
            if request.url.path.startswith("/admin"):
                return JSONResponse({}, status_code=HTTP_403_FORBIDDEN)
        async def computed(request, call_next):
            if request.url.path.startswith(BOTH):
                return await call_next(request)
    """
    assert rules(code) == {
        "skip": (["/a", "/b"], []),
        "gate": ([], ["/admin"]),
        "negated": ([], ["/api"]),
        "refusing": ([], ["/admin"]),
    }


def test_covers_prefixes_and_exact_paths() -> None:
    tests = [PathTest(path="/hooks/"), PathTest(path="/healthz", exact=True)]
    assert covers(tests, "/hooks/billing")
    assert covers(tests, "/hooks")  # `/hooks` and `/hooks/` are one route
    assert covers(tests, "/healthz/")
    assert not covers(tests, "/healthz/deep")
    assert not covers(tests, "/hooksmith")
