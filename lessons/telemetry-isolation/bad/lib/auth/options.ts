import type { NextAuthOptions } from "next-auth";
import { PostHog } from "posthog-node";
import { recordSession } from "./record";

const posthog = new PostHog(process.env.POSTHOG_KEY!);

// Declared here, handed to NextAuth(authOptions) in the catch-all route. NextAuth awaits its
// callbacks inside the request that signs the user in, and catches none of their errors.
export const authOptions: NextAuthOptions = {
  providers: [],
  callbacks: {
    signIn: async ({ user }) => {
      await posthog.captureImmediate({ distinctId: user.id, event: "sign_in" }); // lessons: expect[telemetry-isolation]
      return true;
    },
    session: recordSession,
  },
};
