import { posthog } from "./posthog";

// A wrapper: the telemetry layer follows it, so a catch around it isolates telemetry.
export function trackReminderSent(userId: string) {
  return posthog.captureImmediate({ distinctId: userId, event: "reminder_sent" });
}
