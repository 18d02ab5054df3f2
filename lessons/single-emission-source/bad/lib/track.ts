declare const analytics: { track(event: string, properties?: Record<string, unknown>): void };

// A generic wrapper: the event is fixed where it is called, so each call is an emission site.
export function track(event: string, properties?: Record<string, unknown>) {
  analytics.track(event, properties);
}
