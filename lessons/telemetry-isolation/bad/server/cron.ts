import { Hono } from "hono";
import { flushPostHog } from "@/lib/flush";
import { removeDeletedUsers } from "@/lib/users";

const app = new Hono();

app.get("/remove-deleted-users", async (c) => {
  const deleted = await removeDeletedUsers();
  // the users are gone; a PostHog outage now turns the run into a 500 and the cron retries
  await flushPostHog(); // lessons: expect[telemetry-isolation]
  return c.json({ deleted });
});

export default app;
