import { listSubscribers, sendDigest } from "@/lib/digest";

// Not under /cron, but vercel.json schedules it: a cron all the same.
export async function GET() {
  const subscribers = await listSubscribers();
  const outcome = await Promise.allSettled(subscribers.map((s) => sendDigest(s))); // lessons: expect[worker-failure-event]
  await Promise.all(
    subscribers.map((s) =>
      // lessons: expect[worker-failure-event]
      sendDigest(s).catch((error) => console.warn("digest retry failed", error)),
    ),
  );
  return Response.json({ sent: subscribers.length });
}
