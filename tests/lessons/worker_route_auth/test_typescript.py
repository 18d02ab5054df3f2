"""worker-route-auth (TypeScript/JavaScript): snippets with exact verdicts, across files too."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pytest_lessons.checks.worker_route_auth import (
    WorkerRouteAuth,
)
from pytest_lessons.findings import Finding
from pytest_lessons.source import AnalysisError, SourceFile
from pytest_lessons.testing import check_example_tree, example_trees, judge_files
from pytest_lessons.testing import make_check as build_check

LESSON_ID = "worker-route-auth"
SPEC = build_check(LESSON_ID).spec
ROUTE = "app/api/reorder-worker/route.ts"
TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }'


def make_check(**overrides: Any) -> WorkerRouteAuth:
    check = build_check(LESSON_ID, **overrides)
    assert isinstance(check, WorkerRouteAuth)
    return check


def run(files: dict[str, str], **overrides: Any) -> list[Finding]:
    return judge_files(
        make_check(**overrides), {"tsconfig.json": TSCONFIG, **files}, use_prefilter=False
    )


def flagged(files: dict[str, str], **overrides: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in run(files, **overrides)]


INCIDENT = """\
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const { userId } = await req.json();
  await db.insert("reminders", { userId });
  return Response.json({ ok: true });
}
"""


def test_the_incident_is_flagged_on_the_handler_with_the_whole_story() -> None:
    [finding] = run({ROUTE: INCIDENT})
    assert (finding.path, finding.line, finding.column) == (ROUTE, 3, 1)
    assert finding.message == (
        "POST /api/reorder-worker changes state without any auth check (being 'internal' is "
        "not auth): nothing in the handler, a helper it calls, its wrappers, its middlewares or "
        "a middleware.ts covering it compares a secret with the request, calls a session helper "
        "(getServerSession, auth(), ...), verifies a signature (QStash, Stripe constructEvent, "
        "svix) or answers 401/403; add one, or list the route in `public-routes` with a reason"
    )


def test_a_cron_route_is_flagged_even_for_get() -> None:
    route = "export async function GET() {\n  await runJob();\n  return Response.json({});\n}\n"
    vercel = '{"crons": [{"path": "/api/jobs/nightly", "schedule": "0 0 * * *"}]}'
    [finding] = run({"app/api/jobs/nightly/route.ts": route, "vercel.json": vercel})
    assert finding.line == 1
    assert finding.message.startswith(
        "cron route GET /api/jobs/nightly runs without any auth check, so anyone can trigger "
        "the job: compare process.env.CRON_SECRET with the Authorization header"
    )
    # under a /cron segment it is a cron route without vercel.json too
    assert flagged({"app/api/cron/nightly/route.ts": route}) == [
        ("app/api/cron/nightly/route.ts", 1)
    ]
    # and an ordinary GET is not judged
    assert flagged({"app/api/jobs/nightly/route.ts": route}) == []


@pytest.mark.parametrize(
    "guard",
    [
        'if (req.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) '
        "return new Response(null, { status: 400 });",
        'const h = (await headers()).get("x-key");\n  if (h != process.env.WORKER_KEY) throw 1;',
        "const { secret } = await req.json();\n  if (secret !== env.SYNC_SECRET) throw 1;",
        'const ok = timingSafeEqual(Buffer.from(req.headers.get("x") ?? ""), '
        "Buffer.from(process.env.API_TOKEN!));\n  if (!ok) throw 1;",
        "const session = await getServerSession(authOptions);\n  if (!session) throw 1;",
        "const { data } = await supabase.auth.getUser();\n  if (!data.user) throw 1;",
        "const { userId } = await auth();\n  if (!userId) throw 1;",
        'stripe.webhooks.constructEvent(await req.text(), sig, "whsec");',
        "new Webhook(secret).verify(await req.text(), Object.fromEntries(req.headers));",
        'if (!req.headers.get("cookie")) return Response.json({}, { status: 401 });',
    ],
)
def test_evidence_in_the_handler_body_protects_it(guard: str) -> None:
    code = f"export async function POST(req: Request) {{\n  {guard}\n  await db.insert(1);\n}}\n"
    assert flagged({ROUTE: code}) == []


@pytest.mark.parametrize(
    "body",
    [
        'const key = process.env.ADMIN_KEY;\n  if (!key) throw new Error("missing");',
        "if (process.env.CRON_SECRET === undefined) throw 1;",
        'if (req.headers.get("x-secret") === "letmein") await go();',
        "const user = await db.getUser(id);",
        "const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);",
    ],
)
def test_things_that_look_like_auth_but_are_not(body: str) -> None:
    code = f"export async function POST(req: Request) {{\n  {body}\n  await db.insert(1);\n}}\n"
    assert flagged({ROUTE: code}) == [(ROUTE, 1)]


def test_helpers_are_followed_across_files_two_levels_deep() -> None:
    files = {
        ROUTE: """\
            import { isAuthorizedCron } from "@/lib/guards";
            export async function POST(req: Request) {
              if (!isAuthorizedCron(req)) return new Response(null, { status: 204 });
              await work();
            }
            """,
        "lib/guards.ts": """\
            import { matches } from "./cron";
            export const isAuthorizedCron = (req: Request) => matches(req);
            """,
        "lib/cron.ts": """\
            export function matches(req: Request) {
              return req.headers.get("authorization") === `Bearer ${process.env.CRON_SECRET}`;
            }
            """,
    }
    assert flagged(files) == []
    files["lib/cron.ts"] = "export function matches(req: Request) {\n  return true;\n}\n"
    assert flagged(files) == [(ROUTE, 2)]


def test_a_secret_handed_to_a_comparing_helper_counts() -> None:
    files = {
        ROUTE: """\
            import { same } from "@/lib/same";
            export async function POST(req: Request) {
              if (!same(req.headers.get("x-key"), process.env.WORKER_SECRET)) throw 1;
            }
            """,
        "lib/same.ts": "export const same = (a: unknown, b: unknown) => a === b;\n",
    }
    assert flagged(files) == []


@pytest.mark.parametrize(
    ("wrapper_body", "expected"),
    [
        ("const s = await getServerSession();\n    if (!s) throw 1;", []),
        ("try { return await h(req); } catch { return new Response(null); }", [(ROUTE, 2)]),
    ],
)
def test_a_wrapper_from_another_file_counts_when_its_body_shows_evidence(
    wrapper_body: str, expected: list[tuple[str, int]]
) -> None:
    files = {
        ROUTE: """\
            import { withGuard } from "@/lib/guard";
            export const POST = withGuard(async (req: Request) => Response.json(await save(req)));
            """,
        "lib/guard.ts": (
            "export function withGuard(h: any) {\n  return async (req: Request) => {\n    "
            f"{wrapper_body}\n    return h(req);\n  }};\n}}\n"
        ),
    }
    assert flagged(files) == expected


def test_wrappers_not_in_the_repository_count_by_name() -> None:
    code = """\
        import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";
        import { withLogging } from "some-logger";
        async function handler(req: Request) { return Response.json(await db.insert(req)); }
        export const POST = verifySignatureAppRouter(handler);
        export const PUT = withLogging(handler);
        """
    assert flagged({ROUTE: code}) == [(ROUTE, 5)]


def test_a_re_export_follows_the_handler_to_its_module() -> None:
    impl = """\
        export async function POST(req: Request) {
          const session = await auth();
          if (!session) throw new Error("no");
        }
        export async function DELETE() {}
        """
    files = {
        ROUTE: 'export { POST, DELETE } from "./impl";\n',
        "app/api/reorder-worker/impl.ts": impl,
    }
    assert [f.message.split(" changes")[0] for f in run(files)] == ["DELETE /api/reorder-worker"]


MIDDLEWARE_401 = """\
    import { NextResponse } from "next/server";
    export function middleware(req) {
      if (!req.headers.get("x-admin")) return NextResponse.json({}, { status: 401 });
    }
    export const config = { matcher: MATCHER };
    """
MIDDLEWARE_REDIRECT = """\
    import { NextResponse } from "next/server";
    export async function middleware(req) {
      if (!(await getSession(req))) return NextResponse.redirect(new URL("/login", req.url));
    }
    export const config = { matcher: MATCHER };
    """


@pytest.mark.parametrize(
    ("middleware", "matcher", "expected"),
    [
        (MIDDLEWARE_401, '["/api/admin/:path*"]', []),
        (MIDDLEWARE_401, '"/api/:path*"', []),
        (MIDDLEWARE_401, '["/api/other/:path*"]', [1]),
        (MIDDLEWARE_401, '["/((?!api|_next/static|favicon.ico).*)"]', [1]),
        (MIDDLEWARE_REDIRECT, '["/api/admin/:path*"]', [1]),
    ],
)
def test_middleware_counts_when_it_rejects_and_its_matcher_covers_the_route(
    middleware: str, matcher: str, expected: list[int]
) -> None:
    files = {
        "middleware.ts": middleware.replace("MATCHER", matcher),
        "app/api/admin/purge/route.ts": "export async function DELETE() {}\n",
    }
    assert [line for _, line in flagged(files)] == expected


def test_a_middleware_of_another_next_project_does_not_count() -> None:
    files = {
        "apps/admin/middleware.ts": MIDDLEWARE_401.replace("MATCHER", '"/api/:path*"'),
        "apps/web/app/api/x/route.ts": "export async function POST() {}\n",
        "apps/web/package.json": '{"name": "web"}',
        "apps/admin/package.json": '{"name": "admin"}',
    }
    assert flagged(files) == [("apps/web/app/api/x/route.ts", 1)]


EXPRESS = """\
    import express from "express";
    import { guard } from "./guard";
    const app = express();
    app.post("/a", requireAuth, async (req, res) => res.json(await db.insert(req.body)));
    app.post("/b", guard, async (req, res) => res.json(await db.insert(req.body)));
    app.post("/c", rateLimit, async (req, res) => res.json(await db.insert(req.body)));
    app.use(passport.authenticate("jwt"));
    app.post("/d", async (req, res) => res.json(await db.insert(req.body)));
    """
GUARD = """\
    export function guard(req, res, next) {
      if (req.get("x-api-key") !== process.env.API_KEY) return res.sendStatus(401);
      next();
    }
    """


def test_express_middleware_arguments_and_earlier_use_count() -> None:
    assert flagged({"server/app.ts": EXPRESS, "server/guard.ts": GUARD}) == [("server/app.ts", 6)]


def test_a_router_mounted_behind_auth_in_another_file_is_protected() -> None:
    router = """\
        import { Router } from "express";
        const admin = Router();
        admin.delete("/users/:id", async (req, res) => res.json(await db.insert(req.body)));
        export default admin;
        """
    app = """\
        import express from "express";
        import admin from "./admin";
        const app = express();
        app.use("/admin", ADMIN);
        """
    guarded = {
        "server/admin.ts": router,
        "server/app.ts": app.replace("ADMIN", "requireAuth, admin"),
    }
    assert flagged(guarded) == []
    open_ = {"server/admin.ts": router, "server/app.ts": app.replace("ADMIN", "admin")}
    assert flagged(open_) == [("server/admin.ts", 3)]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("export default async function h(req, res) {\n  await db.insert(req.body);\n}\n", [1]),
        (
            "export default async function h(req, res) {\n"
            '  if (req.method !== "GET") return res.status(405).end();\n'
            "  res.json(await db.select());\n}\n",
            [],
        ),
    ],
)
def test_pages_api_handlers_without_a_method_restriction_are_judged(
    code: str, expected: list[int]
) -> None:
    assert [line for _, line in flagged({"pages/api/orders.ts": code})] == expected


def test_public_routes_as_a_list_or_a_table() -> None:
    files = {"app/api/webhooks/github/route.ts": "export async function POST() {}\n"}
    assert flagged(files) == [("app/api/webhooks/github/route.ts", 1)]
    listed = [{"glob": "/api/webhooks/*", "reason": "payload re-fetched with our token"}]
    assert flagged(files, public_routes=listed) == []
    assert flagged(files, public_routes={"/api/webhooks/*": "re-fetched"}) == []
    with pytest.raises(ValidationError, match="needs a reason"):
        make_check(public_routes=[{"glob": "/api/*", "reason": " "}])


def test_auth_flow_routes_are_not_flagged_by_default() -> None:
    files = {
        "app/api/auth/[...nextauth]/route.ts": "export { GET, POST } from '@/auth';\n",
        "app/api/signup/route.ts": "export async function POST() {}\n",
    }
    assert flagged(files) == []
    assert len(flagged(files, auth_flow_routes=[])) == 2


def test_auth_helpers_and_secret_name_patterns_are_configurable() -> None:
    helper = "export async function POST(req) {\n  await assertMember(req);\n}\n"
    assert flagged({ROUTE: helper}) == [(ROUTE, 1)]
    assert flagged({ROUTE: helper}, auth_helpers=["assertMember"]) == []
    pw = (
        "export async function POST(req) {\n"
        "  if (!process.env.ADMIN_PW || req.body.pw !== process.env.ADMIN_PW) throw 1;\n}\n"
    )
    assert flagged({ROUTE: pw}) == [(ROUTE, 1)]
    assert flagged({ROUTE: pw}, secret_name_patterns=["*_PW"]) == []


def test_only_files_with_routes_or_middleware_are_subjects() -> None:
    check = make_check()
    route = check.extract(SourceFile.from_text(ROUTE, INCIDENT))
    helper = check.extract(SourceFile.from_text("lib/x.ts", "export const x = 1;\n"))
    config = check.extract(SourceFile.from_text("tsconfig.json", TSCONFIG))
    assert [check.is_subject(f) for f in (route, helper, config)] == [True, False, False]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="(){}[];=!<>'\"`$.,:/ \nabcPOSTexportfunctionasyncawait", max_size=120))
def test_never_raises_on_arbitrary_source(text: str) -> None:
    check = make_check()
    source = SourceFile.from_text(ROUTE, text)
    try:
        facts = {ROUTE: check.extract(source)}
    except AnalysisError:  # a parse failure is reported, never a crash
        return
    list(check.judge(facts))


@pytest.mark.parametrize("tree", [t for t in example_trees() if t.lesson == LESSON_ID], ids=str)
@pytest.mark.parametrize("prefilter", [True, False])
def test_examples(tree: Any, prefilter: bool) -> None:
    check_example_tree(tree, use_prefilter=prefilter)


def test_a_handler_that_only_answers_405_serves_nothing() -> None:
    refuse = (
        "export async function POST() {\n"
        '  return new NextResponse("Method Not Allowed", { status: 405 });\n}\n'
    )
    assert flagged({ROUTE: refuse}) == []
    works = (
        "export async function POST(req) {\n"
        "  await db.insert(await req.json());\n"
        '  return new NextResponse("ok", { status: 400 });\n}\n'
    )
    assert flagged({ROUTE: works}) == [(ROUTE, 1)]


def test_routes_registered_in_test_files_are_not_judged() -> None:
    code = (
        'import { Hono } from "hono";\nconst app = new Hono();\n'
        'app.post("/r", async (c) => c.json(await db.insert(1)));\n'
    )
    assert flagged({"src/mw.test.ts": code}) == []
    assert flagged({"src/api/test/routes.ts": code}) == [("src/api/test/routes.ts", 3)]


def test_handlers_passed_by_name_in_a_method_map_are_followed() -> None:
    code = """\
        const create = async (req, res) => {
          if (!(await getSession({ req }))) return res.status(401).end();
          await db.insert(req.body);
        };
        const open = async (req, res) => { await db.insert(req.body); };
        export default withMethods({ POST: CREATE });
        """
    assert flagged({"pages/api/x.ts": code.replace("CREATE", "create")}) == []
    assert flagged({"pages/api/x.ts": code.replace("CREATE", "open")}) == [("pages/api/x.ts", 6)]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("await AdminAuthService.handleAdminAuth(req);", []),
        ("await new KeyService().verifyApiKey(req.headers.authorization);", []),
        ("await checkPermission(req);", []),
        ("await Logger.track(req);", [1]),
        ("await validateBody(req);", [1]),
    ],
)
def test_unresolved_calls_count_when_their_name_says_they_check_the_caller(
    call: str, expected: list[int]
) -> None:
    code = f"export async function POST(req) {{\n  {call}\n  await db.insert(1);\n}}\n"
    assert [line for _, line in flagged({ROUTE: code})] == expected


@pytest.mark.parametrize(
    "code",
    [
        'import { handleCallback } from "@vercel/queue";\n'
        "const h = handleCallback(async (m) => { await db.insert(m); });\n"
        "export const POST = (req: Request) => h(req);\n",
        'import { serve } from "@upstash/workflow/nextjs";\n'
        "export const { POST } = serve(async (context) => { await db.insert(1); });\n",
        'import { fetchRequestHandler } from "@trpc/server/adapters/fetch";\n'
        "const handler = (req: Request) => fetchRequestHandler({ req, router, endpoint: '/x' });\n"
        "export { handler as GET, handler as POST };\n",
        "const SECRET = process.env.HUBSPOT_CLIENT_SECRET;\n"
        "export async function POST(req: Request) {\n"
        "  const expected = hash(SECRET + (await req.text()));\n"
        '  if (req.headers.get("x-signature") !== expected) throw 1;\n}\n',
        'export default function handler() {\n  throw new Error("never called");\n}\n',
    ],
)
def test_traps_from_real_code_are_not_flagged(code: str) -> None:
    assert flagged({ROUTE: code}) == []


def test_an_inline_app_level_middleware_guards_later_routes_only() -> None:
    code = """\
        import { Hono } from "hono";
        const app = new Hono();
        app.post("/early", async (c) => c.json(await db.insert(1)));
        app.use("/*", async (c, next) => {
          if (!c.req.header("authorization")) return c.json({}, 401);
          await next();
        });
        app.post("/late", async (c) => c.json(await db.insert(1)));
        """
    assert flagged({"api/app.ts": code}) == [("api/app.ts", 3)]


HONO_SUB_APP = """\
import { Hono } from "hono";
export const jobs = new Hono();
jobs.post("/run", async (c) => c.json(await db.insert({})));
jobs.get("/nightly", async (c) => c.json(await db.insert({})));
"""


def test_a_hono_sub_app_mounted_behind_the_parents_middleware_is_guarded() -> None:
    parent = """\
    import { Hono } from "hono";
    import { jobs } from "./jobs";
    const app = new Hono().basePath("/api");
    app.use("*", bearerAuth({ token: process.env.API_TOKEN }));
    app.route("/jobs", jobs);
    """
    assert flagged({"server/jobs.ts": HONO_SUB_APP, "server/index.ts": parent}) == []


def test_a_hono_sub_app_mounted_before_the_middleware_gets_the_mount_prefix() -> None:
    parent = """\
    import { Hono } from "hono";
    import { jobs } from "./jobs";
    const app = new Hono().basePath("/api");
    app.route("/cron", jobs);
    app.use("*", bearerAuth({ token: process.env.API_TOKEN }));
    """
    findings = run({"server/jobs.ts": HONO_SUB_APP, "server/index.ts": parent})
    # under /cron, so the GET is a cron route too; the paths carry the parent's prefix
    assert [(f.line, f.message.split(" changes")[0].split(" runs")[0]) for f in findings] == [
        (3, "cron route POST /api/cron/run"),
        (4, "cron route GET /api/cron/nightly"),
    ]


OPTIONAL_SECRET = """\
import {{ env }} from "@/env";

