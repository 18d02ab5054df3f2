import "server-only";
import * as amplitude from "@amplitude/analytics-node";
import { CART_VIEWED } from "@/lib/cart-events";

export function recordCartViewed(userId: string) {
  amplitude.track(CART_VIEWED, undefined, { user_id: userId }); // lessons: expect[single-emission-source]
}
