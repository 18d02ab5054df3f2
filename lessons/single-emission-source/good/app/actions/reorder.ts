"use server";

import { posthogServer } from "@/lib/posthog-server";

// A server action: called from a client component, it still runs (and captures) on the server.
export async function submitReorder(userId: string, orderId: string) {
  posthogServer.capture({ distinctId: userId, event: "reorder_submitted", properties: { orderId } });
}
