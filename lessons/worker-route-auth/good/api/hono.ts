import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { trpcHandler } from "./trpc";
import { db } from "../lib/db";

const app = new Hono();

app.use("/api/*", bearerAuth({ token: process.env.API_TOKEN ?? "" }));

app.post("/api/notes", async (c) => {
  await db.insert("notes", await c.req.json());
  return c.json({ ok: true });
});

// A catch-all handing requests to tRPC, whose procedures carry their own auth.
const open = new Hono();
open.use("/trpc/*", (c) => trpcHandler(c.req.raw));

export default app;
export { open };
