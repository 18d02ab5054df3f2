"use server";

import { posthog } from "@/lib/posthog";

export async function checkout(userIds: string[]) {
  await Promise.all(
    userIds.map((id) =>
      posthog.captureImmediate({ distinctId: id, event: "checkout_started" }).catch(() => {}),
    ),
  );
  return { ok: true };
}
