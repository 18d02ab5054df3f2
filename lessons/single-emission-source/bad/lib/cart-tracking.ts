declare const analytics: { track(event: string, properties?: object): void };

// A fixed-event wrapper with no side of its own, reached two calls away (cart-flow.ts) from a
// Pages Router page and from a pages/api handler.
export function trackCartAbandoned() {
  analytics.track("cart_abandoned"); // lessons: expect[single-emission-source]
}
