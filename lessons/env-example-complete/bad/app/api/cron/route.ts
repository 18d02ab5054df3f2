import { capture } from "../../../lib/posthog";

export async function GET(request: Request) {
  const secret = process.env.CRON_SECRET; // lessons: expect[env-example-complete]
  if (request.headers.get("authorization") !== `Bearer ${secret}`) {
    return new Response("unauthorized", { status: 401 });
  }
  // an empty fallback is not a default: without the key, analytics silently send nothing
  const key = process.env.POSTHOG_KEY ?? ""; // lessons: expect[env-example-complete]
  await capture(key, "reorder_cron_ran", { db: process.env.DATABASE_URL });
  return Response.json({ ok: true });
}
