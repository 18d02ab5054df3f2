// `await track()` directly: the wrapper in lib/track.ts catches inside its own body.
import { waitUntil } from "@vercel/functions";
import { posthog } from "@/lib/posthog";
import { track } from "@/lib/track";

export async function POST(req: Request) {
  const { userId } = await req.json();
  await track(userId, "event_logged");
  waitUntil(
    (async () => {
      await posthog.captureImmediate({ distinctId: userId, event: "event_stored" });
      await posthog.flush();
    })(),
  );
  return Response.json({ ok: true });
}
