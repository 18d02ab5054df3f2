import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

// The schema beside `runtimeEnv` gives these variables their defaults: the reads carry no
// fallback of their own, and the example file need not list them.
const signInMethod = z.enum(["password", "magic-link"]).default("magic-link");

export const env = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    APP_REGION: z.string().default("eu-west-1"),
    APP_EXPORT_URL_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    APP_SIGN_IN_METHOD: signInMethod,
  },
  client: {
    NEXT_PUBLIC_APP_STREAMING: z
      .enum(["true", "false"])
      .optional()
      .default("true")
      .transform((value) => value === "true"),
  },
  runtimeEnv: {
    DATABASE_URL: process.env.DATABASE_URL,
    APP_REGION: process.env.APP_REGION,
    APP_EXPORT_URL_TTL_SECONDS: process.env.APP_EXPORT_URL_TTL_SECONDS,
    APP_SIGN_IN_METHOD: process.env.APP_SIGN_IN_METHOD,
    NEXT_PUBLIC_APP_STREAMING: process.env.NEXT_PUBLIC_APP_STREAMING,
  },
});
