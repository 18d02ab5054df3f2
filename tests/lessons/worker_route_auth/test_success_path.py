"""worker-route-auth, issue 11 items 4, 6 and 10: evidence must gate the success path, a verify
must be able to fail, and the shapes real apps protect themselves with are recognised."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.findings import Finding, Severity
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }'
ROUTE = "app/api/jobs/route.ts"


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    check = build_check("worker-route-auth", **overrides)
    assert isinstance(check, WorkerRouteAuth)
    return judge_files(check, {"tsconfig.json": TSCONFIG, **files}, use_prefilter=False)


NO = 'return new Response("no", { status: 401 });'
RECEIVER = """\
import { Receiver } from "@upstash/qstash";
const receiver = new Receiver({ currentSigningKey: process.env.QSTASH_KEY ?? "" });
export async function POST(req: Request) {
  const body = await req.text();
  %s
  await fetch("https://example.com", { method: "POST", body });
  return Response.json({ ok: true });
}
"""


@pytest.mark.parametrize(
    "check",
    [
        f'const ok = receiver.verify({{ signature: "", body }});\n  if (!ok) {NO}',
        f'if (!receiver.verify({{ signature: "", body }})) {NO}',
        'receiver.verify({ signature: "", body });',
    ],
    ids=["assigned", "tested", "dropped"],
)
def test_an_unawaited_receiver_verify_cannot_fail_and_the_message_says_so(check: str) -> None:
    [finding] = run({ROUTE: RECEIVER % check})
    assert finding.line == 3
    assert "receiver.verify(...) cannot fail here" in finding.message
    assert "always truthy" in finding.message


@pytest.mark.parametrize(
    "check",
    [
        f'const ok = await receiver.verify({{ signature: "", body }});\n  if (!ok) {NO}',
        f'if (!(await receiver.verify({{ signature: "", body }}))) {NO}',
        'await receiver.verify({ signature: "", body });',
    ],
    ids=["assigned", "tested", "awaited-throws"],
)
def test_an_awaited_receiver_verify_protects(check: str) -> None:
    assert run({ROUTE: RECEIVER % check}) == []


def test_a_dropped_boolean_verdict_is_not_auth_but_a_used_one_is() -> None:
    helper = (
        "export function verifySignature(body: string, sig: string | null): boolean {\n"
        "  return sig === process.env.HOOK_SECRET;\n}\n"
    )
    dropped = (
        'import { verifySignature } from "@/lib/sig";\n'
        "export async function POST(req: Request) {\n"
        '  verifySignature(await req.text(), req.headers.get("x-sig"));\n'
        "  return Response.json({ ok: true });\n}\n"
    )
    used = dropped.replace("  verifySignature(", "  if (!verifySignature(").replace(
        '"x-sig"));', '"x-sig"))) return new Response("no", { status: 401 });'
    )
    [finding] = run({"lib/sig.ts": helper, ROUTE: dropped})
    assert "verifySignature(...) cannot fail here" in finding.message
    assert run({"lib/sig.ts": helper, ROUTE: used}) == []


def test_a_throwing_verifier_dropped_as_a_statement_still_protects() -> None:
    route = (
        'import Stripe from "stripe";\n'
        'const stripe = new Stripe(process.env.STRIPE_KEY ?? "");\n'
        "export async function POST(req: Request) {\n"
        "  const body = await req.text();\n"
        '  stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature") ?? "", "s");\n'
        "  return Response.json({ ok: true });\n}\n"
    )
    assert run({ROUTE: route}) == []


WRAPPER = """\
import { getSession } from "@/lib/session";
type Handler = (req: Request) => Promise<Response>;
export function withReport(handler: Handler): Handler {
  return async (req) => {
    %s
  };
}
"""
SESSION = 'export async function getSession(req: Request) { return req.headers.get("cookie"); }\n'
WRAPPED = """\
import { withReport } from "@/lib/report";
export const POST = withReport(async (req: Request) => Response.json(await req.json()));
"""


@pytest.mark.parametrize(
    "body",
    [
        "try { return await handler(req); } catch (e) { const who = await getSession(req);"
        " console.error(who, e); return Response.json({}, { status: 500 }); }",
        "try { return await handler(req); } catch (e) {"
        " return Response.json({}, { status: e instanceof Error ? 401 : 500 }); }",
        "try { return await handler(req); } finally { await getSession(req); }",
        "return handler(req).catch(async () => { await getSession(req);"
        " return new Response('x', { status: 403 }); });",
    ],
    ids=["catch-session", "catch-401", "finally", "promise-catch"],
)
def test_evidence_only_on_an_error_path_does_not_protect(body: str) -> None:
    files = {"lib/session.ts": SESSION, "lib/report.ts": WRAPPER % body, ROUTE: WRAPPED}
    assert [(f.path, f.line) for f in run(files)] == [(ROUTE, 2)]


def test_a_session_check_before_the_try_protects() -> None:
    body = (
        "if (!(await getSession(req))) return new Response('no', { status: 401 });\n"
        "    try { return await handler(req); }"
        " catch { return Response.json({}, { status: 500 }); }"
    )
    files = {"lib/session.ts": SESSION, "lib/report.ts": WRAPPER % body, ROUTE: WRAPPED}
    assert run(files) == []


@pytest.mark.parametrize(
    ("module", "name"),
    [("hono/bearer-auth", "bearerAuth"), ("hono/basic-auth", "basicAuth"), ("hono/jwt", "jwt")],
)
def test_hono_auth_middlewares_on_every_path_protect(module: str, name: str) -> None:
    server = (
        'import { Hono } from "hono";\n'
        f'import {{ {name} }} from "{module}";\n'
        "const app = new Hono();\n"
        f'app.use("*", {name}({{ token: process.env.API_TOKEN ?? "" }}));\n'
        'app.post("/jobs", async (c) => c.json(await c.req.json()));\n'
        "export default app;\n"
    )
    assert run({"server/index.ts": server}) == []
    unguarded = server.replace(f'app.use("*", {name}', f"const unused = ({name}")
    assert [f.line for f in run({"server/index.ts": unguarded})] == [5]


def test_a_better_auth_catch_all_is_the_auth_flow() -> None:
    route = (
        'import { toNextJsHandler } from "better-auth/next-js";\n'
        'import { auth } from "@/lib/auth";\n'
        "const { POST: post } = toNextJsHandler(auth);\n"
        "export const POST = post;\n"
    )
    assert run({"app/api/identity/[...all]/route.ts": route}) == []


def test_a_session_check_in_the_oauth_callback_the_route_runs_protects() -> None:
    route = (
        'import { integration } from "@/lib/oauth";\n'
        'import { getServerSession } from "next-auth";\n'
        "const { handler } = integration({ onConnect: async (tokens: string) => {\n"
        "  const session = await getServerSession();\n"
        '  if (!session) throw new Error("signed out");\n'
        "  await fetch(tokens);\n} });\n"
        "export const POST = handler;\n"
    )
    oauth = "export function integration(o: object) { return { handler: async () => o } }\n"
    assert run({"lib/oauth.ts": oauth, "app/api/connect/[...p]/route.ts": route}) == []
    bare = route.replace("  const session = await getServerSession();\n", "").replace(
        "if (!session) ", ""
    )
    assert len(run({"lib/oauth.ts": oauth, "app/api/connect/[...p]/route.ts": bare})) == 1


FASTAPI_MAIN = """\
from fastapi import FastAPI
from app.config import settings
from app import private

