import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

// The schema decides: a required variable makes startup fail without it, and an optional one
// with nothing in its place (or an empty default) leaves its feature silently off. Neither is
// in the example file.
export const env = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    APP_WEBHOOK_SECRET: z.string().min(32),
    APP_SSO_ISSUER: z.string().url().optional(),
    APP_MAIL_FROM: z.string().default(""),
  },
  runtimeEnv: {
    DATABASE_URL: process.env.DATABASE_URL,
    APP_WEBHOOK_SECRET: process.env.APP_WEBHOOK_SECRET, // lessons: expect[env-example-complete]
    APP_SSO_ISSUER: process.env.APP_SSO_ISSUER, // lessons: expect[env-example-complete]
    APP_MAIL_FROM: process.env.APP_MAIL_FROM, // lessons: expect[env-example-complete]
  },
});
