import { PostHog } from "posthog-node";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

export async function recordSignIn({ user }: { user: { id: string } }) {
  posthog.capture({ distinctId: user.id, event: "signed_in" });
}
