"use server";

import { posthog } from "@/lib/posthog";

export async function checkout(userId: string) {
  await posthog.captureImmediate({ distinctId: userId, event: "checkout_started" }); // lessons: expect[telemetry-isolation]
  return { ok: true };
}
