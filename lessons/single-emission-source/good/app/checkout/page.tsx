import { posthogServer } from "@/lib/posthog-server";
import { CheckoutTracker } from "@/components/CheckoutTracker";

// A server component: allowed on both sides (see allow-both-sides in pyproject.toml).
export default async function CheckoutPage() {
  posthogServer.capture({ distinctId: "anonymous", event: "checkout_viewed" });
  return <CheckoutTracker />;
}
