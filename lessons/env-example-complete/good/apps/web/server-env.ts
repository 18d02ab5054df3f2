import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

// env-core reads every variable of the schema from the object it is given: the example file
// lists the required ones, and the others have defaults.
export const serverEnv = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    STRIPE_SECRET_KEY: z.string().min(1),
    APP_EXPORT_REGION: z.string().default("eu-west-1"),
  },
  runtimeEnv: process.env,
});
