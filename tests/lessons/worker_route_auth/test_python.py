"""worker-route-auth (Python): FastAPI, Starlette and Flask routes, with exact verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth import (
    WorkerRouteAuth,
)
from pytest_lessons.findings import Finding
from pytest_lessons.lang.common.test_files import is_python_test_file
from pytest_lessons.source import SourceFile
from pytest_lessons.testing import judge_files, run_lessons
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "worker-route-auth"
SPEC = build_check(LESSON_ID).spec
REPO = Path(__file__).resolve().parents[3]
ROUTE = "app/routes/worker.py"


def make_check(**overrides: Any) -> WorkerRouteAuth:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, WorkerRouteAuth)
    return check


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(
        make_check(**overrides),
        {"app/__init__.py": "", "app/routes/__init__.py": "", **files},
        use_prefilter=False,
    )


def flagged(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in run(files, **overrides)]


def fastapi_route(signature: str, body: str = "return {}", *, header: str = "") -> str:
    """A router module with one POST handler whose `def` is on line 7 (`header`, module-level
    code the handler uses, goes after it)."""
    lines = [
        "from typing import Annotated",
        "from fastapi import APIRouter, Depends, Header, HTTPException, Security",
        "",
        "router = APIRouter()",
        "",
        '@router.post("/internal/receipt-worker")',
        f"def ingest({signature}):",
        *(f"    {line}" for line in body.splitlines()),
        "",
        header,
    ]
    return "\n".join(lines) + "\n"


INCIDENT = """\
from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/internal")


class ReceiptBatch(BaseModel):
    totals_cents: list[int]


@router.post("/receipt-worker")
def ingest_receipts(batch: ReceiptBatch) -> dict[str, int]:
    return {"ingested": len(batch.totals_cents)}
"""
MAIN = """\
from fastapi import FastAPI
from app.routes import worker

