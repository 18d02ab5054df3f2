"""worker-route-auth, issue 11 item 5: a middleware.ts whose matcher covers a route protects it
only when the route's path reaches the part that says no, through the middleware's own branching
on the pathname; branching that cannot be read keeps counting the middleware."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.findings import Finding
from pytest_lessons.lang.typescript.routes.facts import PathCondition, PathGate, PathTest
from pytest_lessons.lang.typescript.routes.middleware_paths import gates_reach
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }'
HOOK = "app/api/hooks/stripe/route.ts"
ADMIN = "app/api/admin/users/route.ts"
TEAM = "app/api/[team]/members/route.ts"
ROUTE = """\
export async function POST(req: Request) {
  await fetch("https://example.com", { method: "POST", body: await req.text() });
  return Response.json({ ok: true });
}
"""
NO = 'return NextResponse.json({ error: "unauthorized" }, { status: 401 });'
HEAD = 'import { NextResponse, type NextRequest } from "next/server";\n'


def flagged(middleware: str, **overrides: Any) -> set[str]:
    check = build_check("worker-route-auth", **overrides)
    assert isinstance(check, WorkerRouteAuth)
    files = {
        "tsconfig.json": TSCONFIG,
        "middleware.ts": HEAD + middleware,
        HOOK: ROUTE,
        ADMIN: ROUTE,
        TEAM: ROUTE,
    }
    findings: list[Finding] = judge_files(check, files, use_prefilter=False)
    return {f.path for f in findings}


PUBLIC_LIST = f"""\
const publicRoutes = ["/api/hooks", "/api/health"];
export function middleware(req: NextRequest) {{
  const {{ pathname }} = req.nextUrl;
  if (publicRoutes.some((prefix) => pathname.startsWith(prefix))) {{
    return NextResponse.next();
  }}
  if (req.headers.get("x-api-key") !== process.env.API_KEY) {{
    {NO}
  }}
  return NextResponse.next();
}}
"""
STARTS_WITH = f"""\
export function middleware(req: NextRequest) {{
  const path = req.nextUrl.pathname;
  if (path.startsWith("/api/hooks/")) return NextResponse.next();
  if (!req.cookies.get("session")) {NO}
  return NextResponse.next();
}}
"""
PROTECTED_LIST = f"""\
const PROTECTED = ["/api/admin", "/api/[team]"];
export function middleware(request: NextRequest) {{
  const isProtected = PROTECTED.some((p) => request.nextUrl.pathname.startsWith(p));
  if (PROTECTED.some((p) => request.nextUrl.pathname.startsWith(p)) && !request.cookies.has("s")) {{
    {NO}
  }}
  return NextResponse.next();
}}
"""
HELPER = f"""\
const OPEN = ["/api/status"];
function isPublicRoute(path: string) {{
  return OPEN.includes(path) || path.startsWith("/api/hooks");
}}
export function middleware(req: NextRequest) {{
  if (isPublicRoute(req.nextUrl.pathname)) return NextResponse.next();
  if (!req.headers.get("authorization")) {NO}
}}
"""
REGEX = f"""\
export function middleware(req: NextRequest) {{
  if (/^\\/api\\/hooks\\//.test(req.nextUrl.pathname)) return NextResponse.next();
  if (!req.cookies.get("session")) {NO}
}}
"""
CLERK_PUBLIC = """\
import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isPublicRoute = createRouteMatcher(["/api/hooks(.*)", "/sign-in(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) await auth.protect();
});
"""
CLERK_PROTECTED = """\
import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isProtectedRoute = createRouteMatcher(["/api/admin(.*)", "/api/:team/members"]);
export default clerkMiddleware(async (auth, req) => {
  if (isProtectedRoute(req)) await auth.protect();
});
"""
CLERK_BARE = """\
import { clerkMiddleware } from "@clerk/nextjs/server";
export default clerkMiddleware();
"""
NEXTAUTH = f"""\
import {{ auth }} from "@/auth";
export default auth((req) => {{
  if (req.nextUrl.pathname.startsWith("/api/admin") && !req.auth) {{
    {NO}
  }}
}});
"""
ELSE_BRANCH = f"""\
export function middleware(req: NextRequest) {{
  if (req.nextUrl.pathname.startsWith("/api/admin")) {{
    if (!req.cookies.get("session")) {NO}
  }} else {{
    return NextResponse.next();
  }}
}}
"""
NAMED_TEST = f"""\
const PROTECTED = ["/api/admin"];
export function middleware(request: NextRequest) {{
  const path = request.nextUrl.pathname;
  const needsKey = PROTECTED.some((p) => path.startsWith(p)) || path.endsWith("/members");
  if (needsKey && request.headers.get("x-key") !== process.env.KEY) {{
    {NO}
  }}
  return NextResponse.next();
}}
"""
CLERK_V4 = """\
import { authMiddleware } from "@clerk/nextjs";
export default authMiddleware({ publicRoutes: ["/", "/api/hooks(.*)"] });
"""
ALL = {HOOK, ADMIN, TEAM}


@pytest.mark.parametrize(
    ("middleware", "expected"),
    [
        (PUBLIC_LIST, {HOOK}),
        (STARTS_WITH, {HOOK}),
        (PROTECTED_LIST, {HOOK, TEAM}),  # "/api/[team]" is a literal prefix no URL has
        (HELPER, {HOOK}),
        (REGEX, {HOOK}),
        (CLERK_PUBLIC, {HOOK}),
        (CLERK_PROTECTED, {HOOK}),
        (CLERK_BARE, ALL),
        (CLERK_V4, {HOOK}),
        (NEXTAUTH, {HOOK, TEAM}),
        (ELSE_BRANCH, {HOOK, TEAM}),
        (NAMED_TEST, {HOOK}),
    ],
    ids=[
        "public-list",
        "starts-with",
        "protected-list",
        "helper",
        "regex",
        "clerk-public",
        "clerk-protected",
        "clerk-bare",
        "clerk-v4-public-routes",
        "nextauth",
        "else-branch",
        "named-test",
    ],
)
def test_a_route_the_middleware_lets_through_is_unprotected(
    middleware: str, expected: set[str]
) -> None:
    assert flagged(middleware) == expected


@pytest.mark.parametrize(
    "middleware",
    [
        # an imported helper cannot be read here: keep counting the middleware
        'import { isPublic } from "@/lib/paths";\n'
        + STARTS_WITH.replace('path.startsWith("/api/hooks/")', "isPublic(path)"),
        # a skip that also depends on something else is not certain to be taken
        STARTS_WITH.replace(
            'path.startsWith("/api/hooks/")',
            'path.startsWith("/api/hooks/") && req.headers.get("x-env") === "dev"',
        ),
        # the check comes first, the public list after it
        f"""\
export function middleware(req: NextRequest) {{
  if (!req.cookies.get("session")) {NO}
  if (req.nextUrl.pathname.startsWith("/api/hooks")) return NextResponse.next();
}}
""",
        # a loop holds the check: not followed
        f"""\
export function middleware(req: NextRequest) {{
  for (const rule of [1]) {{
    if (req.nextUrl.pathname.startsWith("/api/hooks")) return NextResponse.next();
    if (!req.cookies.get("session")) {NO}
  }}
}}
""",
        # a branch delegating to another middleware may protect
        'import { apiMiddleware } from "@/lib/api-mw";\n'
        + STARTS_WITH.replace("return NextResponse.next();", "return apiMiddleware(req);", 1),
        """\
import { clerkMiddleware } from "@clerk/nextjs/server";
export default clerkMiddleware(async (auth) => {
  await auth.protect();
});
""",
        CLERK_V4.replace("{ publicRoutes", "{ afterAuth(auth, req) {}, publicRoutes"),
        CLERK_V4.replace('["/", "/api/hooks(.*)"]', '["/"]'),
        # a named test that is not a path test stays unknown: the guard counts as reached
        NAMED_TEST.replace("const needsKey = ", "const needsKey = request.method === 'POST' || "),
        "const hooks = { afterAuth: () => undefined };\n"
        + CLERK_V4.replace("{ publicRoutes", "{ ...hooks, publicRoutes"),
    ],
    ids=[
        "imported-helper",
        "other-condition",
        "check-first",
        "loop",
        "delegates",
        "clerk-all",
        "clerk-v4-after-auth",
        "clerk-v4-not-public",
        "named-test-unknown",
        "clerk-v4-spread",
    ],
)
def test_a_middleware_whose_branching_reaches_the_check_or_cannot_be_read_protects(
    middleware: str,
) -> None:
    assert flagged(middleware) == set()


def test_a_dynamic_segment_decides_only_when_every_sample_agrees() -> None:
    starts = PathCondition(op="test", test=PathTest(op="prefix", values=["/api/sample"]))
    gates = [PathGate(kind="skip", condition=starts), PathGate(kind="protect")]
    assert gates_reach(gates, "/api/[team]/members") is True  # "/api/42/..." is not skipped
    assert gates_reach(gates, "/api/sample-x/members") is False
    assert gates_reach(None, "/api/x") is None
    unknown = PathCondition(op="test", test=PathTest(op="unknown"))
    assert gates_reach([PathGate(kind="guard", condition=unknown)], "/api/x") is True
    assert gates_reach([PathGate(kind="skip", condition=unknown)], "/api/x") is False
