import { posthog } from "@/lib/posthog";
import { db } from "@/lib/db";

// Business logic that also emits: `capture()` only queues the event (no await), so a PostHog
// outage cannot reject this function; awaiting it in a webhook handler is not a telemetry risk.
async function onCheckoutCompleted(customerId: string) {
  await db.subscription.create({ data: { customerId } });
  posthog.capture({ distinctId: customerId, event: "upgrade_completed" });
}

export async function handleBillingEvent(event: { type: string; customer: string }) {
  switch (event.type) {
    case "checkout.session.completed":
      await onCheckoutCompleted(event.customer);
      return { handled: true };
    default:
      return { handled: false };
  }
}