app = FastAPI()
%s
"""
PRIVATE = """\
from fastapi import APIRouter

router = APIRouter(prefix="/private")


@router.post("/users")
def create_user() -> dict[str, str]:
    return {}
"""


@pytest.mark.parametrize(
    "condition",
    [
        'settings.ENVIRONMENT == "local"',
        'settings.ENV in ("dev", "test")',
        "settings.DEBUG",
        'settings.DEBUG and settings.ENVIRONMENT != "production"',
    ],
)
def test_a_router_included_only_in_development_is_a_note(condition: str) -> None:
    main = FASTAPI_MAIN % f"if {condition}:\n    app.include_router(private.router)"
    [finding] = run({"app/main.py": main, "app/private.py": PRIVATE})
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("note: this router is included only under a development")


@pytest.mark.parametrize(
    "include",
    [
        "app.include_router(private.router)",
        'if settings.ENVIRONMENT == "production":\n    app.include_router(private.router)',
        'if settings.ENVIRONMENT == "local":\n    pass\nelse:\n'
        "    app.include_router(private.router)",
        "app.include_router(private.router)\nif settings.DEBUG:\n"
        '    app.include_router(private.router, prefix="/dbg")',
    ],
    ids=["always", "production", "else-branch", "also-always"],
)
def test_a_router_served_in_production_still_fails(include: str) -> None:
    [finding] = run({"app/main.py": FASTAPI_MAIN % include, "app/private.py": PRIVATE})
    assert finding.severity is Severity.ERROR
    assert not finding.message.startswith("note:")


def test_a_catch_answering_401_for_the_check_in_its_try_is_the_check() -> None:
    route = (
        'import { decodeToken } from "@/lib/tokens";\n'
        "export async function POST(req: Request) {\n"
        "  try {\n"
        '    decodeToken(req.headers.get("authorization"));\n'
        "  } catch {\n"
        '    return new Response("no", { status: 401 });\n'
        "  }\n"
        "  return Response.json(await req.json());\n}\n"
    )
    tokens = "export function decodeToken(raw: string | null) { return JSON.parse(raw ?? ''); }\n"
    assert run({"lib/tokens.ts": tokens, ROUTE: route}) == []
    unrelated = route.replace("decodeToken(req", "JSON.parse(req").replace(
        'import { decodeToken } from "@/lib/tokens";\n', ""
    )
    assert len(run({ROUTE: unrelated})) == 1


PY_WRAPPER = """\
import functools

