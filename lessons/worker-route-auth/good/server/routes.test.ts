// Routes registered in a test exercise a middleware; they are never deployed.
import { Hono } from "hono";

const app = new Hono();
app.post("/r", (c) => c.json({ ok: true }));

export { app };
