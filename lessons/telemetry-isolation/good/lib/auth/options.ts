import type { NextAuthOptions } from "next-auth";
import { PostHog } from "posthog-node";
import { recordSignIn } from "./record";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

export const authOptions: NextAuthOptions = {
  providers: [],
  events: {
    async createUser({ user }) {
      // queued, not awaited: the SDK sends it in the background
      posthog.capture({ distinctId: user.id, event: "user_signed_up" });
      await posthog.flush().catch((error) => console.warn("posthog flush", error));
    },
    signIn: recordSignIn,
  },
  callbacks: {
    signIn: async ({ user }) => {
      try {
        await posthog.captureImmediate({ distinctId: user.id, event: "sign_in" });
      } catch (error) {
        console.warn("sign-in telemetry failed", error);
      }
      return true;
    },
  },
};
