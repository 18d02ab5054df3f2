import { NextResponse } from "next/server";
import { posthog } from "@/lib/posthog";
import { markPaid } from "@/lib/orders";

export async function POST(req: Request) {
  let event;
  try {
    event = await req.json();
    await markPaid(event.data.object.id);
  } catch (error) {
    return NextResponse.json({ error: "webhook failed" }, { status: 500 });
  }
  // its own try/catch that logs and continues: a PostHog outage leaves the status 200
  try {
    await posthog.captureImmediate({ distinctId: event.data.object.customer, event: "paid" });
    await posthog.shutdown();
  } catch (error) {
    console.warn("posthog unavailable", error);
  }
  return NextResponse.json({ received: true });
}
