"""The `ast` reader of the Python auth evidence must see exactly what the libcst reader sees.

`python_evidence` reads every module with `ast` and falls back to libcst only for syntax the
interpreter rejects, so a difference between the two would make a finding depend on the
running Python. Compared over every Python file of the lesson trees, over snippets of the shapes
`ast` and libcst treat differently, and over real code: the modules of installed packages.
"""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

from pytest_lessons.checks.worker_route_auth.evidence_ast import ast_scan
from pytest_lessons.checks.worker_route_auth.evidence_cst import ModuleScan
from pytest_lessons.checks.worker_route_auth.evidence_scan import Site
from pytest_lessons.checks.worker_route_auth.python_evidence import module_scans
from pytest_lessons.source import SourceFile
from tests.ast_support import require_ast_syntax
from tests.modern_syntax_samples import MODERN_GROUP_SAMPLES, MODERN_SAMPLES
from tests.python_corpus import python_files

ROOT = Path(__file__).resolve().parents[3]
LESSON_FILES = python_files(ROOT / "lessons") + python_files(ROOT / "examples")

SNIPPETS = {
    "checks only when configured in a try": """
        async def events(request):
            try:
                if settings.HOOK_SECRET:
                    event = verify_signature(body, settings.HOOK_SECRET)
            except SignatureError:
                return JSONResponse(status_code=401)
            try:
                event = verify_signature(body, settings.HOOK_SECRET)
            except SignatureError:
                raise HTTPException(403)
    """,
    "login redirects": """
        async def current(request, sid=None):
            if sid is None:
                raise HTTPException(
                    status_code=status.HTTP_307_TEMPORARY_REDIRECT,
                    headers={"Location": str(request.url_for("auth:login"))},
                )
            if sid == "x":
                raise RedirectToLogin()
            raise HTTPException(status_code=307, headers={"Location": "/welcome"})
    """,
    "event order": """
        @router.post("/x", dependencies=[Depends(verify)], status_code=201)
        async def handler(
            a: int = Depends(one), *args, b=Query(None), c: Annotated[U, Depends(two)], **kw
        ) -> R:
            data = {call_a(): call_b(), call_c(): call_d()}
            x = first() if second() else third()
            return [f(y) for y in g() if h(y)]
    """,
    "names libcst has and ast keeps as strings": """
        def outer(unauthorized, *, forbidden=1):
            from errors import NotAuthenticated as Denied
            global PERMISSION_DENIED
            try:
                pass
            except Exception as unauthorized_error:
                pass
            f(status=HTTPStatus.UNAUTHORIZED)
        class NotAuthenticated(Exception):
            def raise_it(self):
                raise self
    """,
    "tests and presence": """
        def check(x_api_key: str = Header(None), flag=None):
            if not x_api_key:
                raise HTTPException(status_code=401)
            if x_api_key is None or flag == "":
                abort(403)
            elif True:
                return (403)
            if user.is_admin:
                pass
            else:
                raise HTTPException(0x193)
    """,
    "comparisons and secrets": """
        SECRET = os.environ["WORKER_SECRET"]
        def verify(token: str = Header()) -> None:
            expected = hmac.new(SECRET.encode(), b"x", "sha256").hexdigest()
            if not hmac.compare_digest(token, expected) or token != (expected) or "a" == token:
                raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
            lam = lambda q=Depends(dep): q in ALLOWED
    """,
    "classes and nesting": """
        @cbv(router)
        class Items(Base, metaclass=Meta):
            user: User = Depends(get_user)
            session = Depends(get_session)
            admin: Annotated[User, Depends(require_admin)]
            def get(self, item_id: int) -> None:
                self._prepare(item_id)
                def inner(z=Security(scope_check, scopes=["a"])):
                    return get_action("member_create")(ctx, z)
            async def post(self): ...
        class OneLine: x = Depends(ignored)
        def factory(role):
            async def checker(user=Depends(current_user)):
                if role not in user.roles:
                    raise Forbidden()
            return checker
    """,
    "error paths": """
        async def wrapper(request):
            try:
                return await handler(request)
            except Denied:
                raise HTTPException(status_code=403)
            except Exception as error:
                log(get_current_user(request), error)
                raise
            else:
                audit()
            finally:
                check_session(request)
        def checked(token):
            try:
                claims = jwt.decode(token, KEY)
            except JWTError:
                raise HTTPException(status_code=401)
            try:
                work()
            except* ValueError:
                abort(401)
            return claims
    """,
    "conditions in parentheses of their own over lines": """
        class Service:
            async def create(self, checkout, user, choice):
                if (
                    checkout.discount is not None  # a comment inside
                    and not (
                        user.email is None
                    )
                ):
                    raise NotPermitted()
                if (
                    choice or ""
                ) == user.default:
                    raise HTTPException(status_code=403)
    """,
    "lookups by keyword": """
        def use(db, token, request):
            db.query(M).filter_by(token=token, n=1, flag=True).one()
            Invite.objects.get(token=(token), owner=request.user)
            get_object_or_404(Invite, pk=pk, **extra, token_hash=digest(
                token))
            values.get(key)
    """,
    "checks only when a secret is set": """
        async def cron(request, token: str = Header()):
            if settings.CRON_SECRET and (token != settings.CRON_SECRET):
                raise HTTPException(status_code=401)
            if os.getenv("HOOK_SECRET"):
                if not hmac.compare_digest(token, os.getenv("HOOK_SECRET")):
                    abort(403)
            elif config["KEY"] and ready and key != config["KEY"]: raise Unauthorized()
            if SECRET: return verify(token)
            if not SECRET or token != SECRET:
                raise HTTPException(401)
            def later():
                order.save()
            job.delay()
            if token != request.user.token:
                raise HTTPException(
                    status_code=status
                    .HTTP_401_UNAUTHORIZED
                )
    """,
    **MODERN_SAMPLES,
    **MODERN_GROUP_SAMPLES,
}


