import { posthog } from "@/lib/posthog";

// Catches inside its own body: `await track()` can never fail a request.
export async function track(distinctId: string, event: string, properties?: object) {
  try {
    posthog.capture({ distinctId, event, properties });
    await posthog.flush();
  } catch (error) {
    console.error("posthog failed", error);
  }
}

export const trackOrderPlaced = (userId: string, total: number) =>
  track(userId, "order_placed", { total });
