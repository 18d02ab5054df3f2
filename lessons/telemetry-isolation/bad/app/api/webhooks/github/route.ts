// A whole-handler try/catch that rethrows the original error: GitHub sees a 500 and redelivers.
import { posthog } from "@/lib/posthog";

export async function POST(req: Request) {
  try {
    const payload = await req.json();
    await posthog.flush(); // lessons: expect[telemetry-isolation]
    return Response.json({ delivery: payload.id });
  } catch (error) {
    console.error("webhook failed", error);
    throw error;
  }
}
