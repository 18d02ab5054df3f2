// The incident: three variables added during review fixes, never added to .env.local.example.
export async function POST(request: Request) {
  const {
    DEMO_SECRET, // lessons: expect[env-example-complete]
    NEXT_PUBLIC_APP_URL,
  } = process.env;
  if (request.headers.get("x-demo-secret") !== DEMO_SECRET) {
    return new Response("forbidden", { status: 403 });
  }
  const publicSecret = process.env["NEXT_PUBLIC_DEMO_SECRET"]; // lessons: expect[env-example-complete]
  const ends = new Date(process.env.EXPERIMENT_END_DATE!); // lessons: expect[env-example-complete]
  // DATABASE_URL is documented by the root .env.example, which covers this package too
  return Response.json({ url: NEXT_PUBLIC_APP_URL, publicSecret, ends, db: process.env.DATABASE_URL });
}
