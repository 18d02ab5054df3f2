import { betterAuth } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { LogSnag } from "@logsnag/node";

const logsnag = new LogSnag({ token: process.env.LOGSNAG_TOKEN!, project: "acme" });

export const auth = betterAuth({
  databaseHooks: {
    user: {
      create: {
        after: async (user) => {
          void logsnag
            .track({ channel: "users", event: "user_created", user_id: user.id })
            .catch(() => undefined);
        },
      },
    },
  },
  hooks: {
    after: createAuthMiddleware(async (ctx) => {
      try {
        await logsnag.identify({ user_id: ctx.context.session?.user.id ?? "", properties: {} });
      } catch {
        // a LogSnag outage must not fail the sign-in
      }
    }),
  },
});
