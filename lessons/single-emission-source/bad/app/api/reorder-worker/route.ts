import { NextResponse } from "next/server";
import { trackReorderStarted } from "@/lib/reorder-tracking";
import { posthogServer } from "@/lib/posthog-server";

export async function POST(request: Request) {
  const { userId, orderId } = await request.json();
  trackReorderStarted(orderId);
  posthogServer.capture({ distinctId: userId, event: "reorder_clicked" }); // lessons: expect[single-emission-source]
  // The North Star event, also sent by the server action in app/actions/reorder.ts.
  posthogServer.capture({ distinctId: userId, event: "reorder_completed" }); // lessons: expect[single-emission-source]
  return NextResponse.json({ ok: true });
}
