// The session is checked first and refuses early; the job is queued only for a signed-in caller.
// Reading the session again afterwards, to record who asked, changes nothing about the guard.
import { getSession } from "@/lib/auth";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const session = await getSession();
  if (!session) {
    return new Response("sign in first", { status: 401 });
  }
  const { source } = await req.json();
  await db.insert("import_runs", { source, by: session.userId });
  const again = await getSession();
  return Response.json({ queued: true, by: again?.userId });
}
