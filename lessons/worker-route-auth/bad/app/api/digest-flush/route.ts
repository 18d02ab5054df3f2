// The check only runs when DIGEST_SECRET is configured: on a deployment that forgot to set it,
// the test is false and every caller flushes the digests.
import { db } from "@/lib/db";

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const sent = req.headers.get("x-digest-secret");
  if (process.env.DIGEST_SECRET && sent !== process.env.DIGEST_SECRET) {
    return new Response("forbidden", { status: 403 });
  }
  await db.insert("digest_runs", { at: Date.now() });
  return Response.json({ flushed: true });
}
