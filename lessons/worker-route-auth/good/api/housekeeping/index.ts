// Hono's bearerAuth on every path of the app, chosen at request time: only the cron caller
// holding CRON_SECRET reaches the jobs.
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { db } from "../../lib/db";

const app = new Hono().basePath("/api/housekeeping");

app.use("*", async (c, next) => {
  const token = process.env.CRON_SECRET;
  if (token) {
    return bearerAuth({ token })(c, next);
  }
  return c.json({ error: "CRON_SECRET is not set" }, 500);
});

app.post("/purge-drafts", async (c) => {
  await db.update("drafts", { purged: true });
  return c.json({ ok: true });
});

export default app;
