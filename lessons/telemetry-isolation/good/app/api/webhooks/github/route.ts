// The whole-handler catch answers 500, but the telemetry call has its own `.catch()`.
import { posthog } from "@/lib/posthog";

export async function POST(req: Request) {
  try {
    const payload = await req.json();
    await posthog.flush().catch((e) => console.warn("posthog flush failed", e));
    return Response.json({ delivery: payload.id });
  } catch (error) {
    return Response.json({ error: String(error) }, { status: 500 });
  }
}
