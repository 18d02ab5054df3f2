import { NextResponse } from "next/server";
import { EVENTS } from "@/lib/events";
import { posthogServer } from "@/lib/posthog-server";

export async function POST(request: Request) {
  const { userId, orderId } = await request.json();
  // lessons: expect[single-emission-source]
  posthogServer.capture({
    distinctId: userId,
    event: EVENTS.ORDER_PLACED,
    properties: { orderId },
  });
  await posthogServer.flush();
  return NextResponse.json({ ok: true });
}
