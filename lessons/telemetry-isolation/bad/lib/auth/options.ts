import type { NextAuthOptions } from "next-auth";
import { PostHog } from "posthog-node";
import { recordSignIn } from "./record";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

// Declared here, handed to NextAuth(authOptions) in the catch-all route: NextAuth awaits each of
// these inside the request that signs the user in.
export const authOptions: NextAuthOptions = {
  providers: [],
  events: {
    async createUser({ user }) {
      posthog.capture({ distinctId: user.id, event: "user_signed_up" });
      await posthog.flush(); // lessons: expect[telemetry-isolation]
    },
    signIn: recordSignIn,
  },
  callbacks: {
    signIn: async ({ user }) => {
      await posthog.captureImmediate({ distinctId: user.id, event: "sign_in" }); // lessons: expect[telemetry-isolation]
      return true;
    },
  },
};
