"""The routes layer: every handler shape the lessons rely on, and shapes that are not routes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_lessons.findings import ProblemKind
from pytest_lessons.lang.typescript.routes import (
    RouteFileFacts,
    RouteHandler,
    next_route_path,
    route_facts,
    route_params,
)
from pytest_lessons.source import SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "routes"


def facts(rel: str, code: str) -> RouteFileFacts:
    return route_facts(SourceFile.from_text(rel, code))


def methods(result: RouteFileFacts) -> list[tuple[str, str | None]]:
    return [(h.method, h.path) for h in result.handlers]


def only(result: RouteFileFacts) -> RouteHandler:
    assert len(result.handlers) == 1, result.handlers
    return result.handlers[0]


# --- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "path"),
    [
        ("app/api/reorder-worker/route.ts", "/api/reorder-worker"),
        ("src/app/api/orders/[orderId]/route.ts", "/api/orders/[orderId]"),
        ("apps/web/src/app/(dashboard)/api/x/route.js", "/api/x"),
        ("apps/web/app/@modal/(.)photo/[id]/page.tsx", "/photo/[id]"),
        ("app/docs/[...slug]/page.mdx", None),
        ("app/shop/[[...slug]]/page.tsx", "/shop/[[...slug]]"),
        ("app/page.tsx", "/"),
        ("app/_components/route.ts", None),
        ("app/api/x/helpers.ts", None),
        ("app/api/x/route.test.ts", None),
        ("pages/api/orders/[id].ts", "/api/orders/[id]"),
        ("src/pages/api/index.ts", "/api"),
        ("pages/reorder/[orderId].tsx", "/reorder/[orderId]"),
        ("pages/_app.tsx", None),
        ("lib/orders.ts", None),
        ("apps/admin/app/api/cron/route.mjs", "/api/cron"),
    ],
)
def test_next_route_path(rel: str, path: str | None) -> None:
    assert next_route_path(rel) == path


def test_route_params() -> None:
    assert route_params("/shop/[category]/[...slug]/[[...rest]]") == ["category", "slug", "rest"]
    assert route_params("/orders/:orderId/items/:itemId?") == ["orderId", "itemId"]
    assert route_params(None) == []


# --- App Router route.ts -----------------------------------------------------------------------


def test_app_router_handler_shapes() -> None:
    result = facts(
        "app/api/orders/[orderId]/route.ts",
        """
import { withAuth } from "@/lib/auth";
import { deleteImpl } from "./impl";

export async function GET(req: Request) { return Response.json({}); }
export const POST = async (req: Request) => Response.json({});
async function update(req: Request) { return new Response(null); }
export const PUT = withError(withAuth(update));
export { deleteImpl as DELETE };
export const dynamic = "force-dynamic";
""",
    )
    by_method = {h.method: h for h in result.handlers}
    assert sorted(by_method) == ["DELETE", "GET", "POST", "PUT"]
    get = by_method["GET"]
    assert (get.framework, get.path, get.params) == (
        "next-app",
        "/api/orders/[orderId]",
        ["orderId"],
    )
    assert get.handler.kind == "inline" and get.safe_methods_only
    assert (get.line, get.column) == (5, 1)
    assert by_method["POST"].handler.kind == "inline" and not by_method["POST"].safe_methods_only
    put = by_method["PUT"]
    assert put.wrappers == ["withError", "withAuth"]
    assert (put.handler.kind, put.handler.name, put.handler.line) == ("local", "update", 7)
    delete = by_method["DELETE"]
    assert (delete.handler.kind, delete.handler.name, delete.handler.module) == (
        "import",
        "deleteImpl",
        "./impl",
    )
    assert delete.handler.imported == "deleteImpl"


def test_wrapper_held_in_a_local_binding_is_followed() -> None:
    result = facts(
        "app/api/x/route.ts",
        "import { impl } from '../impl';\n"
        "const handler = withCron(impl);\nexport { handler as POST };\n",
    )
    post = only(result)
    assert post.wrappers == ["withCron"]
    assert (post.handler.kind, post.handler.name) == ("import", "impl")


def test_reexported_handlers_and_star_exports() -> None:
    result = facts(
        "app/api/callback/route.ts",
        'export { POST, GET as HEAD } from "../webhook/route";\nexport * from "./more";\n',
    )
    assert [
        (h.method, h.handler.kind, h.handler.name, h.handler.module) for h in result.handlers
    ] == [
        ("POST", "import", "POST", "../webhook/route"),
        ("HEAD", "import", "GET", "../webhook/route"),
    ]
    assert result.star_reexports == ["./more"]


def test_next_auth_destructured_handlers() -> None:
    result = facts(
        "app/api/auth/[...nextauth]/route.ts",
        'import { handlers } from "@/auth";\nexport const { GET, POST } = handlers;\n',
    )
    assert [(h.method, h.handler.kind, h.handler.name) for h in result.handlers] == [
        ("GET", "unknown", "handlers.GET"),
        ("POST", "unknown", "handlers.POST"),
    ]


def test_wrapper_factory_without_a_handler_argument() -> None:
    post = only(
        facts("app/api/q/route.ts", 'export const POST = createQueueHandler({ path: "/x" });')
    )
    assert post.wrappers == ["createQueueHandler"]
    assert post.handler.kind == "unknown"


def test_non_route_files_have_no_next_handlers() -> None:
    assert facts("app/api/x/helpers.ts", "export async function POST() {}").handlers == []
    assert facts("lib/route.ts", "export async function POST() {}").handlers == []


def test_hono_app_in_a_catch_all_route() -> None:
    result = facts(
        "app/api/[[...route]]/route.ts",
        """
