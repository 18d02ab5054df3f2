import { PostHog } from "posthog-node";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

// Named by `callbacks.session` in ./options.ts: followed there as a handler of another module.
// Every session read of the app goes through it.
export async function recordSession({ session }: { session: { user: { id: string } } }) {
  await posthog.flush(); // lessons: expect[telemetry-isolation]
  return session;
}
