// The override falls back on a documented variable: documenting STRIPE_SECRET_KEY is enough.
export const stripeKey = process.env.STRIPE_SECRET_KEY_LIVE ?? process.env.STRIPE_SECRET_KEY ?? "";

// A platform integration's name adopted as ours (Vercel Postgres sets POSTGRES_URL).
if (process.env.POSTGRES_URL) {
  process.env.DATABASE_URL = process.env.POSTGRES_URL;
}

export const slack = process.env.SLACK_WEBHOOK_URL;
export const sentryDsn = import.meta.env.VITE_SENTRY_DSN;
export const mode = import.meta.env.MODE; // Vite's own

// The user's folder on any system: set by the platform, never by a deployment.
export const home = process.env.HOME || process.env.USERPROFILE || "";

// SMTP_SERVER is the variable's old name, still read after the new one: deployments that set
// it keep working, and the example documents the new name only.
export const smtpHost = process.env.SMTP_HOST ?? process.env.SMTP_SERVER;
