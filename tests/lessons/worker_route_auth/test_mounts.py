"""worker-route-auth: a Hono sub-app mounted (`app.route(path, sub)`) after the parent's auth
middleware is protected by it, also when the middlewares come as a spread array
(`app.use(...protectedMiddleware)`) defined in another module."""

from __future__ import annotations

from pytest_lessons.checks.worker_route_auth import WorkerRouteAuth
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

TSCONFIG = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }'
MIDDLEWARE = """\
import type { MiddlewareHandler } from "hono";
export const withDb: MiddlewareHandler = async (c, next) => { c.set("db", {}); await next(); };
export const withAuth: MiddlewareHandler = async (c, next) => {
  if (c.req.header("authorization") !== `Bearer ${process.env.API_SECRET}`) {
    return c.json({ error: "unauthorized" }, 401);
  }
  await next();
};
export const openMiddleware: MiddlewareHandler[] = [withDb];
export const apiMiddleware: MiddlewareHandler[] = [withDb, withAuth];
"""
SUB = """\
import { Hono } from "hono";
const app = new Hono();
app.post("/", async (c) => c.json({ saved: await c.req.json() }));
export { app as notesRouter };
"""
PARENT = """\
import { Hono } from "hono";
import { %s } from "@/middleware";
import { notesRouter } from "@/notes";
const routers = new Hono();
routers.use(...%s);
routers.route("/notes", notesRouter);
export { routers };
"""


def run(files: dict[str, str]) -> list[Finding]:
    check = build_check("worker-route-auth")
    assert isinstance(check, WorkerRouteAuth)
    base = {"tsconfig.json": TSCONFIG, "package.json": '{"dependencies": {"hono": "4"}}'}
    return judge_files(check, {**base, **files}, use_prefilter=False)


def files(parent: str) -> dict[str, str]:
    return {"src/middleware.ts": MIDDLEWARE, "src/notes.ts": SUB, "src/routers.ts": parent}


def test_a_sub_app_mounted_after_a_spread_auth_middleware_array_is_protected() -> None:
    assert run(files(PARENT % ("apiMiddleware", "apiMiddleware"))) == []


def test_a_spread_array_without_auth_protects_nothing() -> None:
    found = run(files(PARENT % ("openMiddleware", "openMiddleware")))
    assert [(f.path, f.line) for f in found] == [("src/notes.ts", 3)]


def test_a_sub_app_mounted_before_the_auth_middleware_is_not_protected() -> None:
    parent = PARENT % ("apiMiddleware", "apiMiddleware")
    lines = parent.splitlines()
    lines[4], lines[5] = lines[5], lines[4]  # mount first, then use
    found = run(files("\n".join(lines) + "\n"))
    assert [(f.path, f.line) for f in found] == [("src/notes.ts", 3)]


def test_a_sub_app_exported_through_a_constant_is_followed() -> None:
    sub = SUB.replace("export { app as notesRouter };", "export const notesRouter = app;")
    parent = PARENT % ("apiMiddleware", "apiMiddleware")
    assert run({**files(parent), "src/notes.ts": sub}) == []
    open_parent = PARENT % ("openMiddleware", "openMiddleware")
    assert len(run({**files(open_parent), "src/notes.ts": sub})) == 1


MIDDLE = """\
import { Hono } from "hono";
import { notesRouter } from "@/notes";
const app = new Hono();
app.route("/notes", notesRouter);
export { app as appsRouter };
"""
TOP = """\
import { Hono } from "hono";
import { apiMiddleware } from "@/middleware";
import { appsRouter } from "@/apps";
const root = new Hono();
%s
export default root;
"""


def test_a_sub_app_inside_a_mounted_app_gets_its_path_and_guard_from_every_level() -> None:
    guarded = TOP % 'root.use(...apiMiddleware);\nroot.route("/apps", appsRouter);'
    layout = {"src/middleware.ts": MIDDLEWARE, "src/notes.ts": SUB, "src/apps.ts": MIDDLE}
    assert run({**layout, "src/index.ts": guarded}) == []
    exposed = TOP % 'root.route("/apps", appsRouter);\nroot.use(...apiMiddleware);'
    [finding] = run({**layout, "src/index.ts": exposed})
    assert (finding.path, finding.line) == ("src/notes.ts", 3)
    assert "POST /apps/notes " in finding.message
