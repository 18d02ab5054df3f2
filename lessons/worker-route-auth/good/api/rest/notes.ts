import { Hono } from "hono";
import { db } from "../../lib/db";

export const notesRouter = new Hono();

notesRouter.post("/", async (c) => {
  await db.insert("notes", await c.req.json());
  return c.json({ ok: true });
});

notesRouter.delete("/:id", async (c) => {
  await db.update("notes", { id: c.req.param("id"), deleted: true });
  return c.json({ ok: true });
});
