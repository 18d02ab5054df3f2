// A second read of POSTHOG_KEY: the finding sits on the first reading site only.
const host = process.env.POSTHOG_HOST || "https://eu.posthog.com"; // real default: allowed

export async function capture(key: string, event: string, properties: object) {
  if (!key) key = process.env.POSTHOG_KEY as string;
  await fetch(`${host}/capture`, { method: "POST", body: JSON.stringify({ key, event, properties }) });
}

export const sentryDsn = import.meta.env.VITE_SENTRY_DSN; // lessons: expect[env-example-complete]