export async function POST(req: Request) {{
  const token = req.headers.get("x-worker-token");
  {check}
  await runReorders();
  return Response.json({{ ok: true }});
}}
"""


DENY = 'return new Response("no", { status: 401 });'
UNSET = 'return new Response("not configured", { status: 500 });'


@pytest.mark.parametrize(
    ("check", "protected"),
    [
        # with CRON_SECRET unset, the test is false and everyone passes
        (f"if (env.CRON_SECRET && token !== env.CRON_SECRET) {DENY.replace('401', '403')}", False),
        (f"if (!!process.env.CRON_SECRET && token !== process.env.CRON_SECRET) {DENY}", False),
        (f"if (env.CRON_SECRET) {{ if (token !== env.CRON_SECRET) {DENY} }}", False),
        # refuses when the secret is missing: the check always runs
        (f"if (!env.CRON_SECRET || token !== env.CRON_SECRET) {DENY}", True),
        (f"if (!env.CRON_SECRET) {UNSET}\n  if (token !== env.CRON_SECRET) {DENY}", True),
        # a presence test of the caller's own token is not what makes it optional
        (f"if (token && token === env.CRON_SECRET) {{ /* trusted */ }} else {DENY}", True),
    ],
)
def test_a_comparison_only_when_the_secret_is_set_is_not_evidence(
    check: str, protected: bool
) -> None:
    found = flagged({ROUTE: OPTIONAL_SECRET.format(check=check)})
    assert found == ([] if protected else [(ROUTE, 3)])
