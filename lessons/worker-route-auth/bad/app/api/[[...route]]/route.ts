import { Hono } from "hono";
import { handle } from "hono/vercel";
import { db } from "@/lib/db";

const app = new Hono().basePath("/api");

app.post("/jobs", async (c) => { // lessons: expect[worker-route-auth]
  await db.insert("jobs", await c.req.json());
  return c.json({ ok: true });
});

export const GET = handle(app);
export const POST = handle(app);