def _compare(text: str) -> None:
    fast = ast_scan(text)
    slow = ModuleScan()
    SourceFile.from_text("m.py", text).python_metadata().visit(slow)
    assert fast.lines == slow.lines
    assert fast.scans.keys() == slow.scans.keys()
    for name, scan in slow.scans.items():
        assert fast.scans[name] == scan, name


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_the_ast_scan_equals_the_libcst_scan_on_snippets(name: str) -> None:
    text = textwrap.dedent(SNIPPETS[name])
    require_ast_syntax(text)
    _compare(text)


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_ast_scan_equals_the_libcst_scan_on_the_lesson_trees(path: Path) -> None:
    _compare(path.read_text(encoding="utf-8"))


def _package_files(package: str, limit: int) -> list[Path]:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return []
    files = [p for p in Path(spec.origin).parent.rglob("*.py") if p.stat().st_size < 15_000]
    return sorted(files)[:limit]


CORPUS = [
    *_package_files("pydantic", 8),
    *_package_files("_pytest", 8),
    *_package_files("http", 2),
    *_package_files("email", 6),
]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_ast_scan_equals_the_libcst_scan_on_installed_packages(path: Path) -> None:
    _compare(path.read_text(encoding="utf-8"))


def test_syntax_the_interpreter_rejects_falls_back_to_libcst() -> None:
    text = 'LABEL = f"{names["a"]}"\ndef f():\n    raise HTTPException(401)\n'  # PEP 701
    try:
        compile(text, "m.py", "exec")
    except SyntaxError:
        with pytest.raises(SyntaxError):
            ast_scan(text)
    scans, lines = module_scans(SourceFile.from_text("m.py", text))
    assert lines == {2: "f"}
    assert scans["f"].rejects == [(401, [], Site(3, "f"))]
    assert scans["f"].calls == [("HTTPException", ["401"], Site(3, "f"))]
