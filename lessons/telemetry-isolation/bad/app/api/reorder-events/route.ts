// The incident's shape: telemetry shares a Promise.all with the database write.
import { NextResponse } from "next/server";
import { db, reorderEvents } from "@/lib/db";
import { posthog } from "@/lib/posthog";

export async function POST(req: Request) {
  const { userId, orderId } = await req.json();
  await Promise.all([
    db.insert(reorderEvents).values({ userId, orderId }),
    posthog.capture({ distinctId: userId, event: "order_placed" }), // lessons: expect[telemetry-isolation]
    posthog.flush(), // lessons: expect[telemetry-isolation]
  ]);
  return NextResponse.json({ ok: true });
}