import { Hono } from "hono";
import { handle } from "hono/vercel";
import { requireAuth } from "@/lib/auth";

const app = new Hono().basePath("/api");
app.post("/orders", requireAuth, async (c) => c.json({}));
app.get("/orders/:orderId", (c) => c.json({ id: c.req.param("orderId") }));
app.delete("/orders/:orderId", (c) => c.json({}));

export const GET = handle(app);
export const POST = handle(app);
""",
    )
    assert [(h.framework, h.method, h.path) for h in result.handlers] == [
        ("hono", "POST", "/api/orders"),
        ("hono", "GET", "/api/orders/:orderId"),
    ]
    assert result.handlers[0].middlewares == ["requireAuth"]
    assert result.handlers[1].params == ["orderId"]


def test_hono_app_imported_into_the_route_stays_a_wrapped_export() -> None:
    post = only(
        facts(
            "app/api/[[...route]]/route.ts",
            'import app from "@/server/app";\nimport { handle } from "hono/vercel";\n'
            "export const POST = handle(app);\n",
        )
    )
    assert (post.framework, post.wrappers, post.handler.kind, post.handler.name) == (
        "next-app",
        ["handle"],
        "import",
        "app",
    )


def test_server_actions() -> None:
    result = facts(
        "app/orders/actions.ts",
        """'use server';
