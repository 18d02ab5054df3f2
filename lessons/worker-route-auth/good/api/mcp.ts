// An inline app-level middleware that answers 401 guards every route registered after it.
import { Hono } from "hono";
import { db } from "../lib/db";

const app = new Hono();

app.use("/*", async (c, next) => {
  if (!c.req.header("authorization")) {
    return c.json({ error: "unauthorized" }, 401);
  }
  await next();
});

app.all("/", async (c) => {
  await db.insert("mcp_calls", await c.req.json());
  return c.json({ ok: true });
});

export { app as mcpRouter };
