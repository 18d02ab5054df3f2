import { betterAuth } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { LogSnag } from "@logsnag/node";

const logsnag = new LogSnag({ token: process.env.LOGSNAG_TOKEN!, project: "acme" });

export const auth = betterAuth({
  databaseHooks: {
    user: {
      create: {
        after: async (user) => {
          await logsnag.track({ channel: "users", event: "user_created", user_id: user.id }); // lessons: expect[telemetry-isolation]
        },
      },
    },
  },
  hooks: {
    after: createAuthMiddleware(async (ctx) => {
      if (ctx.path === "/sign-in/email") {
        await logsnag.identify({ user_id: ctx.context.session?.user.id ?? "", properties: {} }); // lessons: expect[telemetry-isolation]
      }
    }),
  },
});