export async function placeOrder(form: FormData) {}
export const cancelOrder = authAction.schema(s).action(async ({ parsedInput }) => {});
export const LIMIT = 3;
""",
    )
    assert [(h.framework, h.method, h.exported_as) for h in result.handlers] == [
        ("next-server-action", "POST", "placeOrder"),
        ("next-server-action", "POST", "cancelOrder"),
    ]
    assert result.handlers[1].wrappers == ["authAction.schema().action"]


# --- Pages Router ------------------------------------------------------------------------------


def test_pages_api_without_method_restriction_is_any() -> None:
    handler = only(
        facts(
            "pages/api/reorder-worker.ts",
            "export default async function handler(req, res) {\n  await enqueue(req.body);\n"
            "  res.status(200).json({ ok: true });\n}\n",
        )
    )
    assert (handler.framework, handler.method, handler.path) == (
        "next-pages-api",
        "ANY",
        "/api/reorder-worker",
    )
    assert not handler.safe_methods_only
    assert handler.handler.kind == "inline"


def test_pages_api_guard_restricts_to_one_method() -> None:
    result = facts(
        "pages/api/orders.ts",
        """
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return res.status(405).end();
  }
  await db.order.create({ data: req.body });
  res.json({ ok: true });
}
""",
    )
    assert methods(result) == [("POST", "/api/orders")]


def test_pages_api_guard_without_return_restricts_nothing() -> None:
    result = facts(
        "pages/api/orders.ts",
        """export default async function handler(req, res) {
  if (req.method !== "GET") { res.status(405).end(); }
  await db.order.deleteMany();
  res.json({});
}""",
    )
    assert [h.method for h in result.handlers] == ["ANY"]


def test_pages_api_safe_guard() -> None:
    result = facts(
        "pages/api/stats.ts",
        """const handler = async (req, res) => {
  if (!["GET", "HEAD"].includes(req.method)) return res.status(405).end();
  res.json(await stats());
};
export default withSentry(handler);""",
    )
    assert [h.method for h in result.handlers] == ["GET", "HEAD"]
    assert all(h.safe_methods_only for h in result.handlers)
    assert result.handlers[0].wrappers == ["withSentry"]
    assert (result.handlers[0].handler.kind, result.handlers[0].handler.name) == (
        "local",
        "handler",
    )


def test_pages_api_switch_with_rejecting_default() -> None:
    result = facts(
        "pages/api/orders/[id].ts",
        """export default async function handler(req, res) {
  const { method } = req;
  try {
    switch (method) {
      case "GET":
        return res.json(await get(req.query.id));
      case "DELETE":
        await remove(req.query.id);
        return res.status(204).end();
      default:
        res.setHeader("Allow", ["GET", "DELETE"]);
        return res.status(405).end(`Method ${method} Not Allowed`);
    }
  } catch (error) {
    return res.status(500).end();
  }
}""",
    )
    assert methods(result) == [("GET", "/api/orders/[id]"), ("DELETE", "/api/orders/[id]")]
    assert result.handlers[0].params == ["id"]
    assert not result.handlers[0].safe_methods_only


def test_pages_api_branches_with_mutating_fallthrough_add_any() -> None:
    result = facts(
        "pages/api/orders.ts",
        """export default async (req, res) => {
  if (req.method === "GET") {
    return res.json(await list());
  }
  await db.order.create({ data: req.body });
  return res.json({ ok: true });
};""",
    )
    assert [h.method for h in result.handlers] == ["GET", "ANY"]
    assert not any(h.safe_methods_only for h in result.handlers)


def test_pages_api_else_if_chain_with_405() -> None:
    result = facts(
        "pages/api/orders.js",
        """export default function handler(req, res) {
  if (req.method === "GET") { res.json([]) }
  else if (req.method === "POST" || req.method === "PUT") { save(req.body); res.json({}) }
  else { res.status(405).json({ error: "Method not allowed" }) }
}""",
    )
    assert [h.method for h in result.handlers] == ["GET", "POST", "PUT"]


def test_pages_api_fallthrough_405_after_branches() -> None:
    result = facts(
        "pages/api/ping.ts",
        """export default function handler(req, res) {
  if (req.method === "GET") {
    return res.json({ pong: true });
  }
  res.setHeader("Allow", ["GET"]);
  res.status(405).end();
}""",
    )
    assert [h.method for h in result.handlers] == ["GET"]
    assert result.handlers[0].safe_methods_only


def test_pages_api_default_export_of_an_import_and_commonjs() -> None:
    imported = only(
        facts("pages/api/x.ts", 'import handler from "@/handlers/x";\nexport default handler;')
    )
    assert (imported.method, imported.handler.kind, imported.handler.name) == (
        "ANY",
        "import",
        "handler",
    )
    commonjs = only(facts("pages/api/y.js", "module.exports = (req, res) => res.end();"))
    assert (commonjs.method, commonjs.handler.kind) == ("ANY", "inline")


def test_pages_router_pages_with_data_functions() -> None:
    result = facts(
        "pages/reorder/[orderId].tsx",
        """export default function Reorder({ order }) { const router = useRouter(); return null; }
export async function getServerSideProps({ params }) { return { props: {} }; }
""",
    )
    assert result.handlers == []
    page = result.pages[0]
    assert (page.framework, page.path, page.params) == (
        "next-pages-page",
        "/reorder/[orderId]",
        ["orderId"],
    )
    assert page.uses == ["router-query", "getServerSideProps"]
    assert facts("pages/about.tsx", "export default function A() { return null }").pages == []


@pytest.mark.parametrize(
    ("code", "uses"),
    [
        (
            "export default async function Page({ params }: { params: Promise<Params> }) {\n"
            "  const { orderId } = await params;\n  return null;\n}",
            ["props", "await-params"],
        ),
        (
            "export default function Page(props) { const p = use(props.params); return null; }",
            ["props", "use(params)"],
        ),
        (
            "'use client';\n"
            "export default function Page() { const { orderId } = useParams(); return null; }",
            ["useParams"],
        ),
        ("export default function Page() { return null; }", []),
    ],
)
def test_app_router_page_param_uses(code: str, uses: list[str]) -> None:
    page = facts("app/reorder/[orderId]/page.tsx", code).pages[0]
    assert (page.framework, page.path, page.params, page.uses) == (
        "next-app-page",
        "/reorder/[orderId]",
        ["orderId"],
        uses,
    )


# --- Express, Hono, Fastify, koa-router ---------------------------------------------------------


def test_express_registrations_and_middlewares() -> None:
    result = facts(
        "src/server.ts",
        """
