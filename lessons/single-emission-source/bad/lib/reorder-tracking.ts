import { track } from "./track";

// No side of its own: it runs wherever it is called, here from a route and from a component.
export function trackReorderStarted(orderId: string) {
  track("reorder_started", { orderId }); // lessons: expect[single-emission-source]
}
