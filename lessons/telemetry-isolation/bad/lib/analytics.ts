import { posthog } from "@/lib/posthog";

// Captures with no catch of its own: a PostHog failure reaches every caller.
export async function trackOrderPlaced(userId: string, total: number) {
  posthog.capture({ distinctId: userId, event: "order_placed", properties: { total } });
  await posthog.flush();
}

export async function trackReminderTriggered(userId: string) {
  posthog.capture({ distinctId: userId, event: "reminder_triggered" });
  await posthog.flush();
}

export const trackReminderDelivered = async (userId: string) => {
  await posthog.captureImmediate({ distinctId: userId, event: "reminder_delivered" });
};
