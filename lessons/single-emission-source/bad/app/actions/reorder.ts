"use server";

import { EVENTS } from "@/lib/events";
import { posthogServer } from "@/lib/posthog-server";

export async function completeReorder(userId: string) {
  posthogServer.capture({ distinctId: userId, event: EVENTS.REORDER_COMPLETED }); // lessons: expect[single-emission-source]
}
