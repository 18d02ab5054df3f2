import { posthog } from "@/lib/posthog";
import { sendDigests } from "@/lib/digest";

export async function GET() {
  try {
    const sent = await sendDigests();
    await posthog.captureImmediate({ distinctId: "cron", event: "digest_sent", properties: { sent } }); // lessons: expect[telemetry-isolation]
    return Response.json({ sent });
  } catch (error) {
    throw new Error(`digest failed: ${String(error)}`);
  }
}