app = FastAPI()
app.include_router(worker.router, prefix="/api")
"""


def test_the_incident_is_flagged_on_the_def_line_with_the_full_path_and_what_counts() -> None:
    [finding] = run({ROUTE: INCIDENT, "app/main.py": MAIN})
    assert (finding.path, finding.line, finding.column) == (ROUTE, 12, 1)
    assert finding.message == (
        "POST /api/internal/receipt-worker changes state without any auth check (being "
        "'internal' is not auth): nothing in the handler, its Depends/Security dependencies "
        "(route, router, include or app level), its decorators, a before_request hook or a "
        "middleware above it compares a secret from the environment or settings with the "
        "request, verifies a token or password, or answers 401/403; add one (a security scheme "
        "alone accepts any value, and a rate limiter lets anyone through), or list the route "
        "in `public-routes` with a reason"
    )


def test_the_demo_repository_is_flagged_on_its_worker_route() -> None:
    outcome = run_lessons(REPO / "examples" / "cartsnitch-api", [LESSON_ID])
    assert [(f.path, f.line) for f in outcome.findings] == [
        ("src/cartsnitch_api/routes/worker.py", 16)
    ]
    assert outcome.findings[0].message.startswith("POST /internal/receipt-worker changes state")


def test_only_mutating_and_cron_routes_are_judged() -> None:
    code = """\
        from flask import Blueprint
        bp = Blueprint("b", __name__)

        @bp.route("/a")
        def read(): ...

        @bp.route("/b", methods=["GET", "POST"])
        def write(): ...

        @bp.route("/cron/nightly")
        def nightly(): ...

        @bp.route("/c", methods=METHODS)
        def dynamic(): ...

        @bp.delete("/d")
        def remove(): ...
        """
    findings = run({"app/views.py": code})
    assert [(f.line, f.message.split(" changes")[0].split(" runs")[0]) for f in findings] == [
        (8, "GET/POST /b"),
        (11, "cron route GET /cron/nightly"),
        (14, "/c (methods= is not a literal list, so POST may be among them)"),
        (17, "DELETE /d"),
    ]
    assert findings[1].message.endswith(
        "compare a secret from the environment or settings with a request header "
        "(hmac.compare_digest), or require an auth dependency, decorator or middleware"
    )


# -- evidence in the handler and its dependencies ---------------------------------------------


@pytest.mark.parametrize(
    ("signature", "body", "header"),
    [
        (  # a header compared with a settings secret
            'x_worker_token: str = Header(default="")',
            "if x_worker_token != settings.WORKER_SECRET:\n    raise HTTPException(401)",
            "from app.settings import settings",
        ),
        (  # constant-time comparison with the environment
            "authorization: str = Header()",
            "import hmac, os\n"
            'ok = hmac.compare_digest(authorization, os.environ["CRON_SECRET"])\n'
            "return {'ok': ok}",
            "",
        ),
        (  # a module constant read from the environment, compared in the handler
            "request: Request",
            'if request.headers.get("x-key") == EXPECTED:\n    return {}',
            'import os\nEXPECTED = os.getenv("WORKER_KEY")',
        ),
        (  # a token verified with a package
            "token: str = Depends(oauth2_scheme)",
            "claims = jwt.decode(token, KEY)\nreturn claims",
            "import jwt",
        ),
        (  # a dependency in the same module that raises 401
            "user = Depends(current_user)",
            "return {}",
            "def current_user(token: str = Header()):\n"
            "    user = lookup(token)\n"
            "    if user is None:\n"
            "        raise HTTPException(status_code=401)\n"
            "    return user",
        ),
        (  # Security() works like Depends()
            'user = Security(current_user, scopes=["write"])',
            "return {}",
            "def current_user():\n    raise HTTPException(403)",
        ),
    ],
)
def test_evidence_in_the_handler_or_its_dependency_protects_it(
    signature: str, body: str, header: str
) -> None:
    assert flagged({ROUTE: fastapi_route(signature, body, header=header)}) == []


@pytest.mark.parametrize(
    ("signature", "body", "header"),
    [
        (  # an API key read and handed on, never compared
            "key: str = Security(api_key_header)",
            "return {'key': key}",
            'from fastapi.security import APIKeyHeader\napi_key_header = APIKeyHeader(name="k")',
        ),
        (  # only its presence is checked: any value passes
            'x_api_key: str = Header(default="")',
            "if not x_api_key:\n    raise HTTPException(status_code=401)",
            "",
        ),
        (  # a security scheme used directly accepts any bearer token
            "token: str = Depends(oauth2_scheme)",
            "return {}",
            "from fastapi.security import OAuth2PasswordBearer\n"
            'oauth2_scheme = OAuth2PasswordBearer(tokenUrl="t")',
        ),
        (  # a rate limiter is not auth
            "_: None = Depends(RateLimiter(times=2, seconds=5))",
            "return {}",
            "from fastapi_limiter.depends import RateLimiter",
        ),
        (  # a feature gate answers 403 whoever calls
            '_: None = Depends(require_feature("bulk"))',
            "return {}",
            "def require_feature(name):\n"
            "    def gate():\n"
            "        if not FLAGS.get(name):\n"
            "            raise HTTPException(status_code=403)\n"
            "    return gate",
        ),
        (  # compared with a literal, not a secret
            'x_key: str = Header(default="")',
            'if x_key != "letmein":\n    raise HTTPException(401, "no")',
            "",
        ),
        (  # a dependency named like auth, defined here, that checks nothing
            "user = Depends(auth_user)",
            "return {}",
            "def auth_user(x_user: str = Header()):\n    return x_user",
        ),
    ],
)
def test_things_that_look_like_auth_but_are_not(signature: str, body: str, header: str) -> None:
    code = fastapi_route(signature, body, header=header)
    assert flagged({ROUTE: code}) == [(ROUTE, 7)]


def test_a_401_in_the_handler_under_a_literal_compare_is_still_a_rejection() -> None:
    """A 401 is an auth answer whatever the test; only a presence test of a raw input is not."""
    code = fastapi_route(
        "user_id: int", "if user_id != CURRENT:\n    raise HTTPException(401)\nreturn {}"
    )
    assert flagged({ROUTE: code}) == []


def test_dependencies_are_followed_across_modules_and_sub_dependencies() -> None:
    files = {
        ROUTE: fastapi_route("user = Depends(get_active_user)", header=""),
        "app/api/deps.py": """\
            from fastapi import Depends
            from app.core.security import get_current_user

            def get_active_user(user = Depends(get_current_user)):
                return user
            """,
        "app/core/__init__.py": "",
        "app/api/__init__.py": "",
        "app/core/security.py": """\
            from app.core.tokens import read_claims

            def get_current_user(token: str):
                return read_claims(token)
            """,
        "app/core/tokens.py": """\
            import jwt

            def read_claims(token):
                return jwt.decode(token, "k", algorithms=["HS256"])
            """,
    }
    files[ROUTE] = files[ROUTE].replace(
        "from fastapi import", "from app.api.deps import get_active_user\nfrom fastapi import"
    )
    assert flagged(files) == []
    files["app/core/tokens.py"] = "def read_claims(token):\n    return {'sub': token}\n"
    assert flagged(files) == [(ROUTE, 8)]


def test_an_annotated_alias_imported_from_a_deps_module_counts() -> None:
    deps = """\
        from typing import Annotated
        from fastapi import Depends, HTTPException

        def get_user(token: str):
            if token not in SESSIONS:
                raise HTTPException(status_code=401)

        CurrentUser = Annotated[dict, Depends(get_user)]
        """
    route = """\
        from fastapi import APIRouter
        from app.deps import CurrentUser

        router = APIRouter()

        @router.post("/orders")
        def create(user: CurrentUser): ...
        """
    assert flagged({"app/deps.py": deps, ROUTE: route}) == []
    unguarded = deps.replace("raise HTTPException(status_code=401)", "return None")
    assert flagged({"app/deps.py": unguarded, ROUTE: route}) == [(ROUTE, 7)]


def test_a_class_dependency_is_judged_by_its_call_method_also_through_an_instance() -> None:
    deps = """\
        from fastapi import HTTPException

        class RoleChecker:
            def __init__(self, roles):
                self.roles = roles

            def __call__(self, user = Depends(get_user)):
                if user.role not in self.roles:
                    raise HTTPException(status_code=403)

        require_admin = RoleChecker(["admin"])
        """
    direct = fastapi_route(
        'user = Depends(RoleChecker(["admin"]))', header="from app.deps import RoleChecker"
    )
    via_instance = fastapi_route(
        "user = Depends(require_admin)", header="from app.deps import require_admin"
    )
    assert flagged({"app/deps.py": deps, ROUTE: direct}) == []
    assert flagged({"app/deps.py": deps, ROUTE: via_instance}) == []
    limiter = deps.replace("403", "429").replace("user.role not in self.roles", "too_many()")
    assert flagged({"app/deps.py": limiter, ROUTE: direct}) == [(ROUTE, 7)]


ROUTER_MODULE = """\
from fastapi import APIRouter, Depends

