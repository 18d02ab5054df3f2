import { trackCartAbandoned } from "./cart-tracking";

export function abandonCart() {
  trackCartAbandoned();
}
