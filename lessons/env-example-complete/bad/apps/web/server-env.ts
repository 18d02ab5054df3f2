import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

// From Next.js 13.4.4 only the client's variables are listed for the browser bundle: the
// server's are read from process.env by createEnv itself, and a required one missing from the
// example file stops every fresh deploy at startup.
export const serverEnv = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    APP_QUEUE_TOKEN: z.string().min(1), // lessons: expect[env-example-complete]
    APP_EXPORT_BUCKET: z.string().optional(), // lessons: expect[env-example-complete]
    APP_EXPORT_REGION: z.string().default("eu-west-1"),
  },
  client: {
    NEXT_PUBLIC_APP_NAME: z.string().default("Shop"),
  },
  experimental__runtimeEnv: {
    NEXT_PUBLIC_APP_NAME: process.env.NEXT_PUBLIC_APP_NAME,
  },
});