router = APIRouter(prefix="/admin")

@router.post("/purge")
def purge(): ...
"""


@pytest.mark.parametrize(
    ("main", "router", "expected"),
    [
        (  # include-level dependency in another module
            "app.include_router(admin.router, dependencies=[Depends(require_admin)])",
            ROUTER_MODULE,
            [],
        ),
        (  # app-level dependency
            "app.router.dependencies = []\napp2 = FastAPI(dependencies=[Depends(require_admin)])\n"
            "app2.include_router(admin.router)",
            ROUTER_MODULE,
            [],
        ),
        (  # router-level dependency
            "app.include_router(admin.router)",
            ROUTER_MODULE.replace(
                'prefix="/admin")', 'prefix="/admin", dependencies=[Depends(require_admin)])'
            ).replace("Depends\n", "Depends\nfrom app.deps import require_admin\n"),
            [],
        ),
        (  # included without any
            "app.include_router(admin.router)",
            ROUTER_MODULE,
            [("app/routes/admin.py", 6)],
        ),
    ],
)
def test_router_include_and_app_dependencies_count(
    main: str, router: str, expected: list[tuple[str, int]]
) -> None:
    files = {
        "app/deps.py": "from fastapi import HTTPException\n\ndef require_admin(user=None):\n"
        "    if not is_admin(user):\n        raise HTTPException(403)\n",
        "app/routes/admin.py": router,
        "app/main.py": "from fastapi import Depends, FastAPI\nfrom app.deps import require_admin\n"
        f"from app.routes import admin\n\napp = FastAPI()\n{main}\n",
    }
    assert flagged(files) == expected


def test_a_router_included_behind_auth_and_again_without_is_flagged_once() -> None:
    files = {
        "app/routes/admin.py": ROUTER_MODULE,
        "app/main.py": """\
            from fastapi import Depends, FastAPI
            from app.routes import admin
            from app.deps import require_admin

            app = FastAPI()
            app.include_router(admin.router, prefix="/v1", dependencies=[Depends(require_admin)])
            app.include_router(admin.router, prefix="/legacy")
            """,
        "app/deps.py": "def require_admin():\n    raise HTTPException(401)\n",
    }
    [finding] = run(files)
    assert (finding.path, finding.line) == ("app/routes/admin.py", 6)
    assert finding.message.startswith("POST /legacy/admin/purge changes state")


def test_a_cbv_inherits_the_dependency_of_a_base_class_in_another_module() -> None:
    base = """\
        from fastapi import Depends
        from app.deps import get_user

        class AuthedView:
            user = Depends(get_user)
        """
    views = """\
        from fastapi import APIRouter
        from fastapi_utils.cbv import cbv
        from app.base import AuthedView

        router = APIRouter()

        @cbv(router)
        class Reports(AuthedView):
            @router.post("/reports")
            def create(self): ...
        """
    deps = "def get_user(token):\n    if token not in TOKENS:\n        raise Unauthorized()\n"
    files = {"app/base.py": base, "app/deps.py": deps, "app/views.py": views}
    assert flagged(files) == []
    files["app/base.py"] = base.replace("user = Depends(get_user)", "user = None")
    assert flagged(files) == [("app/views.py", 10)]


# -- Flask -------------------------------------------------------------------------------------


FLASK_VIEWS = """\
from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("orders", __name__, url_prefix="/orders")

