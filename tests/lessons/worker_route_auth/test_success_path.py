"""worker-route-auth, issue 11 items 6 and 10: a verify must be able to fail, and the shapes real
apps protect themselves with are recognised."""

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
