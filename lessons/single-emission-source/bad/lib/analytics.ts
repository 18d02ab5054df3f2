import posthog from "posthog-js";

// A wrapper with its event fixed inside: the capture is the emission site (its callers decide
// nothing, the SDK makes this client code).
export function trackOrderPlaced(orderId: string) {
  posthog.capture("order_placed", { orderId }); // lessons: expect[single-emission-source]
}
