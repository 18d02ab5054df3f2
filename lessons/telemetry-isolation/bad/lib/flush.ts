import { posthog } from "@/lib/posthog";

// Flush buffered events before a short-lived cron invocation exits: no catch inside.
export async function flushPostHog() {
  await posthog.flush();
}