import express from "express";
import passport from "passport";
import { requireAuth } from "./auth";
import * as orders from "./controllers/orders";

const app = express();
const router = express.Router();
app.use("/admin", requireAuth);
app.use(helmet());
router.post(
  "/orders/:orderId",
  requireAuth,
  passport.authenticate("jwt"),
  verifySignature(secret),
  orders.create
);
router.route("/items").get(orders.list).post([requireAuth], orders.add);
app.all("/legacy", (req, res) => res.end());
app.get("env");
app.use("/api", router);
app.use("/health", (req, res) => res.send("ok"));
""",
    )
    assert [(h.method, h.path, h.receiver) for h in result.handlers] == [
        ("POST", "/orders/:orderId", "router"),
        ("GET", "/items", "router"),
        ("POST", "/items", "router"),
        ("ANY", "/legacy", "app"),
        ("ANY", "/health", "app"),
    ]
    first = result.handlers[0]
    assert first.framework == "express" and first.params == ["orderId"]
    assert first.middlewares == ["requireAuth", "passport.authenticate", "verifySignature"]
    assert first.handler.kind == "unknown" and first.handler.name == "orders.create"
    assert result.handlers[2].middlewares == ["requireAuth"]
    assert [(m.path, m.middlewares) for m in result.mounts] == [
        ("/admin", ["requireAuth"]),
        (None, ["helmet"]),
        ("/api", ["router"]),
        ("/health", ["<inline>"]),
    ]


def test_guessed_receivers_fire_on_handlers_only() -> None:
    result = facts(
        "src/routes/orders.ts",
        """
import { Router } from "express";
import { createOrder } from "../controllers";
export default function register(app) {
  app.post("/orders", createOrder);
  server.delete("/orders/:id", async (req, res) => res.end());
  ordersRouter.put("/orders/:id", requireAuth, (req, res) => res.end());
}
""",
    )
    assert [(h.method, h.path) for h in result.handlers] == [
        ("POST", "/orders"),
        ("DELETE", "/orders/:id"),
        ("PUT", "/orders/:id"),
    ]


@pytest.mark.parametrize(
    "code",
    [
        'import axios from "axios";\nconst api = axios.create();\napi.post("/orders", { id });',
        'import axios from "axios";\nawait axios.post("/orders", payload);',
        'await fetch("/api/orders", { method: "POST" });',
        'const client = new HttpClient();\nclient.post("/orders", body);',
        'http.get("http://example.com", (res) => {});',
        'import ky from "ky";\napi.post("/orders", () => ({}));',
        "export async function save(api, order) { await api.post('/orders', order); }",
        "'use client';\nrouter.post('/orders', () => {});",
        "const router = useRouter();\nrouter.push('/orders');",
        "const app = createApp();\napp.delete('/x', () => {});",
        "cache.get('/orders', fallback);",
        "params.get('orderId');",
    ],
)
def test_http_clients_are_not_routes(code: str) -> None:
    assert facts("src/components/orders.tsx", code).handlers == []


def test_hono_chains_and_on() -> None:
    result = facts(
        "server/routes.ts",
        """
const auth = new Hono<Env>()
  .get("/session", (c) => c.json({}))
  .post("/signout", async (c) => c.json({}));
auth.on(["PUT", "PATCH"], "/profile", jwt({ secret }), (c) => c.json({}));
auth.use("/admin/*", bearerAuth({ token }));
""",
    )
    assert [(h.framework, h.method, h.path, h.line) for h in result.handlers] == [
        ("hono", "GET", "/session", 3),
        ("hono", "POST", "/signout", 4),
        ("hono", "PUT", "/profile", 5),
        ("hono", "PATCH", "/profile", 5),
    ]
    assert result.handlers[2].middlewares == ["jwt"]
    assert [(m.path, m.middlewares) for m in result.mounts] == [("/admin/*", ["bearerAuth"])]


def test_hono_route_mounts_a_sub_app_under_its_prefix() -> None:
    result = facts(
        "src/server.ts",
        """
