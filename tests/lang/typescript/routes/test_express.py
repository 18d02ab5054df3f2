"""Express-style registrations: Express, Hono, Fastify and koa-router, and shapes that are not."""

from __future__ import annotations

import pytest

from tests.lang.typescript.routes.support import facts, only


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