from fastapi import HTTPException

from app.session import current_user


def reported(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
%s
    return wrapper
"""
PY_SESSION = "def current_user():\n    return None\n"
PY_ROUTES = """\
from fastapi import FastAPI

from app.reporting import reported

app = FastAPI()


@app.post("/jobs")
@reported
async def run_job() -> dict[str, bool]:
    return {"ok": True}
"""


@pytest.mark.parametrize(
    "body",
    [
        "        try:\n            return await func(*args, **kwargs)\n"
        "        except Exception:\n            print(current_user())\n            raise\n",
        "        try:\n            return await func(*args, **kwargs)\n"
        "        except PermissionError:\n            raise HTTPException(status_code=403)\n",
        "        try:\n            return await func(*args, **kwargs)\n"
        "        finally:\n            current_user()\n",
    ],
    ids=["except-session", "except-403", "finally"],
)
def test_python_evidence_only_in_an_except_or_finally_does_not_protect(body: str) -> None:
    files = {
        "app/session.py": PY_SESSION,
        "app/reporting.py": PY_WRAPPER % body,
        "app/main.py": PY_ROUTES,
    }
    assert [(f.path, f.line) for f in run(files)] == [("app/main.py", 10)]


def test_python_evidence_before_the_try_or_answering_the_check_in_it_protects() -> None:
    before = (
        "        if current_user() is None:\n            raise HTTPException(status_code=401)\n"
        "        try:\n            return await func(*args, **kwargs)\n"
        "        finally:\n            pass\n"
    )
    answered = (
        "        try:\n            verify_token()\n"
        "        except ValueError:\n            raise HTTPException(status_code=401)\n"
        "        return await func(*args, **kwargs)\n"
    )
    for body in (before, answered):
        files = {
            "app/session.py": PY_SESSION + "def verify_token():\n    pass\n",
            "app/reporting.py": (PY_WRAPPER % body).replace(
                "import current_user", "import current_user, verify_token"
            ),
            "app/main.py": PY_ROUTES,
        }
        assert run(files) == [], body


APPLE = """\
import { SignedDataVerifier } from "@apple/app-store-server-library";
const verifier = new SignedDataVerifier([], true, 1, "com.example");
export async function POST(req: Request) {
  const { signedPayload } = await req.json();
  const notification = await verifier.%s(signedPayload);
  await fetch("https://example.com", { method: "POST", body: JSON.stringify(notification) });
  return Response.json({ ok: true });
}
"""


@pytest.mark.parametrize("call", ["verifyAndDecodeNotification", "verifyJWS", "jwtVerify"])
def test_a_verified_signed_payload_protects(call: str) -> None:
    assert run({ROUTE: APPLE % call}) == []
    assert len(run({ROUTE: APPLE % "decodeNotification"})) == 1


CHAT_ROUTE = """\
import { bot } from "@/lib/bot";
export async function POST(request: Request) {
  return bot.webhooks.telegram(request, { waitUntil: () => undefined });
}
"""
CHAT_BOT = "export const bot = { webhooks: { telegram: async (r: Request) => r } };\n"


@pytest.mark.parametrize("dependency", ["chat", "@chat-adapter/telegram"])
def test_a_chat_sdk_webhook_table_protects_when_the_project_uses_the_sdk(dependency: str) -> None:
    package = '{ "name": "web", "dependencies": { "DEP": "4.0.0" } }'.replace("DEP", dependency)
    files = {"lib/bot.ts": CHAT_BOT, ROUTE: CHAT_ROUTE}
    assert run({**files, "package.json": package}) == []
    other = '{ "name": "web", "dependencies": { "next": "15.0.0" } }'
    assert len(run({**files, "package.json": other})) == 1


def test_a_link_token_checked_in_constant_time_or_looked_up_protects() -> None:
    compared = """\
import { timingSafeEqual } from "node:crypto";
export async function POST(req: Request) {
  const { id, token } = await req.json();
  const booking = await db.booking.findUnique({ where: { id } });
  if (!timingSafeEqual(Buffer.from(token), Buffer.from(booking.cancelToken))) {
    return new Response("gone", { status: 404 });
  }
  await db.booking.update({ where: { id }, data: { canceled: true } });
  return Response.json({ ok: true });
}
"""
    looked_up = """\
export async function POST(req: Request) {
  const token = new URL(req.url).searchParams.get("token") ?? "";
  const row = await db.emailToken.findUnique({ where: { token } });
  if (!row) return new Response("gone", { status: 404 });
  await db.user.update({ where: { id: row.userId }, data: { digest: false } });
  return Response.json({ ok: true });
}
"""
    assert run({ROUTE: compared}) == []
    assert run({ROUTE: looked_up}) == []
    by_id = looked_up.replace("where: { token }", "where: { id: token }")
    assert len(run({ROUTE: by_id})) == 1
    session = looked_up.replace("where: { token }", "where: { sessionToken: token }")
    assert len(run({ROUTE: session})) == 1


def test_a_sign_in_start_route_is_the_auth_flow() -> None:
    route = "export async function POST(req: Request) { return Response.json(await req.json()); }\n"
    assert run({"app/api/mobile-auth/start/route.ts": route}) == []
    assert len(run({"app/api/mobile-sync/start/route.ts": route})) == 1


@pytest.mark.parametrize(("bot_dependency", "found"), [("chat", 0), ("zod", 1)])
def test_a_chat_sdk_of_the_workspace_package_the_bot_comes_from_counts(
    bot_dependency: str, found: int
) -> None:
    """The route's app depends on the workspace package that builds the bot (`@acme/bot`), and
    that package on the chat SDK: its webhook table verifies the platform all the same."""
    files = {
        "package.json": '{ "name": "root", "workspaces": ["apps/*", "packages/*"] }',
        "apps/web/package.json": '{ "name": "web", "dependencies": { "@acme/bot": "*" } }',
        "apps/web/tsconfig.json": "{}",
        "apps/web/app/api/jobs/route.ts": CHAT_ROUTE.replace("@/lib/bot", "@acme/bot"),
        "packages/bot/package.json": (
            '{ "name": "@acme/bot", "main": "src/index.ts", "dependencies": { "DEP": "4" } }'
        ).replace("DEP", bot_dependency),
        "packages/bot/src/index.ts": CHAT_BOT,
    }
    assert len(run(files)) == found


SCIM_ROUTE = """\
import { controllers } from "@/lib/sso";
async function scim(req: Request) {
  const { directorySyncController } = await controllers();
  const { status, data } = await directorySyncController.requests.handle(
    { method: req.method, body: await req.json(), apiSecret: req.headers.get("authorization") },
    async () => undefined,
  );
  return Response.json(data, { status });
}
export { scim as POST };
"""


@pytest.mark.parametrize(
    ("source", "found"),
    [("@boxyhq/saml-jackson", 0), ("@/lib/home-made-scim", 1)],
    ids=["saml-jackson", "own-code"],
)
def test_a_request_handed_to_saml_jackson_directory_sync_is_authenticated_by_it(
    source: str, found: int
) -> None:
    sso = (
        f'import build from "{source}";\n'
        "export async function controllers() { return build({}); }\n"
    )
    assert len(run({"lib/sso.ts": sso, ROUTE: SCIM_ROUTE})) == found


PY_CRON = """\
import hmac
import os

from fastapi import FastAPI, Header, HTTPException

from app.settings import settings

app = FastAPI()
SECRET = os.environ.get("CRON_SECRET", "")


@app.post("/jobs")
def run_job(x_cron_secret: str = Header(default="")) -> dict[str, bool]:
%s
    return {"ok": True}
"""
PY_SETTINGS = "class Settings:\n    CRON_SECRET = ''\n\n\nsettings = Settings()\n"


def _py_cron(body: str) -> list[Finding]:
    files = {"app/settings.py": PY_SETTINGS, "app/main.py": PY_CRON % body}
    return run(files)


@pytest.mark.parametrize(
    "body",
    [
        "    if settings.CRON_SECRET and x_cron_secret != settings.CRON_SECRET:\n"
        "        raise HTTPException(status_code=401)\n    job.delay()",
        "    if ready and SECRET and not hmac.compare_digest(x_cron_secret, SECRET):\n"
        "        raise HTTPException(status_code=401)\n    job.delay()",
        "    if SECRET:\n        if x_cron_secret != SECRET:\n"
        "            raise HTTPException(status_code=401)\n    job.delay()",
        '    if os.getenv("CRON_SECRET"):\n'
        '        if x_cron_secret != os.getenv("CRON_SECRET"):\n'
        "            raise HTTPException(status_code=401)\n    job.delay()",
    ],
    ids=["and", "and-later-operand", "nested", "getenv"],
)
def test_python_a_check_that_runs_only_when_the_secret_is_set_does_not_protect(
    body: str,
) -> None:
    assert [(f.path, f.line) for f in _py_cron(body)] == [("app/main.py", 13)]


@pytest.mark.parametrize(
    "body",
    [
        "    if not settings.CRON_SECRET or x_cron_secret != settings.CRON_SECRET:\n"
        "        raise HTTPException(status_code=401)\n    job.delay()",
        "    if SECRET:\n        return check(x_cron_secret)\n"
        "    raise HTTPException(status_code=401)",
        "    if not SECRET:\n        raise HTTPException(status_code=503)\n"
        "    if x_cron_secret != SECRET:\n        raise HTTPException(status_code=401)\n"
        "    job.delay()",
        "    if flags.nightly:\n        if x_cron_secret != SECRET:\n"
        "            raise HTTPException(status_code=401)\n        job.delay()",
    ],
    ids=["or-refuses", "set-returns-then-refuses", "unset-refuses-first", "unrelated-test"],
)
def test_python_a_check_that_refuses_when_the_secret_is_unset_protects(body: str) -> None:
    assert _py_cron(body) == []


def test_python_evidence_after_the_work_does_not_protect() -> None:
    late = (
        "    job.delay()\n    if not hmac.compare_digest(x_cron_secret, SECRET):\n"
        "        raise HTTPException(status_code=401)"
    )
    assert [(f.path, f.line) for f in _py_cron(late)] == [("app/main.py", 13)]
    early = (
        "    if not hmac.compare_digest(x_cron_secret, SECRET):\n"
        "        raise HTTPException(status_code=401)\n    job.delay()"
    )
    assert _py_cron(early) == []
    # the work of a nested function defined before the check runs only when it is called
    nested = "    def later():\n        job.delay()\n" + early.replace("job.delay()", "later()")
    assert _py_cron(nested) == []
    # a helper that checks, called after the work, stops nothing either
    helper = "    job.delay()\n    check(x_cron_secret)"
    files = {
        "app/settings.py": PY_SETTINGS,
        "app/main.py": (PY_CRON % helper).replace(
            "app = FastAPI()",
            "app = FastAPI()\n\n\ndef check(value: str) -> None:\n"
            "    if not hmac.compare_digest(value, SECRET):\n"
            "        raise HTTPException(status_code=401)",
        ),
    }
    assert [f.line for f in run(files)] == [18]


def test_python_a_route_decorator_named_like_a_write_is_not_work_before_the_check() -> None:
    # `@app.delete(...)` reads as an effect by name; it registers the route and does no work
    early = (
        "    if not hmac.compare_digest(x_cron_secret, SECRET):\n"
        "        raise HTTPException(status_code=401)\n    job.delay()"
    )
    files = {
        "app/settings.py": PY_SETTINGS,
        "app/main.py": (PY_CRON % early).replace('@app.post("/jobs")', '@app.delete("/jobs")'),
    }
    assert run(files) == []
