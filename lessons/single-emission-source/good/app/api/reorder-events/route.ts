import { NextResponse } from "next/server";
import { EVENTS } from "@/lib/events";
import { posthogServer } from "@/lib/posthog-server";

// The single emission source of order_placed (the North Star): sent once the order is confirmed.
export async function POST(request: Request) {
  const { userId, orderId } = await request.json();
  posthogServer.capture({
    distinctId: userId,
    event: EVENTS.ORDER_PLACED,
    properties: { orderId },
  });
  return NextResponse.json({ ok: true });
}
