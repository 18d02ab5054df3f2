export async function GET(request: Request) {
  if (request.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) {
    return new Response("unauthorized", { status: 401 });
  }
  const { DATABASE_URL, POSTHOG_KEY = "" } = process.env;
  // set by the platform or the runtime, never in the example file
  const debug = process.env.NODE_ENV !== "production" && !process.env.CI;
  const origin = process.env.VERCEL_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  const runtime = process.env.NEXT_RUNTIME;
  // a dynamic key has no static name
  const name = new URL(request.url).searchParams.get("flag") ?? "";
  const flag = process.env[name];
  // a write is not a read
  process.env.LAST_CRON_RUN = new Date().toISOString();
  delete process.env.TEMPORARY_TOKEN;
  return Response.json({ DATABASE_URL, POSTHOG_KEY, debug, origin, runtime, flag });
}
