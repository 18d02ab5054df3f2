import { Hono } from "hono";
import { PostHog } from "posthog-node";
import { refreshFeed, staleFeeds } from "./feeds";

const posthog = new PostHog(process.env.POSTHOG_KEY!);
export const app = new Hono();

app.post("/internal/worker/refresh-feeds", async (c) => {
  const feeds = await staleFeeds();
  const failures: string[] = [];
  for (const feed of feeds) {
    try {
      await refreshFeed(feed.id);
    } catch {
      failures.push(feed.id);
    }
  }
  posthog.capture({ distinctId: "worker", event: "feeds_refreshed", properties: { failures } });
  return c.json({ failed: failures.length });
});
