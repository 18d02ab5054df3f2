import { Hono } from "hono";
import { db } from "../lib/db";

const app = new Hono();

app.put("/api/notes/:id", async (c) => { // lessons: expect[worker-route-auth]
  await db.update("notes", { id: c.req.param("id"), ...(await c.req.json()) });
  return c.json({ ok: true });
});

export default app;
