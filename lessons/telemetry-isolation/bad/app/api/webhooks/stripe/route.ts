// A whole-handler try/catch that turns the telemetry failure into a 500: Stripe retries.
import { NextResponse } from "next/server";
import { posthog } from "@/lib/posthog";
import { markPaid } from "@/lib/orders";

export async function POST(req: Request) {
  try {
    const event = await req.json();
    await markPaid(event.data.object.id);
    await posthog.captureImmediate({ distinctId: event.data.object.customer, event: "paid" }); // lessons: expect[telemetry-isolation]
    return NextResponse.json({ received: true });
  } catch (error) {
    console.error(error);
    return NextResponse.json({ error: "webhook failed" }, { status: 500 });
  }
}
