"""Next.js middleware: matchers, rejections, redirects, wrappers, and files that only look alike."""

from __future__ import annotations

from tests.lang.typescript.routes.support import facts


def test_middleware_with_rejection_and_matcher() -> None:
    result = facts(
        "middleware.ts",
        """
import { NextResponse, type NextRequest } from "next/server";
export async function middleware(req: NextRequest) {
  const token = req.headers.get("authorization");
  if (token !== `Bearer ${process.env.API_SECRET}`) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401 });
  }
  return NextResponse.next();
}
export const config = { matcher: "/api/:path*" };
""",
    )
    middleware = result.middleware
    assert middleware is not None
    assert middleware.matchers == ["/api/:path*"]
    assert middleware.rejects and not middleware.redirects
    assert middleware.exported_as == "middleware"
    assert middleware.calls == ["req.headers.get", "NextResponse.json", "NextResponse.next"]
    assert (middleware.line, middleware.project_root) == (3, "")


def test_redirect_only_middleware_does_not_reject() -> None:
    middleware = facts(
        "src/middleware.ts",
        """import { NextResponse } from "next/server";
export default function middleware(request) {
  if (!request.cookies.get("session")) {
    return NextResponse.redirect(new URL("/login", request.url));
  }
}
export const config = {
  matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"],
};""",
    ).middleware
    assert middleware is not None
    assert not middleware.rejects and middleware.redirects
    assert middleware.exported_as == "default"  # `export default function middleware`
    assert middleware.matchers == ["/((?!api|_next/static|_next/image|favicon.ico).*)"]


def test_wrapped_middleware_and_conditional_matchers() -> None:
    middleware = facts(
        "apps/web/src/proxy.ts",
        """import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";
const isProtected = createRouteMatcher(["/api/(.*)"]);
export default clerkMiddleware(async (auth, req) => {
  if (isProtected(req)) await auth.protect();
});
export const config = {
  matcher: [
    { source: "/((?!_next/static).*)", missing: [{ type: "header", key: "next-router-prefetch" }] },
    "/(api|trpc)(.*)",
  ],
};""",
    ).middleware
    assert middleware is not None
    assert middleware.exported_as == "default"
    assert middleware.wrapped_by == ["clerkMiddleware"]
    assert "auth.protect" in middleware.calls
    assert middleware.matchers == ["/((?!_next/static).*)", "/(api|trpc)(.*)"]
    assert middleware.conditional_matchers == ["/((?!_next/static).*)"]
    assert middleware.project_root == "apps/web"


def test_middleware_without_matcher_and_reexported_auth() -> None:
    middleware = facts("middleware.ts", 'export { auth as middleware } from "@/auth";').middleware
    assert middleware is not None
    assert middleware.matchers is None
    assert (middleware.handler.kind, middleware.handler.name) == ("import", "auth")
    proxy = facts(
        "proxy.ts",
        "export const proxy = withAuth(() => NextResponse.next(), { callbacks: {} });\n"
        "export const config = { matcher: MATCHERS };",
    ).middleware
    assert proxy is not None
    assert (proxy.exported_as, proxy.wrapped_by) == ("proxy", ["withAuth"])
    assert proxy.matchers == [] and proxy.matcher_dynamic


def test_files_named_middleware_that_are_not_next_middleware() -> None:
    express = "export default function auth(req, res, next) { next(); }"
    assert facts("src/lib/middleware.ts", express).middleware is None
    assert facts("server/middleware.ts", express).middleware is None
    assert facts("middleware.ts", express).middleware is None  # no Next.js signal at all
