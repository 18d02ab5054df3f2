// Sub-apps mounted with `route` after the parent's auth middleware are served behind it.
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { notesRouter } from "./notes";
import { db } from "../../lib/db";

const tags = new Hono();
tags.post("/", async (c) => {
  await db.insert("tags", await c.req.json());
  return c.json({ ok: true });
});

const api = new Hono().basePath("/rest");
api.use("*", bearerAuth({ token: process.env.REST_API_TOKEN ?? "" }));
api.route("/notes", notesRouter);
api.route("/tags", tags);

export default api;
