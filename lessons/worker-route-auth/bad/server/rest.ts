// Hono applies a middleware only to routes added after it: this sub-app is mounted too early.
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { db } from "../lib/db";

const jobs = new Hono();
jobs.post("/run", async (c) => { // lessons: expect[worker-route-auth]
  await db.insert("jobs", await c.req.json());
  return c.json({ ok: true });
});

const app = new Hono();
app.route("/jobs", jobs);
app.use("*", bearerAuth({ token: process.env.JOBS_API_TOKEN ?? "" }));

export default app;
