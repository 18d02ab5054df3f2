import { PostHog } from "posthog-node";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

// Named by `events.signIn` in ./options.ts: followed there as a handler defined in another module.
export async function recordSignIn({ user }: { user: { id: string } }) {
  await posthog.shutdown(); // lessons: expect[telemetry-isolation]
}
