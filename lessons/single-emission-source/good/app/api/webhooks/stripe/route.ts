import { NextResponse } from "next/server";
import { posthogServer } from "@/lib/posthog-server";

// Server-only events, sent from two server places: not a both-sides problem (and not north-star).
export async function POST(request: Request) {
  const event = await request.json();
  if (event.type === "invoice.paid") {
    posthogServer.capture({ distinctId: event.customer, event: "reorder_submitted" });
  }
  posthogServer.capture({ distinctId: event.customer, event: `stripe_${event.type}` });
  return NextResponse.json({ received: true });
}