{hook}
@bp.route("", methods=["POST"])
{decorator}
def create():
    return {{}}
"""


@pytest.mark.parametrize(
    ("decorator", "hook", "expected"),
    [
        ("@login_required", "", []),
        ("@jwt_required()", "", []),
        ("@auth.login_required", "", []),
        ("@requires_auth", "", []),
        ("@permission_required('orders.write')", "", []),
        ("@limiter.limit('5/minute')", "", [9]),
        ("", "", [9]),
        (
            "",
            "@bp.before_request\ndef guard():\n    if not current_user.is_authenticated:\n"
            "        abort(401)\n",
            [],
        ),
        (  # a hook that only logs
            "",
            "@bp.before_request\ndef trace():\n    log.info('request')\n",
            [9],
        ),
    ],
)
def test_flask_decorators_and_before_request_hooks(
    decorator: str, hook: str, expected: list[int]
) -> None:
    code = FLASK_VIEWS.format(decorator=decorator or "", hook=hook)
    findings = run({"app/views.py": code})
    # the route's `def` moves when the hook adds lines
    def_line = code.splitlines().index("def create():") + 1
    assert [f.line for f in findings] == [def_line for _ in expected]


def test_a_decorator_defined_in_the_repository_is_judged_by_its_body() -> None:
    guards = """\
        from functools import wraps

        def auth_required(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapper
        """
    views = """\
        from flask import Flask
        from app.guards import auth_required

        app = Flask(__name__)

        @app.post("/orders")
        @auth_required
        def create(): ...
        """
    files = {"app/guards.py": guards, "app/views.py": views}
    assert flagged(files) == [("app/views.py", 8)]
    files["app/guards.py"] = guards.replace(
        "return view(*args, **kwargs)",
        "if not session.get('user_id'):\n                    abort(401)\n"
        "                return view(*args, **kwargs)",
    )
    assert flagged(files) == []
    # `auth-helpers` names count wherever they are defined
    files["app/guards.py"] = guards
    assert flagged(files, auth_helpers=["auth_required"]) == []


def test_a_before_app_request_hook_in_a_factory_guards_every_blueprint() -> None:
    factory = """\
        from flask import Flask, abort, request

        def create_app():
            app = Flask(__name__)
            from app.views import bp
            app.register_blueprint(bp, url_prefix="/api")

            @app.before_request
            def check_token():
                if request.headers.get("X-Token") != app.config["API_TOKEN"]:
                    abort(401)

            return app
        """
    views = """\
        from flask import Blueprint
        bp = Blueprint("api", __name__)

        @bp.post("/jobs")
        def enqueue(): ...
        """
    files = {"app/factory.py": factory, "app/views.py": views}
    assert flagged(files) == []
    files["app/factory.py"] = factory.replace(
        'if request.headers.get("X-Token") != app.config["API_TOKEN"]:', "if request.is_json:"
    ).replace("abort(401)", "pass")
    [finding] = run(files)
    assert (finding.path, finding.line) == ("app/views.py", 5)
    assert finding.message.startswith("POST /api/jobs changes state")


# -- middlewares, Starlette ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("middleware", "expected"),
    [
        ("app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())", []),
        ("app.add_middleware(CORSMiddleware, allow_origins=['*'])", [9]),
        ("app.add_middleware(SessionMiddleware, secret_key='x')", [9]),
        (
            "@app.middleware('http')\nasync def guard(request, call_next):\n"
            "    if request.url.path.startswith('/internal') and "
            "request.headers.get('x-key') != settings.WORKER_KEY:\n"
            "        return JSONResponse({}, status_code=401)\n"
            "    return await call_next(request)",
            [],
        ),
        (
            "@app.middleware('http')\nasync def guard(request, call_next):\n"
            "    if request.url.path.startswith('/admin'):\n"
            "        return JSONResponse({}, status_code=401)\n"
            "    return await call_next(request)",
            [9],
        ),
    ],
)
def test_app_middlewares(middleware: str, expected: list[int]) -> None:
    lines = [
        "from fastapi import FastAPI",
        "",
        "app = FastAPI()",
        "",
        "",
        "",
        "",
        '@app.post("/internal/receipt-worker")',
        "def ingest(): ...",
        "",
        middleware,
    ]
    assert [line for _p, line in flagged({"app/main.py": "\n".join(lines) + "\n"})] == expected


def test_a_middleware_class_defined_here_is_judged_by_its_dispatch() -> None:
    code = """\
        from fastapi import FastAPI
        from starlette.middleware.base import BaseHTTPMiddleware

        class ApiKeyMiddleware(BaseHTTPMiddleware):
            async def dispatch(self, request, call_next):
                {check}
                return await call_next(request)

        app = FastAPI()
        app.add_middleware(ApiKeyMiddleware)

        @app.post("/jobs")
        def enqueue(): ...
        """
    rejecting = code.replace("{check}", "if request.headers.get('k') != KEY: return deny(401)")
    assert flagged({"app/main.py": rejecting}) == []
    logging = code.replace("{check}", "log(request)")
    assert flagged({"app/main.py": logging}) == [("app/main.py", 13)]


def test_starlette_route_lists() -> None:
    code = """\
        from starlette.applications import Starlette
        from starlette.routing import Route

        async def hook(request):
            return {check}

        async def home(request): ...

        app = Starlette(routes=[
            Route("/", home),
            Route("/hooks/build", hook, methods=["POST"]),
        ])
        """
    assert flagged({"app/main.py": code.replace("{check}", "None")}) == [("app/main.py", 4)]
    verified = code.replace("{check}", "verify_signature(request, os.environ['HOOK_SECRET'])")
    assert flagged({"app/main.py": verified}) == []


# -- options and scope -------------------------------------------------------------------------


def test_public_routes_and_auth_flow_routes_are_not_flagged() -> None:
    code = """\
        from fastapi import FastAPI
        app = FastAPI()

        @app.post("/hooks/github")
        def github(): ...

        @app.post("/auth/login")
        def login(): ...

        @app.post("/orders")
        def orders(): ...
        """
    assert flagged({"app/main.py": code}) == [("app/main.py", 5), ("app/main.py", 11)]
    public = {"/hooks/*": "GitHub signs nothing we can check; the payload is re-fetched"}
    assert flagged({"app/main.py": code}, public_routes=public) == [("app/main.py", 11)]
    assert flagged({"app/main.py": code}, auth_flow_routes=[]) == [
        ("app/main.py", 5),
        ("app/main.py", 8),
        ("app/main.py", 11),
    ]


def test_a_path_computed_around_a_literal_is_listed_by_its_tail() -> None:
    """`org_scoped_rule("/ldap/login")` puts a prefix (an organisation's slug) before the path
    it is given: a glob allowing any prefix (`*/login`) matches its literal tail; a glob naming
    one exact path cannot tell, and an unknown path that is no such call is not matched."""
    code = """\
        from flask import Blueprint, request
        from app.utils import org_scoped_rule, PREFIX

        blueprint = Blueprint("auth", __name__)

        @blueprint.route(org_scoped_rule("/ldap/login"), methods=["POST"])
        def ldap_login(): ...

        @blueprint.route(f"{PREFIX}/saml/callback", methods=["POST"])
        def saml_callback(): ...

        @blueprint.route(org_scoped_rule("/queries"), methods=["POST"])
        def create_query(): ...

        @blueprint.route(route_for(PREFIX), methods=["POST"])
        def computed(): ...
        """
    files = {"app/views.py": code}
    assert flagged(files) == [("app/views.py", 13), ("app/views.py", 16)]
    assert flagged(files, auth_flow_routes=["/ldap/login", "/saml/*"]) == [
        ("app/views.py", 7),
        ("app/views.py", 10),
        ("app/views.py", 13),
        ("app/views.py", 16),
    ]
    public = {"*/queries": "the public query API of the demo instance"}
    assert flagged(files, public_routes=public) == [("app/views.py", 16)]


def test_secret_name_patterns_decide_what_a_secret_is() -> None:
    code = fastapi_route(
        'x_pass: str = Header(default="")',
        "if x_pass != settings.WORKER_PASSPHRASE:\n    return None\nreturn {}",
        header="from app.settings import settings",
    )
    assert flagged({ROUTE: code}) == [(ROUTE, 7)]
    assert flagged({ROUTE: code}, secret_name_patterns=["*PASSPHRASE*"]) == []


@pytest.mark.parametrize(
    ("rel", "is_test"),
    [
        ("tests/test_api.py", True),
        ("backend/tests/api/routes.py", True),
        ("app/test_views.py", True),
        ("app/conftest.py", True),
        ("app/views_test.py", True),
        ("app/testimonials.py", False),
        ("app/contest.py", False),
    ],
)
def test_test_files_are_not_deployed_routes(rel: str, is_test: bool) -> None:
    assert is_python_test_file(rel) is is_test
    code = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.post('/x')\ndef x(): ...\n"
    assert flagged({rel: code}) == ([] if is_test else [(rel, 5)])


def test_python_files_are_subjects_only_when_they_declare_routes() -> None:
    check = make_check()
    route = check.extract(SourceFile.from_text(ROUTE, INCIDENT))
    helper = check.extract(SourceFile.from_text("app/deps.py", "def f():\n    return 1\n"))
    assert check.is_subject(route) is True
    assert check.is_subject(helper) is False


def test_fastapi_api_route_methods_and_add_api_route_are_judged() -> None:
    code = """\
        from fastapi import APIRouter
        router = APIRouter(prefix="/jobs")

        @router.api_route("/run", methods=["GET", "PATCH"])
        def run(): ...

        @router.api_route("/peek")
        def peek(): ...

        def enqueue(): ...

        router.add_api_route("/enqueue", enqueue, methods=["POST"])
        """
    findings = run({"app/jobs.py": code})
    assert [(f.line, f.message.split(" changes")[0]) for f in findings] == [
        (5, "GET/PATCH /jobs/run"),
        (10, "POST /jobs/enqueue"),
    ]


def test_a_service_class_dependency_is_judged_by_what_runs_on_injection_only() -> None:
    """`Depends()` on a service builds it per request; a 403 in one of its business methods does
    not guard the route, a check in `__init__` or `__call__` does."""
    service = """\
        from fastapi import HTTPException

        class OrderService:
            def __init__(self, session=None):
                self.session = session

            def cancel(self, order, user):
                if order.owner_id != user.id:
                    raise HTTPException(status_code=403)
        """
    route = fastapi_route(
        "service: OrderService = Depends()", header="from app.services import OrderService"
    )
    assert flagged({"app/services.py": service, ROUTE: route}) == [(ROUTE, 7)]
    gated = service.replace(
        "self.session = session",
        "if session is None or not session.user:\n"
        "                    raise HTTPException(status_code=401)",
    )
    assert flagged({"app/services.py": gated, ROUTE: route}) == []


def test_methods_of_the_view_class_are_followed_and_named_actions_count() -> None:
    code = """\
        from flask import Blueprint, abort
        from flask.views import MethodView

        bp = Blueprint("datasets", __name__)

        class EditView(MethodView):
            def _prepare(self, id):
                {check}

            def post(self, id):
                self._prepare(id)
                return "saved"

        bp.add_url_rule("/dataset/edit/<id>", view_func=EditView.as_view("edit"))
        """
    unguarded = code.replace("{check}", "return id")
    assert flagged({"app/views.py": unguarded}) == [("app/views.py", 10)]
    checked = code.replace(
        "{check}", "if not can_edit(current_user, id):\n                    abort(403)"
    )
    assert flagged({"app/views.py": checked}) == []
    # an action looked up by name runs its own check, out of static reach
    dispatched = code.replace("{check}", 'get_action("package_update")({}, {"id": id})')
    assert flagged({"app/views.py": dispatched}) == []


AUTHENTICATOR = """\
    from fastapi import Security

    class _Gate:
        def __init__(self, *, scopes):
            self.scopes = scopes

        async def __call__(self, subject):
            if subject is None:
                raise Unauthorized()
            return subject

    def Gate(scopes):
        checker = Security(load_subject, scopes=sorted(scopes))

        class _DocumentedGate(_Gate):
            async def __call__(self, subject=checker):
                return await super().__call__(subject)

        return _DocumentedGate(scopes=frozenset(scopes))
    """
SCOPED_ALIASES = """\
    from typing import Annotated
    from fastapi import Depends
    from app.auth.gates import Gate

    _OrdersWrite = Gate(scopes={"orders:write"})
    OrdersWrite = Annotated[dict, Depends(_OrdersWrite)]
    """


def test_an_alias_of_a_factory_made_checker_in_another_package_counts() -> None:
    """`X = Annotated[T, Depends(_x)]` where `_x = Gate(...)` and `Gate` returns an instance of
    a class it defines inside itself, a subclass of the checker: followed to the checker."""
    route = """\
        from fastapi import APIRouter
        from app.orders import auth

        router = APIRouter()

        @router.post("/orders")
        async def create(subject: auth.OrdersWrite): ...
        """
    files = {
        "app/auth/__init__.py": "",
        "app/auth/gates.py": AUTHENTICATOR,
        "app/orders/__init__.py": "",
        "app/orders/auth.py": SCOPED_ALIASES,
        ROUTE: route,
    }
    assert flagged(files) == []
    open_gate = AUTHENTICATOR.replace("raise Unauthorized()", "return None")
    assert flagged({**files, "app/auth/gates.py": open_gate}) == [(ROUTE, 7)]


STRIPE_EVENTS = """\
    import stripe
    from fastapi import Depends, HTTPException, Request

    class SignedEvent:
        def __init__(self, secret):
            self.secret = secret

        async def __call__(self, request: Request):
            payload = await request.body()
            try:
                return stripe.Webhook.construct_event(
                    payload, request.headers.get("Stripe-Signature"), self.secret
                )
            except stripe.SignatureVerificationError as error:
                raise HTTPException(status_code=400) from error
    """


def test_a_stripe_event_read_by_a_class_dependency_is_a_signature_check() -> None:
    route = fastapi_route(
        "event = Depends(SignedEvent(settings.STRIPE_WEBHOOK_SECRET))",
        header="from app.stripe_events import SignedEvent\nfrom app.config import settings",
    )
    files = {"app/stripe_events.py": STRIPE_EVENTS, ROUTE: route}
    assert flagged(files) == []
    unsigned = STRIPE_EVENTS.replace("Webhook.construct_event", "Event.construct_from")
    assert flagged({**files, "app/stripe_events.py": unsigned}) == [(ROUTE, 7)]
