// A Hono app serving every /api/hono/* request from one catch-all route.
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { handle } from "hono/vercel";
import { db } from "@/lib/db";

const app = new Hono().basePath("/api/hono");

app.use("*", bearerAuth({ token: process.env.HONO_API_TOKEN ?? "" }));

app.post("/items", async (c) => {
  await db.insert("items", await c.req.json());
  return c.json({ ok: true });
});

export const GET = handle(app);
export const POST = handle(app);
