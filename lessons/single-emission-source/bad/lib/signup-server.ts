import { PostHog } from "posthog-node";
import { Analytics } from "@segment/analytics-node";
import { SIGNUP_COMPLETED } from "./cart-events";

export const posthog = new PostHog(process.env.POSTHOG_KEY!);
const segment = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY! });

// Importing posthog-node makes this file server code.
export function recordSignup(userId: string) {
  segment.track({ userId, event: SIGNUP_COMPLETED }); // lessons: expect[single-emission-source]
}

const ADDED = "cart_item_added";

export function recordCartItem(userId: string) {
  segment.track({ userId, event: ADDED }); // lessons: expect[single-emission-source]
}
