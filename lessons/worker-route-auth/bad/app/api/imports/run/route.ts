// The import is queued before anyone asks who is calling: by the time the session lookup
// answers 401, a stranger's request has already started the job. The check reads like a guard
// but guards nothing.
import { db } from "@/lib/db";
import { getSession } from "@/lib/session";

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const { source } = await req.json();
  await db.insert("import_runs", { source, queuedAt: Date.now() });
  const session = await getSession(req);
  if (!session) {
    return new Response("sign in first", { status: 401 });
  }
  return Response.json({ queued: true, by: session });
}
