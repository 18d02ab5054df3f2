import { Hono } from "hono";
import { refreshFeeds, staleFeeds } from "./feeds";

export const app = new Hono();

// A Hono worker route: the per-feed catch only logs.
app.post("/internal/worker/refresh-feeds", async (c) => {
  const feeds = await staleFeeds();
  feeds.forEach(async (feed) => {
    try {
      await refreshFeeds(feed.id);
    } catch (error) { // lessons: expect[worker-failure-event]
      console.log(`feed ${feed.id} failed`, error);
    }
  });
  return c.json({ queued: feeds.length });
});
