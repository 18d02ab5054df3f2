import type { NextAuthOptions } from "next-auth";
import { PostHog } from "posthog-node";
import { recordSession } from "./record";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

export const authOptions: NextAuthOptions = {
  providers: [],
  events: {
    // NextAuth runs each `events` handler inside its own try/catch that only logs: a failed
    // flush here cannot fail the sign-in (it can slow it down, so keep it short).
    async createUser({ user }) {
      posthog.capture({ distinctId: user.id, event: "user_signed_up" });
      await posthog.flush();
    },
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
    session: recordSession,
  },
};
