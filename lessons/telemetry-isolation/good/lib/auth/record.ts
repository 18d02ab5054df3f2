import { PostHog } from "posthog-node";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

export async function recordSession({ session }: { session: { user: { id: string } } }) {
  posthog.capture({ distinctId: session.user.id, event: "session_read" });
  return session;
}
