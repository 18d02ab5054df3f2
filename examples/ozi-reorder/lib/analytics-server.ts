import { EVENTS } from "@/lib/events";
import { posthog } from "@/lib/posthog-server";

export async function trackOrderPlaced(userId: string, orderId: string) {
  posthog.capture({ distinctId: userId, event: EVENTS.ORDER_PLACED, properties: { orderId } });
  await posthog.flush();
}

export async function trackReorderConverted(userId: string, orderId: string) {
  posthog.capture({ distinctId: userId, event: EVENTS.REORDER_CONVERTED, properties: { orderId } });
  await posthog.flush();
}
