// One awaited emission per line, none isolated: each turns a PostHog outage into a 500.
import { posthog } from "@/lib/posthog";

export async function POST(req: Request) {
  const { userId } = await req.json();
  await posthog.capture({ distinctId: userId, event: "event_logged" }); // lessons: expect[telemetry-isolation]
  await posthog.captureImmediate({ distinctId: userId, event: "event_stored" }); // lessons: expect[telemetry-isolation]
  await posthog.flush(); // lessons: expect[telemetry-isolation]
  return Response.json({ ok: true });
}
