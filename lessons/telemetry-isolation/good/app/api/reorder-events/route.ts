// The postmortem's fix: allSettled, and a per-call .catch on every telemetry call.
import { NextResponse } from "next/server";
import { db, reorderEvents } from "@/lib/db";
import { posthog } from "@/lib/posthog";

export async function POST(req: Request) {
  const { userId, orderId } = await req.json();
  await db.insert(reorderEvents).values({ userId, orderId });
  await Promise.allSettled([
    posthog.captureImmediate({ distinctId: userId, event: "order_placed" }),
    posthog.flush(),
  ]);
  await Promise.all([
    posthog.captureImmediate({ distinctId: userId, event: "reorder_event" }).catch(() => {}),
    posthog.flush().catch((e) => console.error("PostHog flush failed", e)),
  ]);
  return NextResponse.json({ ok: true });
}