import { Hono } from "hono";
import { notes } from "./notes";
const admin = new Hono();
admin.use(logger());
admin.post("/purge", (c) => c.json({}));
const app = new Hono().basePath("/api");
app.use("/admin/*", bearerAuth({ token }));
app.route("/admin", admin);
app.route("/notes", notes);
""",
    )
    assert [(h.method, h.path, h.params) for h in result.handlers] == [
        ("POST", "/api/admin/purge", []),
    ]
    assert [(m.receiver, m.path, m.middlewares, m.sub_app) for m in result.mounts] == [
        ("admin", "/api/admin/*", ["logger"], None),
        ("app", "/api/admin/*", ["bearerAuth"], None),
        ("app", "/api/admin", [], "admin"),
        ("app", "/api/notes", [], "notes"),
    ]


def test_fastify_options_and_route_object() -> None:
    result = facts(
        "src/app.ts",
        """
import Fastify from "fastify";
const fastify = Fastify({ logger: true });
fastify.addHook("onRequest", verifyJwt);
fastify.post("/orders", { preHandler: [fastify.auth, rateLimit()] }, async (request) => ({}));
fastify.route({
  method: ["POST", "PUT"], url: "/items/:id", onRequest: checkKey, handler: saveItem
});
fastify.get("/health", { schema }, () => "ok");
""",
    )
    assert [(h.framework, h.method, h.path, h.middlewares) for h in result.handlers] == [
        ("fastify", "POST", "/orders", ["fastify.auth", "rateLimit"]),
        ("fastify", "POST", "/items/:id", ["checkKey"]),
        ("fastify", "PUT", "/items/:id", ["checkKey"]),
        ("fastify", "GET", "/health", []),
    ]
    assert [(m.path, m.middlewares) for m in result.mounts] == [(None, ["verifyJwt"])]


def test_koa_router_prefix() -> None:
    result = facts(
        "src/orders.js",
        "const Router = require('@koa/router');\nconst router = new Router({ prefix: '/api' });\n"
        "router.del('/orders/:id', remove);\nfunction remove(ctx) {}\n",
    )
    handler = only(result)
    assert (handler.method, handler.path, handler.handler.kind, handler.handler.line) == (
        "DELETE",
        "/api/orders/:id",
        "local",
        4,
    )


# --- middleware.ts / proxy.ts ------------------------------------------------------------------


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


# --- robustness and the fixture tree -------------------------------------------------------------


def test_unparsable_code_is_read_with_recovery() -> None:
    """tree-sitter recovers; the layer reads what it can and the file carries a note."""
    file = SourceFile.from_text(
        "app/api/x/route.ts", "export async function GET() {}\nexport async function POST( {"
    )
    methods = {handler.method for handler in route_facts(file).handlers}
    assert "GET" in methods
    assert [note.kind for note in file.notes] == [ProblemKind.PARSE_RECOVERED]


def test_facts_are_cached_per_file() -> None:
    file = SourceFile.from_text("app/api/x/route.ts", "export async function POST() {}")
    assert route_facts(file) is route_facts(file)


def test_postmortem_shaped_app() -> None:
    """The fixture app: the unprotected worker, the guarded cron, a Hono catch-all, a page."""
    found: dict[str, list[tuple[str, str, str | None]]] = {}
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".ts", ".tsx"):
            continue
        rel = path.relative_to(FIXTURES).as_posix()
        result = route_facts(
            SourceFile(path, rel, SourceFile.from_text(rel, "").kind, path.read_bytes())
        )
        entries = [(h.framework, h.method, h.path) for h in result.handlers]
        entries += [(p.framework, ",".join(p.uses), p.path) for p in result.pages]
        if result.middleware is not None:
            entries.append(("middleware", str(result.middleware.rejects), None))
        if entries:
            found[rel] = entries
    assert found == {
        "src/app/api/reorder-worker/route.ts": [("next-app", "POST", "/api/reorder-worker")],
        "src/app/api/cron/reorder/route.ts": [("next-app", "GET", "/api/cron/reorder")],
        "src/app/api/[[...route]]/route.ts": [("hono", "POST", "/api/orders")],
        "src/app/(shop)/reorder/[orderId]/page.tsx": [
            ("next-app-page", "props,await-params", "/reorder/[orderId]")
        ],
        "src/middleware.ts": [("middleware", "False", None)],
    }
